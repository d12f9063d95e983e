// Chinese or English, following the browser (navigator.languages): the first of its languages we have wins.
import en from '../i18n/en.js';
import zh from '../i18n/zh.js';

const DICTIONARIES = { en, zh };

function pick() {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (base in DICTIONARIES) return { base, tag: base === 'zh' ? 'zh-CN' : String(tag) };
  }
  return { base: 'en', tag: 'en' };
}

const chosen = pick();
export const lang = chosen.base;
/** For Intl formatting and <html lang>. */
export const locale = chosen.tag;
const dictionary = DICTIONARIES[lang];

/** The text of a key, with {name} placeholders filled from vars; a key missing here falls back to English, then to itself. */
export function t(key, vars) {
  let text = dictionary[key] ?? en[key] ?? key;
  if (vars) for (const [name, value] of Object.entries(vars)) text = text.replaceAll(`{${name}}`, String(value));
  return text;
}

/** t() for keys that may not exist (e.g. a job's name): the fallback when missing. */
export function tOr(key, fallback, vars) {
  return key in dictionary || key in en ? t(key, vars) : fallback;
}
