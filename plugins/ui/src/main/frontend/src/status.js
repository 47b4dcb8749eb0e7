// The status page: build information, loaded plugins and the effective configuration.
import { api } from './api.js';
import { errorBox, h, replace } from './dom.js';

export function statusPage(root) {
  const build = h('div', { id: 'buildinfo' }, h('span', { class: 'muted' }, 'Loading…'));
  const plugins = h('div', { id: 'plugins' });
  const config = h('div', { id: 'config' });
  replace(root, h('section', { class: 'panel' },
    h('h1', null, 'Build information'), build,
    h('h1', null, 'Plugins'), plugins,
    h('h1', null, 'Configuration'), config));

  section(build, '/api/v1/status/buildinfo', (data) => h('table', { class: 'info' },
    h('tbody', null, Object.entries(data).map(([k, v]) => h('tr', null, h('th', null, k), h('td', null, String(v)))))));
  section(plugins, '/api/v1/status/plugins', (data) => h('table', { class: 'info' },
    h('thead', null, h('tr', null, h('th', null, 'Name'), h('th', null, 'Version'), h('th', null, 'Host'), h('th', null, 'Offers'))),
    h('tbody', null, data.map((p) => h('tr', null, h('td', null, p.name), h('td', null, p.version), h('td', null, p.host),
      h('td', null, (p.factories ?? []).map((f) => `${f.kind} ${f.type}`).join(', ')))))));
  section(config, '/api/v1/status/config', (data) => h('pre', { class: 'config' }, data.yaml));
}

async function section(element, path, render) {
  try {
    const { data } = await api(path);
    replace(element, render(data));
  } catch (error) {
    replace(element, errorBox(error));
  }
}
