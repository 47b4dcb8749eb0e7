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

const DEFAULTS = { expr: '', tab: 'table', range: '1h', end: '', step: '', dedup: true, partial: true };

/**
 * The panels a graph link carries, in the parameters of Prometheus's and Thanos's graph pages, one
 * prefix per panel (g0., g1., ...): expr, tab (0 graph, 1 table), range_input, end_input (or
 * moment_input), step_input, deduplicate and partial_response (0 or 1). Each panel has only the
 * settings its link gives; null when the link has no expression.
 */
export function fromLink(search) {
  const p = new URLSearchParams(search);
  const indices = [...p.keys()].map((k) => /^g(\d+)\.expr$/.exec(k)).filter(Boolean).map((m) => Number(m[1])).sort((a, b) => a - b);
  if (indices.length === 0) {
    return null;
  }
  return indices.map((i) => {
    const prefix = `g${i}.`;
    const linked = { expr: p.get(prefix + 'expr') };
    const take = (param, key, convert = (v) => v) => {
      if (p.has(prefix + param)) {
        linked[key] = convert(p.get(prefix + param));
      }
    };
    take('tab', 'tab', (v) => (v === '0' ? 'graph' : 'table'));
    take('range_input', 'range');
    take('moment_input', 'end');
    take('end_input', 'end');
    take('step_input', 'step');
    take('deduplicate', 'dedup', (v) => v !== '0');
    take('partial_response', 'partial', (v) => v !== '0');
    return linked;
  });
}

/** The query string of a link to the page with these panels (read back by {@link fromLink}). */
export function toLink(panels) {
  const p = new URLSearchParams();
  panels.forEach((settings, i) => {
    const prefix = `g${i}.`;
    p.set(prefix + 'expr', settings.expr);
    p.set(prefix + 'tab', settings.tab === 'graph' ? '0' : '1');
    p.set(prefix + 'range_input', settings.range);
    if (settings.end) {
      p.set(prefix + 'end_input', settings.end);
    }
    if (settings.step) {
      p.set(prefix + 'step_input', settings.step);
    }
    p.set(prefix + 'deduplicate', settings.dedup ? '1' : '0');
    p.set(prefix + 'partial_response', settings.partial ? '1' : '0');
  });
  return '?' + p.toString();
}

/** The panels this browser kept (one object from before panels could be added counts as one). */
function storedPanels() {
  const stored = load(SETTINGS_KEY, []);
  const list = Array.isArray(stored) ? stored : [stored];
  return list.length === 0 ? [{}] : list;
}

/**
 * The graph page: expression panels one under the other, each with its own expression, view, range
 * and switches. A link's panels win over the ones this browser kept, and their queries run at once.
 */
export function graphPage(root) {
  const linked = fromLink(location.search);
  const panels = [];
  const history = { list: load(HISTORY_KEY, []) };
  let created = 0;
  const list = h('div', { id: 'panels', class: 'panels' });

  const page = {
    history,
    remembered(expr) {
      history.list = remember(history.list, expr);
      save(HISTORY_KEY, history.list);
      for (const p of panels) {
        p.renderHistory();
      }
    },
    changed() {
      save(SETTINGS_KEY, panels.map((p) => p.settings()));
      // the address bar links to every panel as it is now
      window.history.replaceState(null, '', location.pathname + toLink(panels.map((p) => p.settings())));
    },
    remove(panel) {
      panels.splice(panels.indexOf(panel), 1);
      panel.element.remove();
      for (const p of panels) {
        p.setRemovable(panels.length > 1);
      }
      page.changed();
    },
  };

  function add(settings) {
    const panel = expressionPanel(created === 0 ? '' : `-${created}`, { ...DEFAULTS, ...settings }, page);
    created++;
    panels.push(panel);
    list.append(panel.element);
    for (const p of panels) {
      p.setRemovable(panels.length > 1);
    }
    return panel;
  }

  replace(root, list, h('div', { class: 'page-actions' },
    h('button', { id: 'add-panel', type: 'button', onclick: () => add({}).focus() }, 'Add panel')));
  for (const settings of linked ?? storedPanels()) {
    add(settings);
  }
  panels[0].focus();
  if (linked) {
    for (const p of panels) {
      p.execute();
    }
  }
}

/**
 * One expression panel; {@code suffix} keeps its element ids unique ('' for the first panel, so its
 * ids are plain: #expr, #execute, #output, ...).
 */
