// Settings: the display settings (/setting) and a cookie per source (/source/cookie).
import { h, fill } from '../core/dom.js';
import { t } from '../core/i18n.js';
import { api } from '../core/api.js';
import { formatRelative } from '../core/format.js';
import { rememberSettings } from '../core/settings.js';
import { button, busy, confirmDialog, load, pill, section, toast } from '../core/ui.js';

export const title = () => t('nav.settings');

const TITLES = ['source_title', 'original_title', 'translated_title'];

export function render(root) {
  const display = h('div', { 'data-testid': 'display-settings' });
  const cookies = h('div', { 'data-testid': 'cookies' });
  fill(root,
    h('h1', null, t('nav.settings')),
    section(t('settings.display'), display),
    section(t('settings.cookies'), h('p', { class: 'muted' }, t('settings.cookiesHint')), cookies),
    section(t('settings.appearance'), h('p', { class: 'muted' }, t('settings.appearanceHint'))));

  load(display, () => api.get('/setting'), (envelope) => displayForm(envelope.data));
  const showCookies = () => load(cookies, () => Promise.all([api.get('/source/list'), api.get('/source/cookie')]),
    ([sources, stored]) => sources.data.map((source) => cookieRow(source, stored.data.find((c) => c.source.toLowerCase() === source.toLowerCase()), showCookies)));
  showCookies();
}

function displayForm(settings) {
  const titleSelect = h('select', { 'data-testid': 'display-title' },
    TITLES.map((key) => h('option', { value: key, selected: settings.display_title === key }, t(`settings.title.${key}`))));
  const avatars = h('input', { type: 'checkbox', checked: settings.enable_avatar === 'true', 'data-testid': 'enable-avatar' });
  const save = button(t('common.save'), () => busy(save, async () => {
    const envelope = await api.put('/setting', { display_title: titleSelect.value, enable_avatar: avatars.checked ? 'true' : 'false' });
    rememberSettings(envelope.data);
    toast(t('settings.saved'), 'good');
  }), { kind: 'primary', testid: 'save-settings' });
  return h('div', { class: 'form' },
    h('label', { class: 'field' }, h('span', null, t('settings.displayTitle')), titleSelect),
    h('label', { class: 'check' }, avatars, h('span', null, t('settings.enableAvatar'))),
    h('div', { class: 'actions' }, save));
}

function cookieRow(source, stored, refresh) {
  const hasCookie = Boolean(stored?.cookie);
  const input = h('textarea', { rows: 2, placeholder: t('settings.cookiePlaceholder'), 'aria-label': t('settings.cookieFor', { source }), spellcheck: false });
  const save = button(t('common.save'), () => busy(save, async () => {
    if (!input.value.trim()) { toast(t('settings.cookieEmpty')); return; }
    await api.post('/source/cookie', { source, cookie: input.value.trim() });
    toast(t('settings.cookieSaved', { source }), 'good');
    refresh();
  }), { kind: 'small primary' });
  const clear = button(t('settings.clear'), () => busy(clear, async () => {
    if (!await confirmDialog(t('settings.clearConfirm', { source }), { danger: true, confirmLabel: t('settings.clear') })) return;
    await api.del('/source/cookie', { source });
    toast(t('settings.cookieCleared', { source }));
    refresh();
  }), { kind: 'small danger ghost', disabled: !hasCookie });
  return h('div', { class: 'cookie-row', dataset: { source } },
    h('div', { class: 'cookie-head' }, h('strong', null, source),
      hasCookie ? pill(t('settings.cookieSet', { when: formatRelative(stored.mtime) }), 'good') : pill(t('settings.cookieNone'))),
    hasCookie ? h('code', { class: 'cookie-value' }, stored.cookie.length > 80 ? stored.cookie.slice(0, 80) + '…' : stored.cookie) : null,
    input,
    h('div', { class: 'actions' }, save, clear));
}
