// The view state as a query string and back, so that Back, a reload and a
// shared link bring a view back. Pure: node:test covers it.
//
// A new subject (view, centre, topic, mode, path ends or path options) is a
// new history entry; a new depth or year replaces the current entry, so
// dragging the year slider does not fill the history.

export const VIEWS = ['neighbourhood', 'partnerships', 'connection', 'whole'];
const SUBJECT = ['view', 'id', 'topic', 'mode', 'from', 'to', 'avoid', 'types', 'k'];

// The state of `state.view`, as URL parameters; unset and default values are
// left out.
export function encodeState(state) {
  const p = new URLSearchParams();
  p.set('view', state.view);
  if (state.view === 'neighbourhood' && state.id) {
    p.set('id', state.id);
    if (state.depth) p.set('depth', String(state.depth));
  } else if (state.view === 'partnerships') {
    if (state.topic) p.set('topic', state.topic);
    if (state.mode && state.mode !== 'coparty') p.set('mode', state.mode);
    if (state.year != null) p.set('year', String(state.year));
  } else if (state.view === 'connection') {
    if (state.from) p.set('from', state.from);
    if (state.to) p.set('to', state.to);
    if (state.avoidHubs) p.set('avoid', 'hubs');
    if (state.types && state.types.length) p.set('types', state.types.join(','));
    if (state.k && state.k !== 10) p.set('k', String(state.k));
  }
  return p.toString();
}

const intOrNull = (text, min, max) => {
  if (text == null || !/^-?\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
};

// The state a query string describes; anything unknown or malformed is left
// out (never an error: links are typed by hand and outlive versions).
export function decodeState(search) {
  const p = new URLSearchParams(search);
  const named = p.get('view');
  const view = VIEWS.includes(named) ? named : p.get('id') ? 'neighbourhood' : null;
  if (!view) return null;
  const state = { view };
  if (view === 'neighbourhood') {
    state.id = p.get('id') || null;
    state.depth = intOrNull(p.get('depth'), 1, 3);
  } else if (view === 'partnerships') {
    state.topic = p.get('topic') || null;
    state.mode = p.get('mode') === 'partners' ? 'partners' : 'coparty';
    state.year = intOrNull(p.get('year'), 1000, 3000);
  } else if (view === 'connection') {
    state.from = p.get('from') || null;
    state.to = p.get('to') || null;
    state.avoidHubs = p.get('avoid') === 'hubs';
    state.types = (p.get('types') || '').split(',').filter((t) => /^[A-Z_]+$/.test(t));
    state.k = intOrNull(p.get('k'), 1, 50) || 10;
  }
  return state;
}

// How to record `next` when the address shows `now`: 'push' for a new
// subject, 'replace' for a change within one, 'none' when nothing changed.
export function historyMode(next, now) {
  const a = new URLSearchParams(next);
  const b = new URLSearchParams(now);
  if (a.toString() === b.toString()) return 'none';
  return SUBJECT.every((key) => a.get(key) === b.get(key)) ? 'replace' : 'push';
}