function expressionPanel(suffix, settings, page) {
  let inFlight = null;
  let plot = null;

  const expr = h('textarea', {
    id: 'expr' + suffix, rows: 3, spellcheck: 'false', placeholder: 'Expression (press Enter to execute, Shift+Enter for a new line, Ctrl+Space to complete)',
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
  const completion = attachCompletion(expr, exprBox, 'completions' + suffix);
  const historyList = h('select', {
    id: 'history' + suffix, title: 'Expression history',
    onchange: () => {
      if (historyList.value) {
        expr.value = historyList.value;
        historyList.value = '';
        expr.focus();
      }
    },
  });
  const range = h('input', { id: 'range' + suffix, size: 6, value: settings.range, title: 'Range of the graph, e.g. 1h, 30m, 2d' });
  const end = h('input', { id: 'end' + suffix, size: 22, value: settings.end, placeholder: 'now', title: 'End (table: evaluation) time: Unix seconds or RFC 3339; empty for now' });
  const step = h('input', { id: 'step' + suffix, size: 6, value: settings.step, placeholder: 'auto', title: 'Resolution of the graph, e.g. 15s; empty for automatic' });
  const dedup = h('input', { id: 'dedup' + suffix, type: 'checkbox', checked: settings.dedup });
  const partial = h('input', { id: 'partial' + suffix, type: 'checkbox', checked: settings.partial });
  const tabs = {
    table: h('button', { type: 'button', 'data-tab': 'table', onclick: () => select('table') }, 'Table'),
    graph: h('button', { type: 'button', 'data-tab': 'graph', onclick: () => select('graph') }, 'Graph'),
  };
  const status = h('div', { id: 'query-status' + suffix, class: 'query-status' });
  const output = h('div', { id: 'output' + suffix, class: 'output' });

  function renderHistory() {
    const history = page.history.list;
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

  function current() {
    return Object.assign(settings, {
      expr: expr.value, range: range.value, end: end.value, step: step.value, dedup: dedup.checked, partial: partial.checked,
    });
  }

  function common() {
    return { dedup: dedup.checked, partial_response: partial.checked };
  }

  async function execute() {
    const query = expr.value.trim();
    current();
    page.changed();
    if (query === '') {
      return;
    }
    page.remembered(query);

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
      replace(status, h('div', { id: 'stats' + suffix, class: 'stats' }, stats.join(' · ')), warningBox(result.warnings, result.infos));
      plot?.destroy();
      plot = null;
      if (settings.tab === 'graph') {
        plot = renderGraph(output, result.data, endTime - rangeSeconds, endTime, suffix);
      } else {
        renderTable(output, result.data, suffix);
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

  const removeButton = h('button', { type: 'button', class: 'remove-panel', title: 'Remove this panel', onclick: () => {
    inFlight?.abort();
    plot?.destroy();
    page.remove(panel);
  } }, 'Remove');
  renderHistory();
  const element = h('section', { id: 'panel' + suffix, class: 'panel' },
    h('div', { class: 'editor' }, exprBox,
      h('div', { class: 'editor-buttons' },
        h('button', { id: 'execute' + suffix, type: 'button', class: 'primary', onclick: execute }, 'Execute'), historyList, removeButton)),
    h('div', { class: 'controls' },
      h('span', { class: 'tabs' }, tabs.table, tabs.graph),
      h('label', null, 'Range ', range),
      h('label', null, 'End ', end),
      h('label', null, 'Step ', step),
      h('label', { title: 'Merge the series of replicas (Thanos dedup)' }, dedup, ' Deduplication'),
      h('label', { title: 'Answer with what arrived when a store fails, with a warning' }, partial, ' Partial response')),
    status,
    output);
  for (const [name, button] of Object.entries(tabs)) {
    button.classList.toggle('active', name === settings.tab);
  }
  const panel = {
    element,
    settings: current,
    execute,
    renderHistory,
    focus: () => expr.focus(),
    setRemovable: (removable) => {
      removeButton.hidden = !removable;
    },
  };
  return panel;
}

function renderTable(output, data, suffix) {
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
    h('table', { id: 'result-table' + suffix, class: 'result' },
      h('tbody', null, shown.map(([series, value]) => h('tr', null,
        h('td', { class: 'series' }, series), h('td', { class: 'value' }, value))))),
    rows.length > shown.length ? h('p', { class: 'muted' }, `Showing ${shown.length} of ${rows.length} series.`) : null);
}

function renderGraph(output, data, start, end, suffix) {
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
  const container = h('div', { id: 'graph' + suffix, class: 'graph' });
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
