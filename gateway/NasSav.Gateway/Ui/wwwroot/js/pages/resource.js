// One title: cover, metadata, actors, genres, status, refresh presets, download/cancel/delete, and the player.
import { h, fill } from '../core/dom.js';
import { t } from '../core/i18n.js';
import { api, apiUrl } from '../core/api.js';
import { feed, on } from '../core/feed.js';
import { icon } from '../core/icons.js';
import { href, navigate } from '../core/router.js';
import { avatarsEnabled, displaySettings, displayTitle } from '../core/settings.js';
import { formatBytes } from '../core/format.js';
import { button, busy, confirmDialog, errorBox, facts, load, pill, progressBar, toast, updateProgress } from '../core/ui.js';
import { avatar } from './people.js';

/** NASSAV's presets, as (refresh_m3u8, refresh_metadata, retranslate). */
const PRESETS = {
  all: [true, true, false],
  m3u8: [true, false, false],
  metadata: [false, true, false],
  translate: [false, false, true],
  metadataTranslate: [false, true, true],
};

export const title = (params) => params[0];

/** The API's "{minutes}分钟": a clip under a minute says "0分钟", which tells nothing. */
const knownDuration = (text) => Boolean(text) && !/^0\D/.test(text);

export function render(root, { params }) {
  const avid = params[0].toUpperCase();
  const subscriptions = [];
  const body = h('div', { class: 'resource' });
  fill(root, h('p', null, h('a', { href: '#/library', class: 'back' }, '‹ ', t('nav.library'))), body);

  const fetchAll = async () => {
    const [metadata, preview, settings] = await Promise.all([
      api.get('/resource/metadata', { avid }),
      api.get(`/resource/${encodeURIComponent(avid)}/preview`),
      displaySettings(),
    ]);
    const [actors, genres] = await Promise.all([
      resolveNames('/actors/', metadata.data.actors ?? []),
      resolveNames('/genres/', metadata.data.genres ?? []),
    ]);
    return { resource: metadata.data, thumbnail: preview.data.thumbnail_url, settings, actors, genres };
  };
  const show = () => load(body, fetchAll, (data) => view(data, show, subscriptions));
  show();
  return () => subscriptions.splice(0).forEach((unsubscribe) => unsubscribe());
}

/** Names → {id, name, avatar_filename} through the list endpoints (exact name match), in the given order. */
async function resolveNames(path, names) {
  return Promise.all(names.map(async (name) => {
    try {
      const envelope = await api.get(path, { search: name, page_size: 20 });
      return envelope.data.find((item) => item.name === name) ?? { name };
    } catch {
      return { name };
    }
  }));
}

