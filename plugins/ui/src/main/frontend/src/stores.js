// The stores page: every endpoint of the query role with its type, labels, time range and health.
import { api } from './api.js';
import { errorBox, h, replace } from './dom.js';
import { formatMillis } from './time.js';

const REFRESH_MILLIS = 10_000;

export function storesPage(root) {
  const body = h('div', { id: 'stores' }, h('span', { class: 'muted' }, 'Loading…'));
  replace(root, h('section', { class: 'panel' },
    h('div', { class: 'heading' }, h('h1', null, 'Stores'),
      h('button', { id: 'refresh', type: 'button', onclick: () => refresh() }, 'Refresh')),
    body));

  async function refresh() {
    try {
      const { data } = await api('/api/v1/stores');
      const types = Object.keys(data ?? {}).sort();
      if (types.length === 0) {
        replace(body, h('p', { class: 'muted empty' }, 'No endpoints are configured or discovered.'));
        return;
      }
      replace(body, types.map((type) => storeTable(type, data[type] ?? [])));
    } catch (error) {
      replace(body, errorBox(error));
    }
  }
  refresh();
  setInterval(refresh, REFRESH_MILLIS);
}

function storeTable(type, endpoints) {
  const up = endpoints.filter((e) => e.healthy).length;
  return h('div', { class: 'store-type', 'data-type': type },
    h('h2', null, `${type} `, h('span', { class: 'muted' }, `(${up}/${endpoints.length} up)`)),
    h('table', { class: 'stores' },
      h('thead', null, h('tr', null, ['Endpoint', 'Status', 'Announced labels', 'Min time', 'Max time', 'Last check', 'Last error']
        .map((c) => h('th', null, c)))),
      h('tbody', null, endpoints.map((e) => h('tr', { class: 'store-row', 'data-endpoint': e.name },
        h('td', { class: 'endpoint' }, e.name),
        h('td', null, h('span', { class: e.healthy ? 'state up' : 'state down' }, e.healthy ? 'UP' : 'DOWN')),
        h('td', { class: 'labels' }, (e.labelSets ?? []).map((set) => h('div', { class: 'label-set' },
          Object.entries(set).map(([k, v]) => h('span', { class: 'label' }, `${k}=${JSON.stringify(v)}`))))),
        h('td', { class: 'min-time' }, formatMillis(e.minTime)),
        h('td', { class: 'max-time' }, formatMillis(e.maxTime)),
        h('td', null, e.lastCheck ?? 'never'),
        h('td', { class: 'last-error' }, e.lastError ?? ''))))));
}
