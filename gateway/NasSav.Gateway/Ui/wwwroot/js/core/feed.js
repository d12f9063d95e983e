// The task WebSocket (/nassav/ws/tasks/): queue_status, task_*, progress_update and maintenance_progress frames.
// One connection for the whole app, reconnected with backoff; pages subscribe by frame type.

const listeners = new Map();
const stateListeners = new Set();
let socket = null;
let attempt = 0;
let timer = null;

export const feed = {
  state: 'connecting',
  /** The latest queue_status data (also kept while no page listens). */
  queue: null,
  /** The latest progress per AVID: {percent, speed, eta, phase, task_id, at}. */
  progress: new Map(),
};

export function on(type, listener) {
  if (!listeners.has(type)) listeners.set(type, new Set());
  listeners.get(type).add(listener);
  return () => listeners.get(type)?.delete(listener);
}

export function onState(listener) {
  stateListeners.add(listener);
  listener(feed.state);
  return () => stateListeners.delete(listener);
}

function setState(state) {
  feed.state = state;
  for (const listener of stateListeners) listener(state);
}

function emit(type, data) {
  if (type === 'queue_status') {
    feed.queue = data;
    const active = new Set((data.active_tasks ?? []).map((task) => task.avid));
    for (const avid of feed.progress.keys()) if (!active.has(avid)) feed.progress.delete(avid);
  } else if (type === 'progress_update') {
    feed.progress.set(data.avid, { ...data, at: Date.now() });
  }
  for (const listener of listeners.get(type) ?? []) {
    try { listener(data); } catch (error) { console.warn('feed listener failed', error); }
  }
  for (const listener of listeners.get('*') ?? []) listener(type, data);
}

export function connect() {
  if (socket && socket.readyState <= WebSocket.OPEN) return;
  clearTimeout(timer);
  setState('connecting');
  const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/nassav/ws/tasks/`;
  socket = new WebSocket(url);
  socket.addEventListener('open', () => { attempt = 0; setState('open'); });
  socket.addEventListener('message', (event) => {
    let frame;
    try { frame = JSON.parse(event.data); } catch { return; }
    if (frame && typeof frame.type === 'string') emit(frame.type, frame.data ?? {});
  });
  socket.addEventListener('close', () => {
    socket = null;
    setState('closed');
    // 1 s, 2 s, 4 s … at most 15 s between attempts.
    timer = setTimeout(connect, Math.min(15000, 1000 * 2 ** attempt));
    attempt += 1;
  });
}

/** Asks for a fresh queue_status (the server answers on the socket). */
export function refreshQueue() {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ action: 'get_queue_status' }));
}