function view({ resource, thumbnail, settings, actors, genres }, reload, subscriptions) {
  subscriptions.splice(0).forEach((unsubscribe) => unsubscribe());
  const avid = resource.avid;
  const version = /[?&]v=(\d+)/.exec(thumbnail ?? '')?.[1];
  const cover = version
    ? h('img', { class: 'cover-large', src: apiUrl('/resource/cover', { avid, v: version }), alt: avid, 'data-testid': 'resource-cover' })
    : h('div', { class: 'cover-large no-cover' }, icon('film'));

  const player = resource.file_exists
    ? h('video', { class: 'player', controls: true, preload: 'metadata', playsinline: true, src: apiUrl('/resource/video', { avid }),
      poster: version ? apiUrl('/resource/cover', { avid, size: 'large', v: version }) : null, 'data-testid': 'player' })
    : null;

  const statusRow = h('div', { class: 'toggles' },
    toggle('is_favorite', resource.is_favorite, 'star', t('resource.favourite'), t('resource.unfavourite')),
    toggle('watched', resource.watched, 'eye', t('resource.markWatched'), t('resource.markUnwatched')));
  function toggle(field, value, iconName, onLabel, offLabel) {
    const btn = button(value ? offLabel : onLabel, () => busy(btn, async () => {
      await api.patch(`/resource/${encodeURIComponent(avid)}/status`, { [field]: !value });
      reload();
    }), { kind: value ? 'on' : '', iconName, testid: `toggle-${field}` });
    btn.setAttribute('aria-pressed', String(Boolean(value)));
    return btn;
  }

  const download = h('div', { class: 'download-box', 'data-testid': 'download-box' });
  renderDownload();
  function renderDownload() {
    const queue = feed.queue;
    const active = queue?.active_tasks?.find((task) => task.avid === avid);
    const pending = queue?.pending_tasks?.find((task) => task.avid === avid);
    if (active || pending) {
      const live = feed.progress.get(avid) ?? active?.progress ?? {};
      const bar = progressBar(live.percent ?? 0, { label: t('downloads.progress'), phase: live.phase });
      bar.dataset.testid = 'resource-progress';
      const line = h('div', { class: 'muted' });
      const describe = (p) => fill(line, active ? t('downloads.line', { percent: (p.percent ?? 0).toFixed(1), speed: p.speed || '—', eta: p.eta || '—' }) : t('downloads.queued'),
        p.phase === 'merge' ? [' · ', t('downloads.phase.merge')] : null);
      describe(live);
      fill(download, h('h3', null, active ? t('downloads.downloading') : t('downloads.queued')), bar, line,
        button(t('downloads.cancel'), (event) => busy(event.currentTarget, async () => {
          await api.post(`/downloads/${encodeURIComponent(avid)}/cancel`);
          toast(t('downloads.cancelled', { avid }));
        }), { iconName: 'x', testid: 'cancel-download' }));
      download.update = (p) => { updateProgress(bar, p.percent, p.phase); describe(p); };
    } else {
      download.update = null;
      fill(download, resource.file_exists
        ? h('p', { class: 'muted' }, t('resource.videoSize', { size: formatBytes(resource.file_size) }))
        : button(t('resource.download'), (event) => busy(event.currentTarget, async () => {
          await api.post(`/downloads/${encodeURIComponent(avid)}`);
          toast(t('resource.downloadQueued', { avid }), 'good');
        }), { kind: 'primary', iconName: 'download', testid: 'download' }));
    }
  }
  subscriptions.push(
    on('queue_status', () => renderDownload()),
    on('progress_update', (data) => { if (data.avid === avid) download.update?.(data); }),
    on('task_completed', (data) => { if (data.avid === avid) reload(); }),
    on('task_failed', (data) => {
      if (data.avid !== avid) return;
      renderDownload();
      download.prepend(errorBox(new Error(data.message + (data.error ? ` (${data.error})` : ''))));
    }));

  const refresh = h('select', { 'aria-label': t('resource.refresh'), 'data-testid': 'refresh-preset' },
    h('option', { value: '' }, t('resource.refreshChoose')),
    Object.keys(PRESETS).map((name) => h('option', { value: name }, t(`resource.preset.${name}`))));
  const refreshButton = button(t('resource.refresh'), () => {
    const flags = PRESETS[refresh.value];
    if (!flags) return;
    busy(refreshButton, async () => {
      const [refresh_m3u8, refresh_metadata, retranslate] = flags;
      const envelope = await api.post(`/resource/refresh/${encodeURIComponent(avid)}`, { refresh_m3u8, refresh_metadata, retranslate });
      toast(envelope.data?.translation_error ? `${t('resource.refreshed')} · ${envelope.data.translation_error}` : t('resource.refreshed'), 'good');
      reload();
    });
  }, { iconName: 'refresh', testid: 'refresh' });

  const dangerous = h('div', { class: 'actions' },
    resource.file_exists ? button(t('resource.deleteVideo'), (event) => busy(event.currentTarget, async () => {
      if (!await confirmDialog(t('resource.deleteVideoConfirm', { avid }), { danger: true, confirmLabel: t('common.delete') })) return;
      await api.del(`/downloads/${encodeURIComponent(avid)}`);
      toast(t('resource.videoDeleted', { avid }));
      reload();
    }), { kind: 'danger ghost', iconName: 'trash', testid: 'delete-video' }) : null,
    button(t('resource.delete'), (event) => busy(event.currentTarget, async () => {
      if (!await confirmDialog(t('resource.deleteConfirm', { avid }), { danger: true, confirmLabel: t('common.delete') })) return;
      await api.del(`/resource/${encodeURIComponent(avid)}`);
      toast(t('resource.deleted', { avid }));
      navigate('/library');
    }), { kind: 'danger ghost', iconName: 'trash', testid: 'delete-resource' }));

  const showAvatars = avatarsEnabled(settings);
  return [
    h('div', { class: 'resource-head' },
      h('div', { class: 'media' }, player ?? cover),
      h('div', { class: 'summary' },
        h('h1', { 'data-testid': 'resource-title' }, displayTitle(resource, settings)),
        h('p', { class: 'avid-line' }, h('strong', null, avid), resource.release_date ? ` · ${resource.release_date}` : '',
          knownDuration(resource.duration) ? ` · ${resource.duration}` : '',
          resource.file_exists ? pill(t('library.status.downloaded'), 'good') : pill(t('library.status.pending'))),
        statusRow,
        download,
        h('div', { class: 'actions' }, refresh, refreshButton),
        dangerous)),
    player ? h('details', { class: 'card' }, h('summary', null, t('resource.cover')), cover) : null,
    h('section', { class: 'card' },
      h('h2', null, t('resource.details')),
      facts([
        [t('resource.sourceTitle'), resource.source_title],
        [t('resource.originalTitle'), resource.original_title],
        [t('resource.translatedTitle'), resource.translated_title],
        [t('resource.translation'), [t(`translation.${resource.translation_status}`), resource.translation_error ? ` · ${resource.translation_error}` : '']],
        [t('resource.source'), resource.source],
        [t('resource.releaseDate'), resource.release_date],
        [t('resource.duration'), knownDuration(resource.duration) ? resource.duration : null],
        [t('resource.director'), resource.director],
        [t('resource.studio'), resource.studio],
        [t('resource.label'), resource.label],
        [t('resource.series'), resource.series],
        [t('resource.fileSize'), resource.file_size ? formatBytes(resource.file_size) : null],
      ])),
    actors.length ? h('section', { class: 'card' }, h('h2', null, t('resource.actors')),
      h('ul', { class: 'people actors inline', 'data-testid': 'resource-actors' }, actors.map((actor) => h('li', null,
        h('a', { href: actor.id ? href('/library', { actor: actor.id, actor_name: actor.name }) : null },
          showAvatars ? avatar(actor) : null, h('span', { class: 'name' }, actor.name),
          actor.resource_count ? h('span', { class: 'count' }, String(actor.resource_count)) : null))))) : null,
    genres.length ? h('section', { class: 'card' }, h('h2', null, t('resource.genres')),
      h('div', { class: 'chips' }, genres.map((genre) => h('a', { class: 'chip', href: genre.id ? href('/library', { genre: genre.id, genre_name: genre.name }) : null },
        genre.name, genre.resource_count ? h('span', { class: 'count' }, String(genre.resource_count)) : null)))) : null,
  ];
}
