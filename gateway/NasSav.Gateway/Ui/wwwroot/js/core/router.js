// Hash routes: #/path?query. Pages keep their state (filters, page numbers) in the query so Back works.

export function parseHash(hash = location.hash) {
  const raw = hash.replace(/^#/, '') || '/';
  const [path, search = ''] = raw.split('?');
  return { path, query: Object.fromEntries(new URLSearchParams(search)) };
}

/** #/path?query with empty values left out. */
export function href(path, query = {}) {
  const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  const search = params.toString();
  return `#${path}${search ? '?' + search : ''}`;
}

export function navigate(path, query) {
  location.hash = href(path, query);
}

/** Updates the address without a new render (hashchange does not fire): for typing in a search box. */
export function replaceQuery(path, query) {
  history.replaceState(history.state, '', href(path, query));
}
