// Add: one or many AVIDs (pasted, any separators). Each AVID is its own POST /resources/batch with one action,
// a few at a time, so every outcome shows the moment it is known (and a failure is an answer, not an HTTP error).
import { h, fill } from '../core/dom.js';
import { t } from '../core/i18n.js';
import { api } from '../core/api.js';
import { button, labelCell, pill, select, toast } from '../core/ui.js';

const CONCURRENCY = 3;
const AVID = /^[A-Z0-9]+(?:-[A-Z0-9]+)*$/;

export const title = () => t('nav.add');

/** The NASSAV UI's rule: split on commas and whitespace, trim, upper-case, de-duplicate. */
export function parseAvids(text) {
  return [...new Set(text.split(/[\n,\s]+/).map((part) => part.trim().toUpperCase()).filter(Boolean))];
}

export function render(root) {
  const input = h('textarea', { rows: 6, placeholder: 'ABC-123\nXYZ-001, DEF-042', 'aria-label': t('add.avids'), 'data-testid': 'add-input', spellcheck: false });
  let source = 'any';
  const sourcePicker = h('span');
  const rows = h('tbody', { 'data-testid': 'add-results' });
  const results = h('div', { class: 'table-wrap', hidden: true },
    h('table', { class: 'table' }, h('thead', null, h('tr', null, [t('add.avid'), t('add.outcome'), t('add.detail')].map((x) => h('th', null, x)))), rows));
  const downloadAll = button(t('add.downloadAdded'), () => submitDownloads(), { iconName: 'download', testid: 'download-added' });
  downloadAll.hidden = true;
  const added = [];

  api.get('/source/list').then((envelope) => fill(sourcePicker,
    select([['any', t('add.anySource')], ...envelope.data.map((name) => [name, name])], source, (value) => { source = value; }, { label: t('add.source') })))
    .catch(() => { /* the default 'any' works without the list */ });

  const submit = button(t('add.submit'), () => run(), { kind: 'primary', iconName: 'plus', testid: 'add-submit' });
  fill(root,
    h('h1', null, t('nav.add')),
    h('section', { class: 'card' },
      h('p', { class: 'muted' }, t('add.hint')),
      input,
      h('div', { class: 'toolbar' }, sourcePicker, submit, downloadAll)),
    results);

  async function run() {
    const avids = parseAvids(input.value);
    if (avids.length === 0) { toast(t('add.nothing')); return; }
    submit.disabled = true;
    results.hidden = false;
    const cells = new Map();
    // The newest batch on top, in the order it was typed.
    rows.prepend(...avids.map((avid) => {
      const outcome = h('div', null, pill(t('add.waiting'), 'muted'));
      const detail = h('div');
      cells.set(avid, { outcome, detail });
      return h('tr', { 'data-testid': 'add-row', dataset: { avid } },
        labelCell(h('td', null, h('strong', null, avid)), t('add.avid')), labelCell(h('td', null, outcome), t('add.outcome')), labelCell(h('td', null, detail), t('add.detail')));
    }));
    const queue = [...avids];
    const worker = async () => {
      for (let avid = queue.shift(); avid; avid = queue.shift()) await addOne(avid, cells.get(avid));
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, avids.length) }, worker));
    submit.disabled = false;
    downloadAll.hidden = added.length === 0;
  }

  async function addOne(avid, { outcome, detail }) {
    if (!AVID.test(avid)) {
      show(outcome, detail, 'failed', t('add.invalid'));
      return;
    }
    fill(outcome, pill(t('add.adding'), 'info'));
    try {
      const envelope = await api.post('/resources/batch', { actions: [{ action: 'add', avid, source }] });
      const result = envelope.data.results[0];
      if (result.code === 201) {
        added.push(avid);
        show(outcome, detail, 'created', link(avid, result.resource), result.resource?.source ? ` · ${result.resource.source}` : '');
      } else if (result.code === 200) {
        show(outcome, detail, 'exists', link(avid, result.resource));
      } else if (result.code === 202) {
        added.push(avid);
        show(outcome, detail, 'processing', result.message);
      } else {
        // The message names each source and why it failed, e.g. "获取X失败。DemoJable:404, DemoMissAV:404".
        show(outcome, detail, result.code === 409 ? 'busy' : 'failed', `${result.code} · ${result.message}`);
      }
    } catch (error) {
      show(outcome, detail, 'failed', error.message);
    }
  }

  function show(outcome, detail, kind, ...content) {
    const tone = { created: 'good', exists: 'info', processing: 'info', busy: 'warn', failed: 'bad' }[kind];
    fill(outcome, pill(t(`add.outcome.${kind}`), tone));
    outcome.closest('tr').dataset.outcome = kind;
    fill(detail, content);
  }

  function link(avid, resource) {
    const name = resource?.source_title || resource?.original_title || avid;
    return h('a', { href: `#/resource/${encodeURIComponent(avid)}` }, name);
  }

  async function submitDownloads() {
    downloadAll.disabled = true;
    try {
      const envelope = await api.post('/downloads/batch_submit', { avids: added });
      const queued = envelope.data.results.filter((r) => r.code === 202).length;
      toast(t('add.downloadsQueued', { queued, total: added.length }), 'good');
    } catch (error) {
      toast(error.message, 'bad');
    } finally {
      downloadAll.disabled = false;
    }
  }
}
