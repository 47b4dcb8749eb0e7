// The graph page: an expression editor with history, table and line-graph views.
import uPlot from 'uplot';
import { api, formatSeries } from './api.js';
import { attachCompletion } from './complete.js';
import { errorBox, h, replace, warningBox } from './dom.js';
import { formatDuration, formatTime, parseDuration, parseTime } from './time.js';

const SETTINGS_KEY = 'strata.graph';
const HISTORY_KEY = 'strata.history';
const HISTORY_SIZE = 50;
const TABLE_ROWS = 1000;
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

function load(key, fallback) {
  try {
    const value = JSON.parse(localStorage.getItem(key));
    return value ?? fallback;
  } catch {
    return fallback;
  }
}

function save(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage full or disabled: the page works without it
  }
}

/** Adds an expression to the front of the history, without duplicates. */
export function remember(history, expr) {
  return [expr, ...history.filter((e) => e !== expr)].slice(0, HISTORY_SIZE);
}

/**
 * The settings a graph link carries, in the parameters of Prometheus's and Thanos's graph pages:
 * g0.expr, g0.tab (0 graph, 1 table), g0.range_input, g0.end_input (or g0.moment_input),
 * g0.step_input, g0.deduplicate and g0.partial_response (0 or 1); null when it has no expression.
 */
export function fromLink(search) {
  const p = new URLSearchParams(search);
  if (!p.has('g0.expr')) {
    return null;
  }
  const linked = { expr: p.get('g0.expr') };
  const take = (param, key, convert = (v) => v) => {
    if (p.has(param)) {
      linked[key] = convert(p.get(param));
    }
  };
  take('g0.tab', 'tab', (v) => (v === '0' ? 'graph' : 'table'));
  take('g0.range_input', 'range');
  take('g0.moment_input', 'end');
  take('g0.end_input', 'end');
  take('g0.step_input', 'step');
  take('g0.deduplicate', 'dedup', (v) => v !== '0');
  take('g0.partial_response', 'partial', (v) => v !== '0');
  return linked;
}

/** The query string of a link to the page with these settings (read back by {@link fromLink}). */
export function toLink(settings) {
  const p = new URLSearchParams({ 'g0.expr': settings.expr, 'g0.tab': settings.tab === 'graph' ? '0' : '1', 'g0.range_input': settings.range });
  if (settings.end) {
    p.set('g0.end_input', settings.end);
  }
  if (settings.step) {
    p.set('g0.step_input', settings.step);
  }
  p.set('g0.deduplicate', settings.dedup ? '1' : '0');
  p.set('g0.partial_response', settings.partial ? '1' : '0');
  return '?' + p.toString();
}

