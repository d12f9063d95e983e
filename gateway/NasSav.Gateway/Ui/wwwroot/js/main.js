// The app shell: hash routes (#/library, #/resource/ABC-123 …), the navigation, the feed indicator, auth.
import { h, fill } from './core/dom.js';
import { t, locale } from './core/i18n.js';
import { connect, on, onState } from './core/feed.js';
import { onUnauthorized } from './core/api.js';
import { trackOutcomes } from './core/outcomes.js';
import { parseHash } from './core/router.js';
import { toast, errorBox } from './core/ui.js';

const PAGES = {
  library: () => import('./pages/library.js'),
  people: () => import('./pages/people.js'),
  resource: () => import('./pages/resource.js'),
  add: () => import('./pages/add.js'),
  downloads: () => import('./pages/downloads.js'),
  maintenance: () => import('./pages/maintenance.js'),
  system: () => import('./pages/system.js'),
  settings: () => import('./pages/settings.js'),
};

const ROUTES = [
  [/^\/?$/, 'library'],
  [/^\/library$/, 'library'],
  [/^\/(actors|genres)$/, 'people'],
  [/^\/resource\/([^/]+)$/, 'resource'],
  [/^\/add$/, 'add'],
  [/^\/downloads$/, 'downloads'],
  [/^\/maintenance$/, 'maintenance'],
  [/^\/system$/, 'system'],
  [/^\/settings$/, 'settings'],
];

const NAV = [
  ['library', '#/library'],
  ['add', '#/add'],
  ['downloads', '#/downloads'],
  ['maintenance', '#/maintenance'],
  ['system', '#/system'],
  ['settings', '#/settings'],
];

let cleanup = null;
let generation = 0;

async function route() {
  const mine = ++generation;
  const { path, query } = parseHash();
  const match = ROUTES.map(([pattern, name]) => [pattern.exec(path), name]).find(([m]) => m);
  const page = document.getElementById('page');
  if (cleanup) { try { cleanup(); } catch { /* a page's cleanup must not stop navigation */ } cleanup = null; }
  if (!match) {
    fill(page, errorBox(new Error(t('error.noPage', { path }))));
    return;
  }
  const [m, name] = match;
  highlight(name === 'people' || name === 'resource' ? 'library' : name);
  try {
    const module = await PAGES[name]();
    if (mine !== generation) return;
    fill(page);
    window.scrollTo(0, 0);
    const params = m.slice(1).map((value) => decodeURIComponent(value));
    document.title = `${module.title?.(params, query, path) ?? t(`nav.${name}`)} · NasSav`;
    cleanup = module.render(page, { params, query, path }) ?? null;
  } catch (error) {
    fill(page, errorBox(error));
  }
}

function highlight(name) {
  for (const link of document.querySelectorAll('#nav a')) link.classList.toggle('active', link.dataset.page === name);
}

function renderNav() {
  const badge = h('span', { class: 'badge', hidden: true, 'data-testid': 'nav-queue-count' });
  fill(document.getElementById('nav'), NAV.map(([name, target]) =>
    h('a', { href: target, dataset: { page: name } }, t(`nav.${name}`), name === 'downloads' ? badge : null)));
  on('queue_status', (data) => {
    const count = data.total_count ?? 0;
    badge.hidden = count === 0;
    badge.textContent = String(count);
  });
}

function renderFeedState() {
  const el = document.getElementById('feed-state');
  onState((state) => {
    el.className = `feed-state ${state}`;
    el.title = t(`feed.${state}`);
    fill(el, h('span', { class: 'dot' }), h('span', { class: 'label' }, t(`feed.${state}`)));
  });
}

function watchAuth() {
  let shown = false;
  onUnauthorized(() => {
    if (shown) return;
    shown = true;
    // Reloading the page without a valid key gets the gateway's login page (the login link flow).
    fill(document.getElementById('banner'), h('div', { class: 'banner bad', role: 'alert' },
      t('auth.needed'), ' ', h('a', { href: location.pathname, onclick: () => location.reload() }, t('auth.signIn'))));
  });
}

document.documentElement.lang = locale;
renderNav();
renderFeedState();
watchAuth();
trackOutcomes();
on('task_completed', (data) => toast(t('downloads.completedToast', { avid: data.avid }), 'good'));
on('task_failed', (data) => toast(t('downloads.failedToast', { avid: data.avid, message: data.message ?? '' }), 'bad', 8000));
window.addEventListener('hashchange', route);
connect();
route();
