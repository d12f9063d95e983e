// System: the download lock (holder, epoch, age, ttl, task, tier state, force release), heartbeats, lock
// statistics, per-source health, the translator, and the readiness of this host and of the upstreams.
import { h, fill } from '../core/dom.js';
import { t } from '../core/i18n.js';
import { api } from '../core/api.js';
import { formatDuration, formatNumber, formatRate, formatRelative, formatTime } from '../core/format.js';
import { button, busy, confirmDialog, empty, facts, load, pill, section, table, toast } from '../core/ui.js';

export const title = () => t('nav.system');

const REFRESH_MS = 5000;
const LOCK_TONE = { free: 'good', held: 'info', warning: 'warn', cancel_due: 'bad', force_release_due: 'bad' };
const HEALTH_TONE = { Healthy: 'good', Degraded: 'warn', Unhealthy: 'bad', Unreachable: 'bad' };

export function render(root) {
  const lock = h('div', { 'data-testid': 'lock' });
  const heartbeats = h('div', { 'data-testid': 'heartbeats' });
  const stats = h('div', { 'data-testid': 'lock-stats' });
  const sources = h('div', { 'data-testid': 'source-health' });
  const translator = h('div', { 'data-testid': 'translator' });
  const readiness = h('div', { 'data-testid': 'readiness' });
  fill(root,
    h('h1', null, t('nav.system')),
    h('div', { class: 'columns' },
      section(t('system.lock'), lock),
      section(t('system.readiness'), readiness)),
    section(t('system.heartbeats'), heartbeats),
    h('div', { class: 'columns' },
      section(t('system.stats'), stats),
      section(t('system.translator'), translator)),
    section(t('system.sources'), sources));

  const refresh = (quiet) => {
    load(lock, () => api.get('/monitoring/lock'), (envelope) => lockView(envelope.data, () => refresh(true)), { quiet });
    load(heartbeats, () => api.get('/monitoring/heartbeats'), (envelope) => heartbeatView(envelope.data), { quiet });
    load(stats, () => api.get('/monitoring/stats'), (envelope) => statsView(envelope.data), { quiet });
    load(sources, () => api.get('/source/health'), (envelope) => sourcesView(envelope.data), { quiet });
    load(translator, () => api.get('/translations/status'), (envelope) => translatorView(envelope.data), { quiet });
    load(readiness, () => api.get('/gateway/readiness'), (envelope) => readinessView(envelope.data), { quiet });
  };
  refresh(false);
  const timer = setInterval(() => { if (!document.hidden) refresh(true); }, REFRESH_MS);
  return () => clearInterval(timer);
}

function lockView(lock, refresh) {
  const task = lock.current_task;
  const release = button(t('system.forceRelease'), () => busy(release, async () => {
    const confirmed = await confirmDialog(t('system.forceReleaseConfirm'), {
      danger: true, confirmLabel: t('system.forceRelease'),
      detail: lock.held ? t('system.forceReleaseDetail', { holder: lock.holder, epoch: lock.epoch }) : t('system.lockFreeDetail'),
    });
    if (!confirmed) return;
    const envelope = await api.post('/monitoring/lock/release');
    const r = envelope.data;
    toast(r.released ? t('system.released', { holder: r.previous_holder, epoch: r.epoch }) : envelope.message, r.released ? 'good' : 'info');
    refresh();
  }), { kind: 'danger', iconName: 'lock', testid: 'force-release' });
  return [
    h('p', null, pill(t(`lock.${lock.state}`), LOCK_TONE[lock.state]), ' ', h('span', { 'data-testid': 'lock-state', dataset: { state: lock.state } }, lock.name)),
    facts([
      [t('system.holder'), lock.holder],
      [t('system.instance'), lock.instance],
      [t('system.epoch'), lock.holder_epoch !== null && lock.holder_epoch !== lock.epoch ? `${lock.epoch} (${t('system.holderEpoch')} ${lock.holder_epoch})` : String(lock.epoch)],
      [t('system.acquired'), lock.acquired_at ? formatTime(lock.acquired_at) : null],
      [t('system.age'), lock.age_seconds !== null ? formatDuration(lock.age_seconds) : null],
      [t('system.ttl'), lock.remaining_ttl_seconds !== null ? `${formatNumber(lock.remaining_ttl_seconds)} s` : null],
      [t('system.task'), task ? `${task.avid} · ${t(`downloads.phase.${task.phase}`)} · ${formatNumber(task.percent)} %` : null],
      [t('system.tiers'), t('system.tierLine', { warn: lock.timeouts.warn_after_minutes, cancel: lock.timeouts.cancel_after_minutes, force: lock.timeouts.force_release_after_minutes })],
    ]),
    h('div', { class: 'actions' }, release),
  ];
}

