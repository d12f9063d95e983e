// Downloads: the queue live from the task WebSocket (progress, speed, ETA, phase), cancel, failures with their
// reason (this session's task_failed frames), and recent outcomes from the downloader (/monitoring/heartbeats).
import { h, fill } from '../core/dom.js';
import { t } from '../core/i18n.js';
import { api } from '../core/api.js';
import { feed, on, refreshQueue } from '../core/feed.js';
import { formatRelative, formatDuration, toDate } from '../core/format.js';
import { outcomes } from '../core/outcomes.js';
import { button, busy, empty, load, pill, progressBar, section, table, toast, updateProgress } from '../core/ui.js';

export const title = () => t('nav.downloads');

export function render(root) {
  const active = h('div', { class: 'tasks', 'data-testid': 'active-tasks' });
  const pending = h('div', { 'data-testid': 'pending-tasks' });
  const failures = h('div', { 'data-testid': 'failures' });
  const recent = h('div', { 'data-testid': 'recent-tasks' });
  fill(root,
    h('h1', null, t('nav.downloads')),
    section(t('downloads.active'), active),
    section(t('downloads.pending'), pending),
    section(t('downloads.failures'), failures),
    section(t('downloads.recent'), recent));

  const bars = new Map(); // avid → {bar, line, update}
  function renderQueue(queue) {
    bars.clear();
    const activeTasks = queue?.active_tasks ?? [];
    fill(active, activeTasks.length ? activeTasks.map(activeTask) : empty(t('downloads.noActive')));
    const pendingTasks = queue?.pending_tasks ?? [];
    fill(pending, pendingTasks.length
      ? table([t('downloads.position'), t('add.avid'), t('downloads.queuedAt'), ''], pendingTasks.map((task, index) => h('tr', { dataset: { avid: task.avid } },
        h('td', null, String(index + 1)),
        h('td', null, h('a', { href: `#/resource/${encodeURIComponent(task.avid)}` }, task.avid), task.task_type === 'mock' ? pill('mock') : null),
        h('td', null, formatRelative(task.created_at)),
        h('td', null, cancelButton(task.avid)))))
      : empty(t('downloads.noPending')));
  }

  function activeTask(task) {
    const live = feed.progress.get(task.avid) ?? task.progress ?? {};
    const bar = progressBar(live.percent ?? 0, { label: task.avid, phase: live.phase });
    bar.dataset.testid = 'task-progress';
    const line = h('div', { class: 'task-line' });
    const update = (p) => {
      updateProgress(bar, p.percent ?? 0, p.phase);
      fill(line,
        h('strong', { 'data-testid': 'task-percent' }, `${(p.percent ?? 0).toFixed(1)} %`),
        h('span', null, `${t('downloads.speed')}: ${p.speed || '—'}`),
        h('span', null, `${t('downloads.eta')}: ${p.eta || '—'}`),
        pill(t(`downloads.phase.${p.phase ?? 'download'}`), p.phase === 'merge' ? 'warn' : 'info'),
        h('span', { class: 'muted' }, t('downloads.started', { when: formatRelative(task.updated_at ?? task.created_at) })));
    };
    update(live);
    bars.set(task.avid, { update });
    return h('article', { class: 'task', 'data-testid': 'active-task', dataset: { avid: task.avid } },
      h('div', { class: 'task-head' },
        h('a', { href: `#/resource/${encodeURIComponent(task.avid)}` }, h('strong', null, task.avid), task.title ? ` · ${task.title}` : ''),
        cancelButton(task.avid)),
      bar, line);
  }

  function cancelButton(avid) {
    const btn = button(t('downloads.cancel'), () => busy(btn, async () => {
      await api.post(`/downloads/${encodeURIComponent(avid)}/cancel`);
      toast(t('downloads.cancelled', { avid }));
    }), { kind: 'small', iconName: 'x', testid: 'cancel' });
    return btn;
  }

  function renderFailures() {
    const list = outcomes().filter((o) => o.kind === 'failed');
    fill(failures, list.length
      ? table([t('add.avid'), t('downloads.reason'), t('downloads.when')], list.map((o) => h('tr', null,
        h('td', null, h('a', { href: `#/resource/${encodeURIComponent(o.avid)}` }, o.avid)),
        h('td', null, o.message, o.error ? h('div', { class: 'muted small' }, o.error) : null),
        h('td', null, formatRelative(o.at / 1000)))))
      : empty(t('downloads.noFailures')));
  }

  const showRecent = () => load(recent, () => api.get('/monitoring/heartbeats'), (envelope) => {
    const list = envelope.data.recent ?? [];
    if (list.length === 0) return empty(t('downloads.noRecent'));
    return table([t('add.avid'), t('downloads.outcome'), t('downloads.took'), t('downloads.ended')], list.map((task) => {
      const seconds = (toDate(task.ended_at) - toDate(task.started_at)) / 1000;
      return h('tr', { 'data-testid': 'recent-task', dataset: { avid: task.avid, outcome: task.outcome } },
        h('td', null, h('a', { href: `#/resource/${encodeURIComponent(task.avid)}` }, task.avid)),
        h('td', null, pill(t(`downloads.outcome.${task.outcome}`), task.outcome === 'completed' ? 'good' : 'bad')),
        h('td', null, Number.isFinite(seconds) ? formatDuration(seconds) : '—'),
        h('td', null, formatRelative(task.ended_at)));
    }));
  });

  if (feed.queue) renderQueue(feed.queue);
  else api.get('/tasks/queue/status').then((envelope) => { if (!feed.queue) renderQueue(envelope.data); }).catch(() => renderQueue(null));
  refreshQueue();
  renderFailures();
  showRecent();

  const subscriptions = [
    on('queue_status', renderQueue),
    on('progress_update', (data) => bars.get(data.avid)?.update(data)),
    on('task_failed', () => { renderFailures(); showRecent(); }),
    on('task_completed', () => showRecent()),
  ];
  return () => subscriptions.forEach((unsubscribe) => unsubscribe());
}
