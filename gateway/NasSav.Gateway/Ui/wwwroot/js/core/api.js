// The public REST API (/nassav/api): every answer is the {code, message, data[, pagination]} envelope.
import { t } from './i18n.js';

export const API = '/nassav/api';

export class ApiError extends Error {
  constructor(status, message, data) {
    super(message);
    this.status = status;
    this.data = data;
  }
}

const authListeners = new Set();
/** Called when the gateway answers 401 (a key is needed, or the stored one is no longer valid). */
export function onUnauthorized(listener) {
  authListeners.add(listener);
  return () => authListeners.delete(listener);
}

export function apiUrl(path, query) {
  const url = new URL(API + path, location.origin);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
  }
  return url.pathname + url.search;
}

/** Resolves with the envelope on 2xx; rejects with ApiError(status, message, data) otherwise. */
export async function request(method, path, { query, body, signal } = {}) {
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin', signal };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(apiUrl(path, query), init);
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, t('error.network'), null);
  }
  let envelope = null;
  try { envelope = await response.json(); } catch { /* not JSON: the status speaks */ }
  if (response.status === 401) for (const listener of authListeners) listener();
  if (!response.ok) throw new ApiError(response.status, envelope?.message || `HTTP ${response.status}`, envelope?.data ?? null);
  return envelope ?? { code: response.status, message: '', data: null };
}

export const api = {
  get: (path, query, options) => request('GET', path, { ...options, query }),
  post: (path, body, query) => request('POST', path, { body, query }),
  put: (path, body) => request('PUT', path, { body }),
  patch: (path, body) => request('PATCH', path, { body }),
  del: (path, query) => request('DELETE', path, { query }),
};

/** Open health endpoint (outside /nassav/api: no envelope). */
export async function health(path = '/health/ready') {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  return response.json();
}