export function graphPage(root) {
  // a link's settings win over the ones this browser kept
  const linked = fromLink(location.search);
  const settings = {
    expr: '', tab: 'table', range: '1h', end: '', step: '', dedup: true, partial: true,
    ...load(SETTINGS_KEY, {}),
    ...linked,
  };
  let history = load(HISTORY_KEY, []);
  let inFlight = null;
  let plot = null;

  const expr = h('textarea', {
    id: 'expr', rows: 3, spellcheck: 'false', placeholder: 'Expression (press Enter to execute, Shift+Enter for a new line, Ctrl+Space to complete)',
    value: settings.expr,
    onkeydown: (e) => {
      if (completion.handleKey(e)) {
        return;
      }
      if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault();
        execute();
      }
    },
  });
  const exprBox = h('div', { class: 'expr-box' }, expr);
  const completion = attachCompletion(expr, exprBox);
  const historyList = h('select', {
    id: 'history', title: 'Expression history',
    onchange: () => {
      if (historyList.value) {
        expr.value = historyList.value;
        historyList.value = '';
        expr.focus();
      }
    },
  });
  const range = h('input', { id: 'range', size: 6, value: settings.range, title: 'Range of the graph, e.g. 1h, 30m, 2d' });
  const end = h('input', { id: 'end', size: 22, value: settings.end, placeholder: 'now', title: 'End (table: evaluation) time: Unix seconds or RFC 3339; empty for now' });
  const step = h('input', { id: 'step', size: 6, value: settings.step, placeholder: 'auto', title: 'Resolution of the graph, e.g. 15s; empty for automatic' });
  const dedup = h('input', { id: 'dedup', type: 'checkbox', checked: settings.dedup });
  const partial = h('input', { id: 'partial', type: 'checkbox', checked: settings.partial });
  const tabs = {
    table: h('button', { type: 'button', 'data-tab': 'table', onclick: () => select('table') }, 'Table'),
    graph: h('button', { type: 'button', 'data-tab': 'graph', onclick: () => select('graph') }, 'Graph'),
  };
  const status = h('div', { id: 'query-status', class: 'query-status' });
  const output = h('div', { id: 'output', class: 'output' });

  function renderHistory() {
    replace(historyList, h('option', { value: '' }, `History (${history.length})`),
      history.map((e) => h('option', { value: e }, e.length > 120 ? e.slice(0, 117) + '…' : e)));
  }

  function select(tab) {
    settings.tab = tab;
    for (const [name, button] of Object.entries(tabs)) {
      button.classList.toggle('active', name === tab);
    }
    if (expr.value.trim() !== '') {
      execute();
    }
  }

  function persist() {
    Object.assign(settings, {
      expr: expr.value, range: range.value, end: end.value, step: step.value, dedup: dedup.checked, partial: partial.checked,
    });
    save(SETTINGS_KEY, settings);
  }

  function common() {
    return { dedup: dedup.checked, partial_response: partial.checked };
  }

  async function execute() {
    const query = expr.value.trim();
    persist();
    if (query === '') {
      return;
    }
    history = remember(history, query);
    save(HISTORY_KEY, history);
    renderHistory();
    // the address bar links to this query
    window.history.replaceState(null, '', location.pathname + toLink({ ...settings, expr: query }));

    const endTime = parseTime(end.value);
    const rangeSeconds = parseDuration(range.value);
    const stepSeconds = step.value.trim() === '' ? Math.max(Math.floor(rangeSeconds / 250), 1) : parseDuration(step.value);
    const invalid = Number.isNaN(endTime) ? `invalid end time "${end.value}"`
      : !(rangeSeconds > 0) ? `invalid range "${range.value}"`
        : !(stepSeconds > 0) ? `invalid step "${step.value}"` : null;
    if (invalid) {
      inFlight?.abort();
      inFlight = null;
      replace(status, errorBox(invalid));
      output.dataset.state = 'error';
      return;
    }
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    replace(status, h('span', { class: 'muted' }, 'Loading…'));
    output.dataset.state = 'loading';
    const started = performance.now();
    try {
      let result;
      if (settings.tab === 'graph') {
        result = await api('/api/v1/query_range', {
          query, start: endTime - rangeSeconds, end: endTime, step: stepSeconds, ...common(),
        }, { form: true, signal: controller.signal });
      } else {
        result = await api('/api/v1/query', { query, time: endTime, ...common() }, { form: true, signal: controller.signal });
      }
      const elapsed = performance.now() - started;
      if (controller !== inFlight) {
        return;
      }
      const count = Array.isArray(result.data.result) ? result.data.result.length : 1;
      const stats = [`Load time: ${Math.round(elapsed)} ms`, `Result series: ${count}`,
        settings.tab === 'graph' ? `Resolution: ${formatDuration(stepSeconds)}` : `Evaluated at ${formatTime(endTime)}`];
      replace(status, h('div', { id: 'stats', class: 'stats' }, stats.join(' · ')), warningBox(result.warnings, result.infos));
      plot?.destroy();
      plot = null;
      if (settings.tab === 'graph') {
        plot = renderGraph(output, result.data, endTime - rangeSeconds, endTime);
      } else {
        renderTable(output, result.data);
      }
      output.dataset.state = 'done';
    } catch (error) {
      if (error.name === 'AbortError' || controller !== inFlight) {
        return; // a newer query replaced this one
      }
      replace(status, errorBox(error));
      replace(output);
      output.dataset.state = 'error';
    } finally {
      if (inFlight === controller) {
        inFlight = null;
      }
    }
  }

  renderHistory();
  replace(root,
    h('section', { class: 'panel' },
      h('div', { class: 'editor' }, exprBox,
        h('div', { class: 'editor-buttons' },
          h('button', { id: 'execute', type: 'button', class: 'primary', onclick: execute }, 'Execute'), historyList)),
      h('div', { class: 'controls' },
        h('span', { class: 'tabs' }, tabs.table, tabs.graph),
        h('label', null, 'Range ', range),
        h('label', null, 'End ', end),
        h('label', null, 'Step ', step),
        h('label', { title: 'Merge the series of replicas (Thanos dedup)' }, dedup, ' Deduplication'),
        h('label', { title: 'Answer with what arrived when a store fails, with a warning' }, partial, ' Partial response')),
      status,
      output));
  for (const [name, button] of Object.entries(tabs)) {
    button.classList.toggle('active', name === settings.tab);
  }
  expr.focus();
  if (linked) {
    execute();
  }
}

