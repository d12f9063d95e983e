// Library: the cover grid with search, filters, sorting and pagination (GET /resources/).
import { h, fill } from '../core/dom.js';
import { t } from '../core/i18n.js';
import { api } from '../core/api.js';
import { on } from '../core/feed.js';
import { icon } from '../core/icons.js';
import { href, navigate } from '../core/router.js';
import { displaySettings, displayTitle } from '../core/settings.js';
import { empty, load, pager, searchBox, select } from '../core/ui.js';
import { libraryTabs } from './library-tabs.js';

const PAGE_SIZE = 24;
const SORTS = ['metadata_create_time', 'metadata_update_time', 'video_create_time', 'avid', 'source'];

export const title = () => t('nav.library');

export function render(root, { query }) {
  const state = {
    search: query.search ?? '',
    status: query.status ?? 'all',
    is_favorite: query.is_favorite ?? '',
    watched: query.watched ?? '',
    sort_by: SORTS.includes(query.sort_by) ? query.sort_by : 'metadata_create_time',
    order: query.order === 'asc' ? 'asc' : 'desc',
    actor: query.actor ?? '',
    actor_name: query.actor_name ?? '',
    genre: query.genre ?? '',
    genre_name: query.genre_name ?? '',
    page: Number(query.page) > 0 ? Number(query.page) : 1,
  };
  const go = (changes) => navigate('/library', { ...state, page: 1, ...changes });

  const results = h('div', { class: 'results' });
  const chips = [
    state.actor ? chip(t('library.actorFilter', { name: state.actor_name || state.actor }), { actor: '', actor_name: '' }) : null,
    state.genre ? chip(t('library.genreFilter', { name: state.genre_name || state.genre }), { genre: '', genre_name: '' }) : null,
  ];
  function chip(text, clear) {
    return h('a', { class: 'chip removable', href: href('/library', { ...state, ...clear, page: 1 }), title: t('common.remove') }, text, icon('x'));
  }

  fill(root,
    libraryTabs('library'),
    h('div', { class: 'toolbar' },
      searchBox(state, '/library', () => show(), { placeholder: t('library.searchPlaceholder'), testid: 'library-search' }),
      select([['all', t('library.status.all')], ['downloaded', t('library.status.downloaded')], ['pending', t('library.status.pending')]],
        state.status, (value) => go({ status: value }), { label: t('library.status'), testid: 'filter-status' }),
      select([['', t('library.any')], ['true', t('library.favourites')], ['false', t('library.notFavourites')]],
        state.is_favorite, (value) => go({ is_favorite: value }), { label: t('library.favourite'), testid: 'filter-favourite' }),
      select([['', t('library.any')], ['true', t('library.watched')], ['false', t('library.unwatched')]],
        state.watched, (value) => go({ watched: value }), { label: t('library.watchedLabel'), testid: 'filter-watched' }),
      select(SORTS.map((sort) => [sort, t(`library.sort.${sort}`)]), state.sort_by, (value) => go({ sort_by: value }),
        { label: t('library.sortBy'), testid: 'sort-by' }),
      select([['desc', t('library.desc')], ['asc', t('library.asc')]], state.order, (value) => go({ order: value }),
        { label: t('library.order') })),
    h('div', { class: 'chips' }, chips),
    results);

  const fetchPage = () => Promise.all([
    api.get('/resources/', {
      page: state.page, page_size: PAGE_SIZE, sort_by: state.sort_by, order: state.order, search: state.search,
      status: state.status === 'all' ? '' : state.status, is_favorite: state.is_favorite, watched: state.watched,
      actor: state.actor, genre: state.genre,
    }),
    displaySettings(),
  ]);
  const show = () => load(results, fetchPage, ([envelope, settings]) => {
    if (envelope.data.length === 0) return empty(state.search || state.actor || state.genre || state.status !== 'all' ? t('library.noMatch') : t('library.emptyLibrary'));
    return [
      h('p', { class: 'muted total-line' }, t('library.total', { total: envelope.pagination.total })),
      h('div', { class: 'grid', 'data-testid': 'library-grid' }, envelope.data.map((resource) => card(resource, settings))),
      pager(envelope.pagination, (page) => navigate('/library', { ...state, page })),
    ];
  });
  show();
  // A finished download changes a card's badge: refetch the page (a cheap query).
  return on('task_completed', () => show());
}

export function card(resource, settings) {
  const name = displayTitle(resource, settings);
  // Without "v=" the cover does not exist (the API adds it from the file's mtime): no request for a sure 404.
  const hasCover = typeof resource.thumbnail_url === 'string' && resource.thumbnail_url.includes('v=');
  return h('a', { class: 'tile', href: `#/resource/${encodeURIComponent(resource.avid)}`, 'data-testid': 'resource-card', dataset: { avid: resource.avid } },
    h('div', { class: 'cover' },
      hasCover
        ? h('img', { src: resource.thumbnail_url, alt: resource.avid, loading: 'lazy', decoding: 'async', 'data-testid': 'cover' })
        : h('div', { class: 'no-cover' }, icon('film')),
      h('div', { class: 'marks' },
        resource.has_video ? h('span', { class: 'mark video', title: t('library.hasVideo') }, icon('play', t('library.hasVideo'))) : null,
        resource.is_favorite ? h('span', { class: 'mark fav', title: t('library.favourite') }, icon('star', t('library.favourite'))) : null,
        resource.watched ? h('span', { class: 'mark seen', title: t('library.watched') }, icon('eye', t('library.watched'))) : null)),
    h('div', { class: 'tile-body' },
      h('div', { class: 'tile-title', title: name }, name),
      h('div', { class: 'tile-meta' }, h('strong', null, resource.avid), resource.release_date ? h('span', null, resource.release_date) : null)));
}
