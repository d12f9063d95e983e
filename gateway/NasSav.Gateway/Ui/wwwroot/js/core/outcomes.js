// Download outcomes seen on the feed (task_completed / task_failed with their reason), kept for this browser
// session: the REST API keeps counts and recent outcomes, but not the failure messages.
import { on } from './feed.js';

const KEY = 'nassav.outcomes';
const LIMIT = 50;

function read() {
  try { return JSON.parse(sessionStorage.getItem(KEY) ?? '[]'); } catch { return []; }
}

export function outcomes() {
  return read();
}

function remember(kind, data) {
  const list = [{ kind, avid: data.avid, task_id: data.task_id, message: data.message ?? '', error: data.error ?? null, at: Date.now() }, ...read()];
  sessionStorage.setItem(KEY, JSON.stringify(list.slice(0, LIMIT)));
}

export function trackOutcomes() {
  on('task_completed', (data) => remember('completed', data));
  on('task_failed', (data) => remember('failed', data));
}
