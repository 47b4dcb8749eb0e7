// Expression autocompletion for the graph page: what is being typed at the caret (a metric or
// function, a label name, a label value), candidates from the query API, and a dropdown under the
// editor driven by the keyboard (arrows, Tab or Enter to accept, Escape to close) or the mouse.
import { api } from './api.js';
import { h, replace } from './dom.js';

// The functions the PromQL engine knows (experimental ones left out), aggregations and keywords.
const FUNCTIONS = ['abs', 'absent', 'absent_over_time', 'acos', 'acosh', 'asin', 'asinh', 'atan', 'atanh', 'avg_over_time',
  'ceil', 'changes', 'clamp', 'clamp_max', 'clamp_min', 'cos', 'cosh', 'count_over_time', 'day_of_month', 'day_of_week',
  'day_of_year', 'days_in_month', 'deg', 'delta', 'deriv', 'double_exponential_smoothing', 'exp', 'first_over_time', 'floor',
  'histogram_avg', 'histogram_count', 'histogram_fraction', 'histogram_quantile', 'histogram_quantiles', 'histogram_stddev',
  'histogram_stdvar', 'histogram_sum', 'hour', 'idelta', 'increase', 'irate', 'label_join', 'label_replace', 'last_over_time',
  'ln', 'log10', 'log2', 'mad_over_time', 'max_over_time', 'min_over_time', 'minute', 'month', 'pi', 'predict_linear',
  'present_over_time', 'quantile_over_time', 'rad', 'rate', 'resets', 'round', 'scalar', 'sgn', 'sin', 'sinh', 'sort',
  'sort_by_label', 'sort_by_label_desc', 'sort_desc', 'sqrt', 'stddev_over_time', 'stdvar_over_time', 'sum_over_time', 'tan',
  'tanh', 'time', 'timestamp', 'ts_of_first_over_time', 'ts_of_last_over_time', 'ts_of_max_over_time', 'ts_of_min_over_time',
  'vector', 'year'];
const AGGREGATIONS = ['avg', 'bottomk', 'count', 'count_values', 'group', 'limit_ratio', 'limitk', 'max', 'min', 'quantile',
  'stddev', 'stdvar', 'sum', 'topk'];
const KEYWORDS = ['and', 'atan2', 'bool', 'by', 'group_left', 'group_right', 'ignoring', 'offset', 'on', 'or', 'unless', 'without'];
/** Words after which a parenthesis holds label names. */
const LABEL_LISTS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const MAX_SHOWN = 30;
const CACHE_MILLIS = 60_000;

const isWordStart = (c) => /[A-Za-z_:]/.test(c);
const isWord = (c) => /[A-Za-z0-9_:]/.test(c);

/**
 * What is being typed at {@code caret} in {@code text}: {kind, prefix, from} where kind is
 * 'expression' (metric names, functions, keywords), 'labelName' (with the selector's metric, if
 * any) or 'labelValue' (with label and metric); null where nothing is completed (numbers,
 * durations, comments, other strings). {@code from} is where the typed prefix starts.
 */