function renderTable(output, data) {
  const rows = [];
  switch (data.resultType) {
    case 'vector':
      for (const s of data.result) {
        rows.push([formatSeries(s.metric), s.value ? s.value[1] : s.histogram ? JSON.stringify(s.histogram[1]) : '']);
      }
      break;
    case 'matrix':
      for (const s of data.result) {
        const values = (s.values ?? []).map(([t, v]) => `${v} @${t}`);
        rows.push([formatSeries(s.metric), values.join('\n')]);
      }
      break;
    case 'scalar':
    case 'string':
      rows.push([data.resultType, data.result[1]]);
      break;
    default:
      rows.push(['unknown result type ' + data.resultType, JSON.stringify(data.result)]);
  }
  if (rows.length === 0) {
    replace(output, h('p', { class: 'muted empty' }, 'Empty query result'));
    return;
  }
  const shown = rows.slice(0, TABLE_ROWS);
  replace(output,
    h('table', { id: 'result-table', class: 'result' },
      h('tbody', null, shown.map(([series, value]) => h('tr', null,
        h('td', { class: 'series' }, series), h('td', { class: 'value' }, value))))),
    rows.length > shown.length ? h('p', { class: 'muted' }, `Showing ${shown.length} of ${rows.length} series.`) : null);
}

function renderGraph(output, data, start, end) {
  if (data.resultType !== 'matrix') {
    replace(output, errorBox(`a graph needs a range query result, got ${data.resultType}`));
    return null;
  }
  if (data.result.length === 0) {
    replace(output, h('p', { class: 'muted empty' }, 'Empty query result'));
    return null;
  }
  const times = [...new Set(data.result.flatMap((s) => (s.values ?? []).map(([t]) => t)))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const columns = data.result.map((s) => {
    const column = new Array(times.length).fill(null);
    for (const [t, v] of s.values ?? []) {
      column[index.get(t)] = Number(v);
    }
    return column;
  });
  const container = h('div', { id: 'graph', class: 'graph' });
  replace(output, container);
  const width = Math.max(container.clientWidth, 400);
  return new uPlot({
    width,
    height: 360,
    scales: { x: { time: true, range: () => [start, end] } },
    series: [
      { label: 'Time', value: (u, t) => (t == null ? '' : formatTime(t)) },
      ...data.result.map((s, i) => ({
        label: formatSeries(s.metric), stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: false, points: { show: false },
      })),
    ],
    axes: [{}, { size: 70 }],
    legend: { live: true },
  }, [times, ...columns], container);
}