function heartbeatView(data) {
  const rows = [
    ...(data.active ?? []).map((b) => ['active', b]),
    ...(data.dead ?? []).map((b) => ['dead', b]),
  ];
  if (rows.length === 0) return empty(t('system.noHeartbeats'));
  return table([t('add.avid'), t('system.state'), t('system.instance'), t('system.epoch'), t('system.phase'), t('system.updated')],
    rows.map(([kind, b]) => h('tr', { dataset: { kind } },
      h('td', null, h('a', { href: `#/resource/${encodeURIComponent(b.avid)}` }, b.avid)),
      h('td', null, pill(t(`system.beat.${kind}`), kind === 'active' ? 'good' : 'bad')),
      h('td', null, b.instance ?? '—'),
      h('td', null, b.epoch ?? '—'),
      h('td', null, b.phase ? `${t(`downloads.phase.${b.phase}`)} · ${formatNumber(b.percent)} %` : '—'),
      h('td', null, formatRelative(b.updated_at ?? b.started_at)))));
}

function statsView(s) {
  const counters = ['attempts', 'acquired', 'completed', 'failed', 'cancelled', 'timed_out', 'lease_lost', 'stale_refused', 'warnings', 'forced_releases', 'manual_releases'];
  return [
    h('div', { class: 'stat-grid' }, counters.map((key) => h('div', { class: 'stat' }, h('span', { class: 'value' }, formatNumber(s[key] ?? 0)), h('span', { class: 'label' }, t(`stats.${key}`))))),
    facts([
      [t('stats.success_rate'), formatRate(s.success_rate)],
      [t('stats.timeout_rate'), formatRate(s.timeout_rate)],
      [t('stats.average_hold'), s.average_hold_seconds !== null ? formatDuration(s.average_hold_seconds) : '—'],
      [t('stats.average_wait'), s.average_wait_seconds !== null ? `${formatNumber(s.average_wait_seconds)} s` : '—'],
    ]),
  ];
}

function sourcesView(list) {
  if (list.length === 0) return empty(t('system.noSources'));
  return table([t('system.source'), t('system.lastSuccess'), t('system.lastError'), t('system.counts')], list.map((s) => h('tr', null,
    h('td', null, h('strong', null, s.source)),
    h('td', null, s.last_success_at ? formatRelative(s.last_success_at) : '—'),
    h('td', null, s.last_error_at ? [formatRelative(s.last_error_at), h('div', { class: 'muted small break' }, s.last_error)] : '—'),
    h('td', { class: 'nowrap' }, pill(`✓ ${s.success_count}`, 'good'), ' ', pill(`✗ ${s.failure_count}`, s.failure_count ? 'bad' : '')))));
}

function translatorView(s) {
  return [
    h('p', null, pill(s.translator_enabled ? t('system.translatorOn') : t('system.translatorOff'), s.translator_enabled ? 'good' : 'warn')),
    h('div', { class: 'stat-grid' }, ['pending', 'translating', 'completed', 'failed', 'skipped', 'total'].map((key) =>
      h('div', { class: 'stat' }, h('span', { class: 'value' }, formatNumber(s[key])), h('span', { class: 'label' }, t(key === 'total' ? 'system.total' : `translation.${key}`))))),
  ];
}

function readinessView(data) {
  const checks = (entries) => h('ul', { class: 'plain checks' }, Object.entries(entries ?? {}).map(([name, check]) =>
    h('li', null, pill(check.status, HEALTH_TONE[check.status]), ' ', name, check.description ? h('span', { class: 'muted' }, ` · ${check.description}`) : null)));
  return [
    h('p', null, pill(data.host.status, HEALTH_TONE[data.host.status]), ' ', t('system.thisHost')),
    checks(data.host.checks),
    data.upstreams.length
      ? data.upstreams.map((u) => h('div', { class: 'upstream' },
        h('p', null, pill(u.status, HEALTH_TONE[u.status]), ' ', h('code', null, u.destination), h('span', { class: 'muted' }, ` · ${u.routes.join(', ')}`),
          u.in_rotation ? null : [' ', pill(t('system.outOfRotation'), 'warn')]),
        u.error ? h('p', { class: 'bad small' }, u.error) : null,
        checks(u.checks)))
      : h('p', { class: 'muted small' }, t('system.noUpstreams')),
    h('p', { class: 'muted small' }, t('system.links'), ' ',
      h('a', { href: '/openapi/v1.json', target: '_blank' }, 'OpenAPI'), ' · ',
      h('a', { href: '/health/ready', target: '_blank' }, '/health/ready'), ' · ',
      h('a', { href: '/health/live', target: '_blank' }, '/health/live')),
  ];
}
