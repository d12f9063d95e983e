// Small shared pieces: buttons, toasts, a confirmation dialog, progress bars, pagers, tables, states.
import { h, fill, setWidth } from './dom.js';
import { icon } from './icons.js';
import { t } from './i18n.js';
import { replaceQuery } from './router.js';

export function button(label, onclick, { kind = '', iconName, title, disabled, testid } = {}) {
  return h('button', { type: 'button', class: `btn ${kind}`.trim(), onclick, title, disabled, 'data-testid': testid },
    iconName ? icon(iconName) : null, label ? h('span', null, label) : null);
}

/** Runs an async action with the button disabled meanwhile; errors become a toast. */
export async function busy(btn, action) {
  btn.disabled = true;
  btn.classList.add('busy');
  try {
    return await action();
  } catch (error) {
    if (error?.name !== 'AbortError') toast(error.message ?? String(error), 'bad');
    return undefined;
  } finally {
    btn.disabled = false;
    btn.classList.remove('busy');
  }
}

export function toast(message, kind = 'info', timeout = 5000) {
  const host = document.getElementById('toasts');
  const el = h('div', { class: `toast ${kind}`, role: kind === 'bad' ? 'alert' : 'status' }, message);
  host.append(el);
  setTimeout(() => el.remove(), timeout);
}

/** A modal yes/no question; resolves true when confirmed. */
export function confirmDialog(message, { confirmLabel = t('common.confirm'), danger = false, detail } = {}) {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'dialog', 'data-testid': 'confirm-dialog' },
      h('form', { method: 'dialog' },
        h('p', { class: 'dialog-message' }, message),
        detail ? h('p', { class: 'muted' }, detail) : null,
        h('div', { class: 'actions' },
          h('button', { value: 'cancel', class: 'btn' }, t('common.cancel')),
          h('button', { value: 'ok', class: `btn ${danger ? 'danger' : 'primary'}`, 'data-testid': 'confirm-ok' }, confirmLabel))));
    dialog.addEventListener('close', () => { resolve(dialog.returnValue === 'ok'); dialog.remove(); });
    document.body.append(dialog);
    dialog.showModal();
  });
}

export function progressBar(percent, { label, phase } = {}) {
  const bar = h('div', { class: 'bar-fill' });
  const el = h('div', { class: `bar ${phase ? 'phase-' + phase : ''}`, role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-label': label }, bar);
  updateProgress(el, percent, phase);
  return el;
}

export function updateProgress(el, percent, phase) {
  const value = Number.isFinite(percent) ? percent : 0;
  el.setAttribute('aria-valuenow', String(Math.round(value * 10) / 10));
  el.className = `bar ${phase ? 'phase-' + phase : ''}`;
  setWidth(el.firstElementChild, value);
}

export function loading() {
  return h('div', { class: 'state loading', role: 'status' }, h('span', { class: 'spinner' }), t('common.loading'));
}

export function empty(message) {
  return h('div', { class: 'state empty' }, message);
}

export function errorBox(error, retry) {
  return h('div', { class: 'state error', role: 'alert' },
    icon('warn'), h('span', null, error?.message ?? String(error)),
    retry ? button(t('common.retry'), retry, { kind: 'small' }) : null);
}

/**
 * Fills container with loading, then render(result) or an error with a retry. quiet: keep the current content
 * while fetching (a periodic refresh must not flash).
 */
export async function load(container, fetcher, render, { quiet = false } = {}) {
  if (!quiet || !container.hasChildNodes()) fill(container, loading());
  try {
    const result = await fetcher();
    fill(container, render(result));
  } catch (error) {
    if (error?.name === 'AbortError') return;
    fill(container, errorBox(error, () => load(container, fetcher, render)));
  }
}

export function section(title, ...children) {
  return h('section', { class: 'card' }, title ? h('h2', null, title) : null, ...children);
}

/** Definition list of [label, value] pairs; empty values are skipped. */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([label, value]) => [h('dt', null, label), h('dd', null, value)]));
}

/** Labels a cell for the phone layout; its content goes into one box beside the label. */
export function labelCell(cell, label) {
  if (!label) return cell;
  cell.dataset.label = label;
  cell.append(h('div', { class: 'cell' }, ...cell.childNodes));
  return cell;
}

/** A table; on a phone each row becomes a block whose cells are labelled with their column's header (CSS). */
export function table(headers, rows, { testid, className } = {}) {
  for (const row of rows.flat()) [...row.children].forEach((cell, index) => labelCell(cell, headers[index]));
  return h('div', { class: 'table-wrap' },
    h('table', { class: `table ${className ?? ''}`.trim(), 'data-testid': testid },
      h('thead', null, h('tr', null, headers.map((header) => h('th', null, header)))),
      h('tbody', null, rows)));
}

export function pill(text, kind = '') {
  return h('span', { class: `pill ${kind}`.trim() }, text);
}

export function pager(pagination, go) {
  if (!pagination || pagination.pages <= 1) return null;
  const { page, pages, total } = pagination;
  return h('nav', { class: 'pager', 'aria-label': t('common.pages') },
    button('‹', () => go(page - 1), { disabled: page <= 1, title: t('common.previous') }),
    h('span', null, t('common.pageOf', { page, pages, total })),
    button('›', () => go(page + 1), { disabled: page >= pages, title: t('common.next') }));
}

export function select(options, value, onchange, { label, testid } = {}) {
  const el = h('select', { onchange: (event) => onchange(event.target.value), 'aria-label': label, 'data-testid': testid },
    options.map(([optionValue, text]) => h('option', { value: optionValue, selected: String(optionValue) === String(value ?? '') }, text)));
  return label ? h('label', { class: 'field' }, h('span', null, label), el) : el;
}

/**
 * A search box for a list page: typing refetches in place 350 ms after the last key (the box keeps its focus), and
 * the address follows (state.search, page 1) without a new render.
 */
export function searchBox(state, path, refetch, { placeholder, testid }) {
  const input = h('input', { type: 'search', value: state.search, placeholder, 'aria-label': placeholder, 'data-testid': testid });
  let timer;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.search = input.value.trim();
      state.page = 1;
      replaceQuery(path, state);
      refetch();
    }, 350);
  });
  return h('label', { class: 'search' }, icon('search'), input);
}
