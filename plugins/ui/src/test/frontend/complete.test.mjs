// Unit tests of the graph page's pure parts: completion contexts and ranking, graph links.
// Run by Maven (node --test) in the ui plugin's test phase.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completionContext, quoteValue, rank } from '../../main/frontend/src/complete.js';
import { fromLink, toLink } from '../../main/frontend/src/graph.js';

const at = (textWithCaret) => {
  const caret = textWithCaret.indexOf('|');
  return completionContext(textWithCaret.replace('|', ''), caret);
};

test('a word at the top level completes metrics, functions and keywords', () => {
  assert.deepEqual(at('http_req|'), { kind: 'expression', prefix: 'http_req', from: 0 });
  assert.deepEqual(at('sum(ra|'), { kind: 'expression', prefix: 'ra', from: 4 });
  assert.deepEqual(at('a + job:rate|'), { kind: 'expression', prefix: 'job:rate', from: 4 });
  // the caret inside a word: the prefix is what comes before it
  assert.deepEqual(at('rat|e(x)'), { kind: 'expression', prefix: 'rat', from: 0 });
});

test('nothing is offered without a prefix, in numbers, durations, comments and plain strings', () => {
  assert.equal(at('sum(|'), null);
  assert.equal(at('x > 1|'), null);
  assert.equal(at('rate(x[5|'), null);
  assert.equal(at('rate(x[5m|'), null);
  assert.equal(at('x # a comm|'), null);
  assert.equal(at('label_replace(x, "ds|'), null);
  assert.equal(at('x offset 5|'), null);
});

test('label names after a brace or a comma, with the selector metric', () => {
  assert.deepEqual(at('http_requests_total{|'), { kind: 'labelName', prefix: '', from: 20, metric: 'http_requests_total' });
  assert.deepEqual(at('up{job="a", inst|'), { kind: 'labelName', prefix: 'inst', from: 12, metric: 'up' });
  assert.deepEqual(at('{co|'), { kind: 'labelName', prefix: 'co', from: 1, metric: null });
  assert.deepEqual(at('sum(rate(up{|'), { kind: 'labelName', prefix: '', from: 12, metric: 'up' });
  // after a matcher's operator a value (a string) is expected, not a name
  assert.equal(at('up{job=|'), null);
  assert.equal(at('up{job="a"|'), null);
});

test('label names in grouping and matching lists', () => {
  assert.deepEqual(at('sum by (jo|'), { kind: 'labelName', prefix: 'jo', from: 8, metric: null });
  assert.deepEqual(at('sum(x) without(a, |'), { kind: 'labelName', prefix: '', from: 18, metric: null });
  assert.deepEqual(at('a / on (instance) group_left(ve|'), { kind: 'labelName', prefix: 've', from: 29, metric: null });
  // a closed list is left behind
  assert.deepEqual(at('sum by (job) (ra|'), { kind: 'expression', prefix: 'ra', from: 14 });
});

test('label values inside a matcher string, for every operator and quote', () => {
  assert.deepEqual(at('up{job="ap|'), { kind: 'labelValue', prefix: 'ap', from: 8, label: 'job', metric: 'up', quote: '"' });
  assert.deepEqual(at("up{a='x', job=~'|"), { kind: 'labelValue', prefix: '', from: 16, label: 'job', metric: 'up', quote: "'" });
  assert.deepEqual(at('{code!="2|'), { kind: 'labelValue', prefix: '2', from: 8, label: 'code', metric: null, quote: '"' });
  assert.deepEqual(at('up{path="a\\"b|'), { kind: 'labelValue', prefix: 'a\\"b', from: 9, label: 'path', metric: 'up', quote: '"' });
});

test('ranking puts prefix matches first, shortest first, then substring matches', () => {
  const c = (...names) => names.map((text) => ({ text }));
  assert.deepEqual(rank(c('irate', 'rate', 'rad', 'ratelimit_total'), 'rat').map((x) => x.text), ['rate', 'ratelimit_total', 'irate']);
  assert.deepEqual(rank(c('histogram_avg', 'irate', 'rate'), 'ra').map((x) => x.text), ['rate', 'irate', 'histogram_avg']);
  assert.deepEqual(rank(c('Up', 'up_time'), 'UP').map((x) => x.text), ['Up', 'up_time']);
  assert.equal(rank(c(...Array.from({ length: 50 }, (_, i) => 'm' + i)), 'm', 30).length, 30);
  assert.deepEqual(rank(c('a', 'b'), '').map((x) => x.text), ['a', 'b']);
});

test('a completed value is escaped for its quote and closed unless the quote follows', () => {
  assert.equal(quoteValue('a"b\\c', '"', undefined), 'a\\"b\\\\c"');
  assert.equal(quoteValue('x', '"', '"'), 'x');
  assert.equal(quoteValue("it's", "'", ','), "it\\'s'");
  assert.equal(quoteValue('raw\\', '`', undefined), 'raw\\`');
});

test('graph links read back what they were written from, one prefix per panel', () => {
  const panels = [
    { expr: 'sum(rate(x[5m])) by (job)', tab: 'graph', range: '6h', end: '2024-01-02 03:04:05', step: '30s', dedup: false, partial: true },
    { expr: 'up == 0', tab: 'table', range: '1h', dedup: true, partial: false },
  ];
  assert.deepEqual(fromLink(toLink(panels)), panels);
  assert.equal(fromLink('?g0.tab=0'), null);
  assert.deepEqual(fromLink('?g0.expr=up&g0.moment_input=1700000000'), [{ expr: 'up', end: '1700000000' }]);
  // panels in the order of their numbers, gaps allowed (a link whose middle panel was removed)
  assert.deepEqual(fromLink('?g2.expr=b&g0.expr=a&g0.tab=0'), [{ expr: 'a', tab: 'graph' }, { expr: 'b' }]);
  assert.ok(toLink(panels).startsWith('?g0.expr=sum'));
});