export function completionContext(text, caret) {
  const before = text.slice(0, caret);
  // one pass over the text before the caret, keeping the open brackets and the tokens that matter
  const stack = []; // {open, word, at}: the bracket, the word before it (metric or keyword)
  let lastWord = null; // the last identifier, with the index just after it
  let lastToken = null; // the last significant token: an identifier, an operator or a bracket
  let matcherLabel = null; // inside braces: the label name of the matcher being written
  let i = 0;
  while (i < before.length) {
    const c = before[i];
    if (c === '#') {
      const nl = before.indexOf('\n', i);
      if (nl < 0) {
        return null; // in a comment
      }
      i = nl + 1;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < before.length && before[j] !== c) {
        j += c !== '`' && before[j] === '\\' ? 2 : 1;
      }
      if (j >= before.length) {
        // the caret is inside this string
        const top = stack[stack.length - 1];
        if (top?.open === '{' && matcherLabel && lastToken?.type === 'op') {
          return { kind: 'labelValue', prefix: before.slice(i + 1), from: i + 1, label: matcherLabel, metric: top.word, quote: c };
        }
        return null;
      }
      lastToken = { type: 'string' };
      i = j + 1;
      continue;
    }
    if (isWordStart(c)) {
      let j = i + 1;
      while (j < before.length && isWord(before[j])) {
        j++;
      }
      if (j === before.length) {
        break; // the word being typed
      }
      lastWord = { word: before.slice(i, j), end: j };
      lastToken = { type: 'word', word: lastWord.word };
      i = j;
      continue;
    }
    if (/[0-9.]/.test(c)) {
      let j = i + 1;
      while (j < before.length && /[0-9A-Za-z_.]/.test(before[j])) {
        j++;
      }
      if (j === before.length) {
        return null; // a number or a duration
      }
      lastToken = { type: 'number' };
      i = j;
      continue;
    }
    if ('({['.includes(c)) {
      // the word right before the bracket (spaces allowed), for a selector's metric or a label list
      const word = lastWord && before.slice(lastWord.end, i).trim() === '' ? lastWord.word : null;
      stack.push({ open: c, word });
      if (c === '{') {
        matcherLabel = null;
      }
      lastToken = { type: 'open', open: c };
    } else if (')}]'.includes(c)) {
      stack.pop();
      lastToken = { type: 'close' };
    } else if (c === ',') {
      lastToken = { type: 'comma' };
      matcherLabel = null;
    } else if (/[=!~<>]/.test(c)) {
      if (stack[stack.length - 1]?.open === '{' && lastToken?.type === 'word') {
        matcherLabel = lastToken.word;
      }
      let j = i + 1;
      while (j < before.length && /[=~]/.test(before[j])) {
        j++;
      }
      lastToken = { type: 'op' };
      i = j;
      continue;
    } else if (!/\s/.test(c)) {
      lastToken = { type: 'op' };
    }
    i++;
  }
  let from = caret;
  while (from > 0 && isWord(text[from - 1])) {
    from--;
  }
  if (from < caret && !isWordStart(text[from])) {
    return null;
  }
  const prefix = text.slice(from, caret);
  const top = stack[stack.length - 1];
  if (top?.open === '[') {
    return null;
  }
  if (top?.open === '{') {
    // a label name starts a matcher: right after the brace or a comma
    return lastToken?.type === 'open' || lastToken?.type === 'comma' ? { kind: 'labelName', prefix, from, metric: top.word } : null;
  }
  if (top?.open === '(' && LABEL_LISTS.has(top.word)) {
    return { kind: 'labelName', prefix, from, metric: null };
  }
  return prefix === '' ? null : { kind: 'expression', prefix, from };
}

/**
 * The candidates that match a prefix, best first: those starting with it (shorter first), then
 * those containing it (earlier match first, then shorter); at most {@code limit}.
 */
export function rank(candidates, prefix, limit = MAX_SHOWN) {
  const p = prefix.toLowerCase();
  const starts = [];
  const contains = [];
  for (const c of candidates) {
    const text = c.text.toLowerCase();
    if (text.startsWith(p)) {
      starts.push(c);
    } else if (p !== '' && text.includes(p)) {
      contains.push(c);
    }
  }
  const byLength = (a, b) => a.text.length - b.text.length || (a.text < b.text ? -1 : 1);
  starts.sort(byLength);
  contains.sort((a, b) => a.text.toLowerCase().indexOf(p) - b.text.toLowerCase().indexOf(p) || byLength(a, b));
  return [...starts, ...contains].slice(0, limit);
}

/** Text that closes a label value: the value escaped for its quote, and the quote unless it follows. */
export function quoteValue(value, quote, following) {
  const escaped = quote === '`' ? value : value.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), '\\' + quote);
  return escaped + (following === quote ? '' : quote);
}

/** Fetches and caches the API answers completion needs. */
function sources() {
  const cache = new Map();
  const cached = (key, load) => {
    const hit = cache.get(key);
    if (hit && performance.now() - hit.at < CACHE_MILLIS) {
      return hit.value;
    }
    const value = load().catch(() => []); // completion is a help: a failing API just offers nothing
    cache.set(key, { at: performance.now(), value });
    return value;
  };
  const match = (metric) => (metric ? { 'match[]': `{__name__=${JSON.stringify(metric)}}` } : {});
  return {
    metrics: () => cached('metrics', async () => (await api('/api/v1/label/__name__/values')).data),
    // a selector with a metric has its name already
    labelNames: (metric) => cached('names ' + metric, async () => (await api('/api/v1/labels', match(metric))).data
      .filter((n) => !metric || n !== '__name__')),
    labelValues: (label, metric) => cached(`values ${label} ${metric}`,
      async () => (await api(`/api/v1/label/${encodeURIComponent(label)}/values`, match(metric))).data),
  };
}

