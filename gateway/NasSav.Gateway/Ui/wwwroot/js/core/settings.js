// The display settings (/setting): which title to show and whether to show actor avatars.
import { api } from './api.js';

const DEFAULTS = { enable_avatar: 'true', display_title: 'source_title' };
let pending = null;

export function displaySettings() {
  pending ??= api.get('/setting').then((envelope) => ({ ...DEFAULTS, ...envelope.data })).catch(() => ({ ...DEFAULTS }));
  return pending;
}

export function rememberSettings(settings) {
  pending = Promise.resolve({ ...DEFAULTS, ...settings });
}

/** The chosen title, else the first non-empty one, else the AVID. */
export function displayTitle(resource, settings) {
  for (const key of [settings?.display_title ?? DEFAULTS.display_title, 'source_title', 'translated_title', 'original_title']) {
    if (resource?.[key]) return resource[key];
  }
  return resource?.avid ?? '';
}

export const avatarsEnabled = (settings) => String(settings?.enable_avatar ?? 'true') === 'true';
