// Entry point: one page per path, all served the same index.html.
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { graphPage } from './graph.js';
import { statusPage } from './status.js';
import { storesPage } from './stores.js';

const pages = { graph: graphPage, stores: storesPage, status: statusPage };
const name = location.pathname.replace(/^\/+|\/+$/g, '') || 'graph';
const page = pages[name] ?? graphPage;
for (const link of document.querySelectorAll('nav a[data-page]')) {
  link.classList.toggle('active', link.dataset.page === name);
}
page(document.getElementById('app'));