/** The candidates for a context: {text, kind, insert}. */
async function candidates(context, source) {
  switch (context.kind) {
    case 'expression': {
      const metrics = (await source.metrics()).map((m) => ({ text: m, kind: 'metric', insert: m }));
      return [...metrics,
        ...FUNCTIONS.map((f) => ({ text: f, kind: 'function', insert: f + '(' })),
        ...AGGREGATIONS.map((a) => ({ text: a, kind: 'aggregation', insert: a + '(' })),
        ...KEYWORDS.map((k) => ({ text: k, kind: 'keyword', insert: k + ' ' }))];
    }
    case 'labelName':
      return (await source.labelNames(context.metric)).map((n) => ({ text: n, kind: 'label', insert: n }));
    case 'labelValue':
      return (await source.labelValues(context.label, context.metric)).map((v) => ({ text: v, kind: 'value', insert: v }));
    default:
      return [];
  }
}

/**
 * Adds completion to an expression textarea. Returns {handleKey}: the editor's keydown
 * handler calls handleKey first and stops when it returns true (the key was the dropdown's).
 */
export function attachCompletion(textarea, container, id = 'completions') {
  const source = sources();
  const list = h('ul', { id, class: 'completions', role: 'listbox', hidden: true });
  container.append(list);
  let shown = [];
  let active = 0;
  let context = null;
  let generation = 0;

  function close() {
    generation++;
    shown = [];
    list.hidden = true;
    replace(list);
  }

  function render() {
    replace(list, shown.map((c, i) => h('li', {
      class: i === active ? 'active' : null, role: 'option', 'data-kind': c.kind,
      onmousedown: (e) => {
        e.preventDefault(); // keep the focus in the editor
        accept(i);
      },
    }, h('span', { class: 'text' }, c.text), h('span', { class: 'kind' }, c.kind))));
    list.hidden = shown.length === 0;
    list.children[active]?.scrollIntoView({ block: 'nearest' });
  }

  async function update() {
    const mine = ++generation;
    const caret = textarea.selectionStart;
    if (caret !== textarea.selectionEnd) {
      close();
      return;
    }
    const found = completionContext(textarea.value, caret);
    if (!found) {
      close();
      return;
    }
    const all = await candidates(found, source);
    if (mine !== generation) {
      return; // the text changed meanwhile, or the list was closed
    }
    const ranked = rank(all, found.prefix);
    // a word already typed out in full needs no list
    shown = ranked.length === 1 && ranked[0].text === found.prefix ? [] : ranked;
    context = found;
    active = 0;
    render();
  }

  function accept(i) {
    const c = shown[i];
    if (!c) {
      return;
    }
    const caret = textarea.selectionStart;
    const after = textarea.value.slice(caret);
    let insert = c.insert;
    if (context.kind === 'labelValue') {
      insert = quoteValue(c.insert, context.quote, after[0]);
    } else if (insert.endsWith('(') && after.startsWith('(')) {
      insert = insert.slice(0, -1);
    }
    // the rest of a word the caret is in is replaced too
    let end = caret;
    while (context.kind !== 'labelValue' && end < textarea.value.length && isWord(textarea.value[end])) {
      end++;
    }
    textarea.setRangeText(insert, context.from, end, 'end');
    close();
    textarea.focus();
    update();
  }

  textarea.addEventListener('input', update);
  textarea.addEventListener('blur', close);
  textarea.addEventListener('click', update);

  return {
    handleKey(e) {
      if (list.hidden) {
        if (e.key === ' ' && e.ctrlKey) {
          e.preventDefault();
          update();
          return true;
        }
        return false;
      }
      switch (e.key) {
        case 'ArrowDown':
        case 'ArrowUp':
          active = (active + (e.key === 'ArrowDown' ? 1 : shown.length - 1)) % shown.length;
          render();
          break;
        case 'Tab':
        case 'Enter':
          if (e.shiftKey) {
            return false;
          }
          accept(active);
          break;
        case 'Escape':
          close();
          break;
        default:
          return false;
      }
      e.preventDefault();
      return true;
    },
  };
}
