// Maintenance: every job (cron, time zone, next/last run), run now (dry run or apply), live progress of running
// jobs and sync tasks (maintenance_progress frames), the run history with counts, log and report, the importer.
import { h, fill } from '../core/dom.js';
import { t, tOr } from '../core/i18n.js';
import { api } from '../core/api.js';
import { on } from '../core/feed.js';
import { formatBytes, formatNumber, formatRelative, formatTime, toDate } from '../core/format.js';
import { navigate } from '../core/router.js';
import { button, busy, empty, errorBox, load, pager, pill, progressBar, section, select, table, toast, updateProgress } from '../core/ui.js';

export const title = () => t('nav.maintenance');

const STATUS_TONE = { running: 'info', succeeded: 'good', failed: 'bad', cancelled: 'warn', abandoned: 'bad' };

export function jobLabel(job) {
  if (job.name.startsWith('sync-')) return t('job.sync', { task: job.name.slice('sync-'.length) });
  return tOr(`job.${job.name}`, job.description ?? job.name);
}

export function render(root, { query }) {
  const state = { job: query.job ?? '', status: query.status ?? '', page: Number(query.page) > 0 ? Number(query.page) : 1 };
  const jobs = h('div', { 'data-testid': 'jobs' });
  const live = h('div', { class: 'tasks', 'data-testid': 'maintenance-live' });
  const runs = h('div', { 'data-testid': 'runs' });
  const importer = h('div', { 'data-testid': 'importer' });
  const runFilters = h('div', { class: 'toolbar' });
  fill(root,
    h('h1', null, t('nav.maintenance')),
    section(t('maintenance.jobs'), jobs),
    section(t('maintenance.live'), live),
    section(t('maintenance.history'), runFilters, runs),
    section(t('maintenance.importer'), importer));

  let jobList = [];
  const jobsTable = (envelope) => {
    jobList = envelope.data;
    return table([t('maintenance.job'), t('maintenance.schedule'), t('maintenance.nextRun'), t('maintenance.lastRun'), t('maintenance.runNow')],
      jobList.map(jobRow), { testid: 'jobs-table' });
  };
  const showJobs = () => load(jobs, () => api.get('/maintenance/jobs'), (envelope) => {
    const rendered = jobsTable(envelope);
    renderRunFilters();
    return rendered;
  });

  function jobRow(job) {
    const last = job.last_run;
    const dry = button(t('maintenance.dryRun'), () => runJob(job, true, dry), { kind: 'small', disabled: job.running, testid: 'run-dry' });
    const apply = button(t('maintenance.apply'), () => runJob(job, false, apply), { kind: 'small primary', disabled: job.running, testid: 'run-apply' });
    return h('tr', { 'data-testid': 'job-row', dataset: { job: job.name } },
      h('td', null, h('strong', null, job.name), h('div', { class: 'muted small' }, jobLabel(job)),
        job.running ? pill(t('maintenance.running'), 'info') : null),
      h('td', null, job.cron ? h('code', null, job.cron) : h('span', { class: 'muted' }, t('maintenance.onDemand')),
        h('div', { class: 'muted small' }, job.time_zone, ' · ', job.apply ? t('maintenance.modeApply') : t('maintenance.modeReport'),
          job.enabled ? '' : ` · ${t('maintenance.disabled')}`)),
      h('td', null, job.next_run ? [formatRelative(job.next_run), h('div', { class: 'muted small' }, formatTime(job.next_run))] : '—'),
      h('td', null, last ? [pill(t(`run.${last.status}`), STATUS_TONE[last.status]), ' ', formatRelative(last.ended_at ?? last.started_at),
        last.message ? h('div', { class: 'muted small' }, last.message) : null] : '—'),
      h('td', { class: 'nowrap' }, dry, ' ', apply));
  }

  async function runJob(job, dryRun, btn) {
    await busy(btn, async () => {
      const envelope = await api.post(`/maintenance/jobs/${encodeURIComponent(job.name)}/run`, undefined, dryRun ? { dry_run: 'true' } : { apply: 'true' });
      toast(t('maintenance.started', { job: job.name, id: envelope.data.id }), 'good');
      showJobs();
      showRuns();
    });
  }

  function renderRunFilters() {
    fill(runFilters,
      select([['', t('maintenance.allJobs')], ...jobList.map((job) => [job.name, job.name])], state.job,
        (value) => navigate('/maintenance', { ...state, job: value, page: 1 }), { label: t('maintenance.job') }),
      select([['', t('maintenance.allStatuses')], ...Object.keys(STATUS_TONE).map((s) => [s, t(`run.${s}`)])], state.status,
        (value) => navigate('/maintenance', { ...state, status: value, page: 1 }), { label: t('maintenance.status') }));
  }

  const showRuns = () => load(runs, () => api.get('/maintenance/runs', { job: state.job, status: state.status, page: state.page, page_size: 15 }), (envelope) => {
    if (envelope.data.length === 0) return empty(t('maintenance.noRuns'));
    return [
      h('div', { class: 'runs' }, envelope.data.map(runItem)),
      pager(envelope.pagination, (page) => navigate('/maintenance', { ...state, page })),
    ];
  });

  function runItem(run) {
    const detail = h('div', { class: 'run-detail' });
    const item = h('details', { class: 'run', 'data-testid': 'run', dataset: { run: run.id, job: run.job, status: run.status } },
      h('summary', null,
        h('span', { class: 'run-id' }, `#${run.id}`),
        h('strong', null, run.job),
        pill(t(`run.${run.status}`), STATUS_TONE[run.status]),
        pill(run.apply ? t('maintenance.modeApply') : t('maintenance.dryRun'), run.apply ? 'warn' : ''),
        h('span', { class: 'muted' }, tOr(`maintenance.trigger.${run.trigger}`, run.trigger), ' · ', formatRelative(run.started_at)),
        run.message ? h('span', { class: 'run-message' }, run.message) : null),
      detail);
    item.addEventListener('toggle', () => { if (item.open && !detail.dataset.loaded) showRun(run, detail); });
    return item;
  }

  function showRun(run, detail) {
    detail.dataset.loaded = '1';
    load(detail, () => Promise.all([
      api.get(`/maintenance/runs/${run.id}`),
      run.has_report ? api.get(`/maintenance/runs/${run.id}/report`) : Promise.resolve(null),
    ]), ([full, report]) => {
      const r = full.data;
      const seconds = r.ended_at ? (toDate(r.ended_at) - toDate(r.started_at)) / 1000 : null;
      return [
        h('p', null, `${t('maintenance.started_at')}: ${formatTime(r.started_at)}`, seconds !== null ? ` · ${t('maintenance.took', { seconds: formatNumber(seconds) })}` : '',
          r.owner ? ` · ${r.owner}` : ''),
        r.counts && Object.keys(r.counts).length
          ? h('div', { class: 'chips' }, Object.entries(r.counts).map(([key, value]) => h('span', { class: 'chip' }, key, h('span', { class: 'count' }, formatNumber(value)))))
          : null,
        h('h4', null, t('maintenance.log')),
        r.log ? h('pre', { class: 'log', 'data-testid': 'run-log' }, r.log) : h('p', { class: 'muted' }, t('maintenance.noLog')),
        report ? [h('h4', null, t('maintenance.report')), h('pre', { class: 'log', 'data-testid': 'run-report' }, JSON.stringify(report.data.report, null, 2))] : null,
      ];
    });
  }

  // Live progress: one card per running run, updated by maintenance_progress frames.
  const cards = new Map();
  function progressCard(frame) {
    let card = cards.get(frame.run_id);
    if (!card) {
      const bar = progressBar(0, { label: frame.job });
      const line = h('div', { class: 'task-line' });
      const el = h('article', { class: 'task', 'data-testid': 'maintenance-progress', dataset: { run: frame.run_id, job: frame.job } },
        h('div', { class: 'task-head' }, h('strong', null, `${frame.job} #${frame.run_id}`)), bar, line);
      card = { el, bar, line, samples: [] };
      cards.set(frame.run_id, card);
      if (live.querySelector('.state')) fill(live);
      live.prepend(el);
    }
    // Rate over the last few seconds of frames (bytes, else items).
    const now = toDate(frame.at)?.getTime() ?? Date.now();
    card.samples = [...card.samples.filter((s) => now - s.at < 5000), { at: now, bytes: frame.bytes ?? 0, done: frame.done ?? 0 }];
    const first = card.samples[0];
    const span = (now - first.at) / 1000;
    const byteRate = span > 0 ? ((frame.bytes ?? 0) - first.bytes) / span : null;
    const itemRate = span > 0 ? ((frame.done ?? 0) - first.done) / span : null;
    const percent = frame.total_bytes ? (100 * frame.bytes) / frame.total_bytes : frame.total ? (100 * frame.done) / frame.total : (frame.status === 'running' ? 0 : 100);
    updateProgress(card.bar, frame.status === 'running' ? percent : 100);
    fill(card.line,
      pill(t(`run.${frame.status}`), STATUS_TONE[frame.status]),
      h('span', null, t('maintenance.files', { done: formatNumber(frame.done), total: frame.total ?? '?' })),
      frame.bytes || frame.total_bytes ? h('span', null, `${formatBytes(frame.bytes)} / ${frame.total_bytes ? formatBytes(frame.total_bytes) : '?'}`) : null,
      byteRate ? h('span', null, `${formatBytes(byteRate)}/s`) : itemRate ? h('span', null, t('maintenance.perSecond', { rate: formatNumber(itemRate) })) : null,
      frame.message ? h('span', { class: 'muted' }, frame.message) : null);
    card.el.dataset.status = frame.status;
    if (frame.status !== 'running') {
      showJobs();
      showRuns();
      showImporter();
    }
  }
  fill(live, empty(t('maintenance.nothingRunning')));

  const showImporter = () => load(importer, () => api.get('/maintenance/import/status'), (envelope) => {
    const s = envelope.data;
    if (!s.enabled) return h('p', { class: 'muted' }, t('maintenance.importerOff'));
    const list = (items, render) => (items.length ? h('ul', { class: 'plain' }, items.map((item) => h('li', null, render(item)))) : h('span', { class: 'muted' }, '—'));
    const item = (i) => [h('code', null, i.path), ` · ${t('maintenance.files', { done: i.files, total: i.files })} · ${formatBytes(i.bytes)}`,
      i.avids?.length ? ` · ${i.avids.join(', ')}` : '', i.error ? h('div', { class: 'bad small' }, i.error) : null];
    return h('div', { class: 'importer' },
      h('p', null, t('maintenance.watching'), ' ', s.watched.map((folder) => h('code', null, folder)), ` · ${t('maintenance.stableAfter', { seconds: s.stable_seconds })}`),
      h('dl', { class: 'facts' },
        h('dt', null, t('maintenance.importing')), h('dd', null, s.importing ? item(s.importing) : '—'),
        h('dt', null, t('maintenance.pendingItems')), h('dd', null, list(s.pending, item)),
        h('dt', null, t('maintenance.queuedItems')), h('dd', null, list(s.queued, item)),
        h('dt', null, t('maintenance.done')), h('dd', null, list(s.done, item)),
        h('dt', null, t('maintenance.failed')), h('dd', null, list(s.failed, item)),
        h('dt', null, t('maintenance.unmatched')), h('dd', null, list(s.unmatched, (u) => [h('code', null, u.path), ` · ${u.reason}`]))));
  });

  showJobs();
  showRuns();
  showImporter();
  const subscriptions = [on('maintenance_progress', progressCard)];
  // Jobs started by the scheduler show up without a frame to this page only through a poll.
  const poll = setInterval(() => { if (!document.hidden) showJobsQuietly(); }, 30000);
  async function showJobsQuietly() {
    try {
      fill(jobs, jobsTable(await api.get('/maintenance/jobs')));
    } catch (error) {
      fill(jobs, errorBox(error, showJobs));
    }
  }
  return () => { subscriptions.forEach((unsubscribe) => unsubscribe()); clearInterval(poll); };
}
