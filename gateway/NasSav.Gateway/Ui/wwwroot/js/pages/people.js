// Actors and genres with their counts (and avatars): GET /actors/ and /genres/. A click filters the library.
import { h, fill } from '../core/dom.js';
import { t } from '../core/i18n.js';
import { api, apiUrl } from '../core/api.js';
import { href, navigate } from '../core/router.js';
import { avatarsEnabled, displaySettings } from '../core/settings.js';
import { empty, load, pager, searchBox, select } from '../core/ui.js';
import { libraryTabs } from './library-tabs.js';

const PAGE_SIZE = 48;

export const title = (params, query, path) => t(`library.tab.${(path ?? location.hash).includes('genres') ? 'genres' : 'actors'}`);

export function render(root, { params, query }) {
  const kind = params[0]; // actors | genres
  const state = {
    search: query.search ?? '',
    order_by: query.order_by === 'name' ? 'name' : 'count',
    page: Number(query.page) > 0 ? Number(query.page) : 1,
  };
  const go = (changes) => navigate(`/${kind}`, { ...state, page: 1, ...changes });
  const results = h('div');
  fill(root,
    libraryTabs(kind),
    h('div', { class: 'toolbar' },
      searchBox(state, `/${kind}`, () => show(), { placeholder: t('people.search'), testid: 'people-search' }),
      select([['count', t('people.byCount')], ['name', t('people.byName')]], state.order_by, (value) => go({ order_by: value }),
        { label: t('library.sortBy') })),
    results);

  const show = () => load(results, () => Promise.all([
    api.get(`/${kind}/`, { page: state.page, page_size: PAGE_SIZE, search: state.search, order_by: state.order_by, order: state.order_by === 'name' ? 'asc' : 'desc' }),
    displaySettings(),
  ]), ([envelope, settings]) => {
    if (envelope.data.length === 0) return empty(t('people.none'));
    const showAvatars = kind === 'actors' && avatarsEnabled(settings);
    return [
      h('ul', { class: `people ${kind}`, 'data-testid': `${kind}-list` }, envelope.data.map((item) => h('li', null,
        h('a', { href: href('/library', kind === 'actors' ? { actor: item.id, actor_name: item.name } : { genre: item.id, genre_name: item.name }) },
          showAvatars ? avatar(item) : null,
          h('span', { class: 'name' }, item.name),
          h('span', { class: 'count' }, String(item.resource_count)))))),
      pager(envelope.pagination, (page) => navigate(`/${kind}`, { ...state, page })),
    ];
  });
  show();
}

export function avatar(actor) {
  return actor.avatar_filename
    ? h('img', { class: 'avatar', src: apiUrl(`/actors/${actor.id}/avatar`), alt: '', loading: 'lazy' })
    : h('span', { class: 'avatar none', 'aria-hidden': 'true' }, (actor.name ?? '?').slice(0, 1));
}
