// Drives the Strata UI in headless Chromium and prints what the pages show, one fact a line
// ("<key> <value>"), for UiTest to check. Every wait has a deadline; a failure exits non-zero.
// Usage: node ui-test.mjs <base URL> <chromium executable> <screenshot directory>
import { chromium } from 'playwright-core';

const [base, executablePath, screenshots] = process.argv.slice(2);
if (!base || !executablePath || !screenshots) {
  console.error('usage: node ui-test.mjs <base URL> <chromium executable> <screenshot directory>');
  process.exit(2);
}
const TIMEOUT = 15_000;
const out = (key, value) => console.log(`${key} ${value}`);

const browser = await chromium.launch({
  executablePath,
  timeout: 60_000,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(TIMEOUT);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // failed requests are reported as console errors too: the 400s of the bad query are expected
  page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && pageErrors.push(m.text()));
  page.on('response', (r) => r.status() === 404 && pageErrors.push('404 ' + r.url()));

  // / redirects to the graph page
  await page.goto(base + '/');
  out('url', new URL(page.url()).pathname);

  // executes the expression in the editor and waits until its answer is shown
  async function execute() {
    await page.click('#execute');
    await page.waitForSelector('#output[data-state="done"], #output[data-state="error"]', { state: 'attached' });
  }

  async function run(expr, tab = 'table') {
    await page.fill('#expr', expr);
    await page.press('#expr', 'Escape'); // closes completions that would cover the controls
    await page.click(`button[data-tab="${tab}"]`);
    await execute();
  }

  async function table() {
    return page.$$eval('#result-table tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent).join('\t')));
  }

  // a real query at a fixed evaluation time, in the table
  await page.fill('#end', '7230');
  await page.fill('#range', '1h');
  await run('http_requests_total');
  for (const row of await table()) {
    out('table', row);
  }
  out('stats', await page.textContent('#stats'));
  // the address bar links to the query just run
  const link = new URLSearchParams(new URL(page.url()).search);
  out('link', ['g0.expr', 'g0.tab', 'g0.end_input', 'g0.range_input', 'g0.deduplicate'].map((k) => `${k}=${link.get(k)}`).join(' '));

  // the dedup switch: the HA pair counts once with it, twice without
  await run('count(http_requests_total{cluster="us1"})');
  out('count-dedup', (await table()).join(' | '));
  await page.uncheck('#dedup');
  await execute();
  out('count-raw', (await table()).join(' | '));
  await page.check('#dedup');

  // warnings of the answer are shown
  await run('histogram_quantile(0.9, rate(http_requests_total[1m]))');
  out('warnings', (await page.$$eval('#query-status .warnings li', (w) => w.map((x) => x.textContent))).join(' | '));

  // a syntax error is shown as an error
  await run('sum(http_requests_total');
  out('error', await page.textContent('#query-status .error'));

  // the graph view draws one line per series
  await page.fill('#range', '5m');
  await run('http_requests_total', 'graph');
  await page.waitForSelector('#graph .uplot canvas');
  out('graph-series', await page.$$eval('#graph .u-legend .u-series', (s) => s.length - 1));
  out('graph-stats', await page.textContent('#stats'));
  await page.screenshot({ path: `${screenshots}/graph.png`, fullPage: true });

  // history survives a reload (localStorage), most recent first
  await page.reload();
  await page.waitForSelector('#history option:nth-child(2)', { state: 'attached' });
  out('history', (await page.$$eval('#history option', (o) => o.slice(1).map((x) => x.value))).join(' | '));
  out('reloaded-end', await page.inputValue('#end'));

  // a Prometheus-style graph link opened in a fresh browser context (nothing stored) runs its query
  // with its settings: the end time given as Prometheus writes it, deduplication off
  const linked = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  linked.setDefaultTimeout(TIMEOUT);
  linked.on('pageerror', (e) => pageErrors.push(e.message));
  await linked.goto(base + '/graph?' + new URLSearchParams({
    'g0.expr': 'count(http_requests_total{cluster="us1"})', 'g0.tab': '1', 'g0.end_input': '1970-01-01 02:00:30', 'g0.deduplicate': '0',
  }));
  await linked.waitForSelector('#output[data-state="done"], #output[data-state="error"]', { state: 'attached' });
  out('linked-table', (await linked.$$eval('#result-table tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent).join('\t')))).join(' | '));
  out('linked-controls', `expr=${await linked.inputValue('#expr')} dedup=${await linked.isChecked('#dedup')}`);
  out('linked-stats', await linked.textContent('#stats'));
  await linked.close();

  // autocompletion, accepted with the keyboard: a metric, a label name, a label value, a function;
  // each list is read once it shows only candidates for what was typed
  async function completions(typed) {
    await page.waitForFunction((p) => {
      const items = [...document.querySelectorAll('#completions:not([hidden]) li .text')];
      return items.length > 0 && items.every((x) => x.textContent.toLowerCase().includes(p));
    }, typed.toLowerCase());
    return (await page.$$eval('#completions li', (l) => l.map((x) => `${x.querySelector('.text').textContent}:${x.dataset.kind}`))).join(',');
  }
  await page.fill('#expr', '');
  await page.type('#expr', 'http_req');
  out('complete-metric', await completions('http_req'));
  await page.keyboard.press('Tab');
  out('completed-metric', await page.inputValue('#expr'));
  await page.type('#expr', '{co');
  out('complete-label', await completions('co'));
  await page.keyboard.press('Enter');
  out('completed-label', await page.inputValue('#expr'));
  await page.type('#expr', '="');
  out('complete-value', await completions(''));
  await page.keyboard.press('Enter');
  out('completed-value', await page.inputValue('#expr'));
  await page.fill('#expr', '');
  await page.type('#expr', 'sum(ra');
  out('complete-function', await completions('ra'));
  await page.screenshot({ path: `${screenshots}/completion.png` });
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab');
  out('completed-function', await page.inputValue('#expr'));
  await page.keyboard.press('Escape');
  // with the list closed, Enter runs the query
  await page.type('#expr', 'http_requests_total{code="200"}[5m]))');
  await page.waitForFunction(() => document.querySelector('#completions').hidden);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#output[data-state="done"], #output[data-state="error"]', { state: 'attached' });
  // (in the graph view, the last one chosen): one line, the sum
  out('completed-run', `${await page.getAttribute('#output', 'data-state')} ${await page.inputValue('#expr')} `
    + await page.$$eval('#graph .u-legend .u-series', (s) => s.length - 1));

  // a second panel: its own expression and view; the address bar links to both panels, and the
  // link opened afresh shows both answers
  await page.click('#add-panel');
  await page.fill('#expr-1', 'count(http_requests_total)');
  await page.fill('#end-1', '7230');
  await page.press('#expr-1', 'Escape');
  await page.click('#panel-1 button[data-tab="table"]');
  await page.waitForSelector('#output-1[data-state="done"], #output-1[data-state="error"]', { state: 'attached' });
  out('panel-2-table', (await page.$$eval('#result-table-1 tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent).join('\t')))).join(' | '));
  await page.screenshot({ path: `${screenshots}/panels.png`, fullPage: true });
  const both = new URLSearchParams(new URL(page.url()).search);
  out('panels-link', ['g0.expr', 'g0.tab', 'g1.expr', 'g1.tab'].map((k) => `${k}=${both.get(k)}`).join(' '));
  const twoPanels = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  twoPanels.setDefaultTimeout(TIMEOUT);
  twoPanels.on('pageerror', (e) => pageErrors.push(e.message));
  await twoPanels.goto(page.url());
  for (const output of ['#output', '#output-1']) {
    await twoPanels.waitForSelector(`${output}[data-state="done"], ${output}[data-state="error"]`, { state: 'attached' });
  }
  out('panels-opened', `${await twoPanels.$$eval('section.panel', (p) => p.length)} panels, second: `
    + (await twoPanels.$$eval('#result-table-1 tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent).join('\t')))).join(' | '));
  await twoPanels.close();
  // removing the second panel leaves one, and the link follows
  await page.click('#panel-1 button.remove-panel');
  out('panels-after-remove', `${await page.$$eval('section.panel', (p) => p.length)} ${new URLSearchParams(new URL(page.url()).search).has('g1.expr')}`);

  // the stores page
  await page.goto(base + '/stores');
  await page.waitForSelector('tr.store-row');
  await page.waitForFunction(() => document.querySelectorAll('tr.store-row .state.up').length >= 2, null, { timeout: 30_000 });
  out('store-types', (await page.$$eval('.store-type', (t) => t.map((x) => x.dataset.type))).join(','));
  await page.waitForFunction(() => document.querySelector('tr.store-row .state.down')
    ?.closest('tr').querySelector('.last-error').textContent !== '', null, { timeout: 30_000 });
  // endpoint, status, labels, min and max time, and whether a last error is shown
  for (const row of await page.$$eval('tr.store-row', (rows) => rows.map((r) => [...[...r.cells].slice(0, 5).map((c, i) =>
    (i === 2 ? [...c.querySelectorAll('.label')].map((l) => l.textContent).join(' ') : c.textContent)),
  r.querySelector('.last-error').textContent === '' ? 'no error' : 'error shown'].join('\t')))) {
    out('store', row);
  }
  await page.screenshot({ path: `${screenshots}/stores.png`, fullPage: true });

  // the status page
  await page.goto(base + '/status');
  await page.waitForSelector('#buildinfo table');
  await page.waitForSelector('#config pre');
  out('build-version', await page.textContent('#buildinfo tr:first-child td'));
  const config = (await page.textContent('#config pre')).replace(/\s+/g, ' ');
  out('config-roles', config.match(/roles ?[:=]? ?\[ ?([^\]]*?) ?\]/)?.[1] ?? 'missing');
  await page.waitForSelector('#plugins td');
  out('plugin-ui', (await page.$$eval('#plugins tr td:first-child', (c) => c.map((x) => x.textContent))).includes('ui'));

  out('page-errors', pageErrors.length === 0 ? 'none' : pageErrors.join(' / '));
} finally {
  await browser.close();
}
