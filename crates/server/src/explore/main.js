// govgraph explorer: search, neighbourhoods, a partnership network, paths
// with evidence, and exports. ES modules with no libraries and no bundler; it
// talks to /graphql on the same origin. This module wires the page: search
// pickers, tabs, the export buttons, and the view state in the URL.

import { SEARCH, gql } from './api.js';
import { $, $$, debounce, el, status, swatch } from './dom.js';
import { exportAs } from './exports.js';
import { actions, openPartnership, openRelationById, selectNode } from './panels.js';
import { hooks, render, wireStage } from './stage.js';
import { app, views } from './state.js';
import { decodeState, encodeState, historyMode } from './urlstate.js';
import { kindInfo } from './vocabulary.js';
import {
  endpoints, entityById, expand, findPaths, loadNetwork, loadNetworkMeta, pathOptions, setEndpoint,
  showNeighbourhood, switchView, togglePlay, url, writePathOptions,
} from './views.js';

// ------------------------------------------------------------ search pickers
function picker(name, onChoose) {
  const input = $(`#search-${name}`);
  const list = $(`#results-${name}`);
  let items = [];
  let active = -1;
  let seq = 0;
  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  };
  const choose = (i) => {
    const item = items[i];
    if (!item) return;
    close();
    input.value = item.name;
    onChoose(item);
  };
  const paint = () => {
    list.replaceChildren();
    if (!items.length) {
      list.append(el('li', { class: 'empty', role: 'option', 'aria-disabled': 'true', text: 'No match' }));
    }
    items.forEach((item, i) => {
      const li = el(
        'li',
        { id: `opt-${name}-${i}`, role: 'option', 'aria-selected': i === active ? 'true' : 'false', 'data-id': item.id },
        swatch(item.kind),
        el('span', {}, item.name, ' ', el('small', { text: `${kindInfo(item.kind).label}${item.year ? ` · ${item.year}` : ''}` })),
      );
      li.addEventListener('mousedown', (event) => {
        event.preventDefault();
        choose(i);
      });
      list.append(li);
    });
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    if (active >= 0) {
      input.setAttribute('aria-activedescendant', `opt-${name}-${active}`);
      const li = $(`#opt-${name}-${active}`);
      if (li) li.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  const run = debounce(async () => {
    const q = input.value.trim();
    const mine = ++seq;
    if (!q) {
      items = [];
      close();
      return;
    }
    try {
      const data = await gql(SEARCH, { q });
      if (mine !== seq) return;
      items = data.search;
      active = items.length ? 0 : -1;
      paint();
    } catch (error) {
      status.set(`Search failed: ${error.message}`, 'error');
    }
  }, 140);
  input.addEventListener('input', run);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' && items.length) {
      active = (active + 1) % items.length;
      paint();
    } else if (event.key === 'ArrowUp' && items.length) {
      active = (active - 1 + items.length) % items.length;
      paint();
    } else if (event.key === 'Enter') {
      if (!list.hidden && items.length) choose(Math.max(active, 0));
    } else if (event.key === 'Escape') {
      close();
    } else return;
    event.preventDefault();
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
}

// ---------------------------------------------------------------- URL state
function currentState() {
  const state = { view: app.current };
  if (app.current === 'neighbourhood') {
    state.id = views.neighbourhood.center;
    state.depth = Number($('#depth').value);
  } else if (app.current === 'partnerships') {
    state.topic = $('#topic').value || null;
    state.mode = $('#mode-partners').checked ? 'partners' : 'coparty';
    state.year = $('#use-year').checked ? Number($('#year').value) : null;
  } else if (app.current === 'connection') {
    state.from = endpoints.from && endpoints.from.id;
    state.to = endpoints.to && endpoints.to.id;
    Object.assign(state, pathOptions);
  }
  return state;
}

function syncUrl() {
  if (app.restoring) return;
  const next = encodeState(currentState());
  const mode = historyMode(next, window.location.search);
  const address = `${window.location.pathname}?${next}`;
  if (mode === 'replace') history.replaceState(null, '', address);
  else if (mode === 'push') history.pushState(null, '', address);
}

async function applyUrl() {
  const state = decodeState(window.location.search);
  if (!state) return;
  app.restoring = true;
  try {
    if (state.view === 'neighbourhood') {
      if (state.depth) $('#depth').value = String(state.depth);
      if (state.id) await showNeighbourhood(state.id);
      else switchView('neighbourhood');
    } else if (state.view === 'partnerships') {
      await loadNetworkMeta();
      $('#topic').value = state.topic && $(`#topic option[value="${CSS.escape(state.topic)}"]`) ? state.topic : '';
      $('#mode-partners').checked = state.mode === 'partners' && !$('#mode-partners').disabled;
      $('#mode-coparty').checked = !$('#mode-partners').checked;
      $('#use-year').checked = state.year != null;
      $('#year').disabled = state.year == null;
      if (state.year != null) {
        $('#year').value = String(state.year);
        $('#year-out').textContent = $('#year').value;
      }
      const laidOut = views.partnerships.graph.laidOut;
      switchView('partnerships');
      if (laidOut) await loadNetwork(true);
    } else if (state.view === 'connection') {
      writePathOptions(state);
      for (const which of ['from', 'to']) {
        const id = state[which];
        const entity = id ? await entityById(id).catch(() => null) : null;
        setEndpoint(which, entity);
      }
      switchView('connection');
      if (endpoints.from && endpoints.to) await findPaths();
    } else {
      switchView(state.view);
    }
  } finally {
    app.restoring = false;
  }
}

// -------------------------------------------------------------------- start
function wireTabs() {
  for (const tab of $$('.tabs [role="tab"]')) {
    tab.addEventListener('click', () => {
      switchView(tab.dataset.view);
      syncUrl();
    });
    tab.addEventListener('keydown', (event) => {
      const tabs = $$('.tabs [role="tab"]');
      const i = tabs.indexOf(tab);
      let j = null;
      if (event.key === 'ArrowRight') j = (i + 1) % tabs.length;
      if (event.key === 'ArrowLeft') j = (i - 1 + tabs.length) % tabs.length;
      if (event.key === 'Home') j = 0;
      if (event.key === 'End') j = tabs.length - 1;
      if (j === null) return;
      event.preventDefault();
      tabs[j].focus();
      switchView(tabs[j].dataset.view);
      syncUrl();
    });
  }
}

function wireControls() {
  const reloadNetwork = debounce(() => loadNetwork(false), 120);
  $('#year').addEventListener('input', () => {
    $('#year-out').textContent = $('#year').value;
    reloadNetwork();
  });
  $('#use-year').addEventListener('change', () => {
    $('#year').disabled = !$('#use-year').checked;
    reloadNetwork();
  });
  $('#topic').addEventListener('change', () => loadNetwork(true));
  $('#profile').addEventListener('change', () => loadNetwork(true));
  for (const box of $$('input[name="pkind"], input[name="pmode"]')) box.addEventListener('change', () => loadNetwork(true));
  $('#play').addEventListener('click', togglePlay);
  $('#find-paths').addEventListener('click', findPaths);
  $('#depth').addEventListener('change', () => {
    if (views.neighbourhood.center) showNeighbourhood(views.neighbourhood.center);
  });
  for (const button of $$('[data-export]')) button.addEventListener('click', () => exportAs(button.dataset.export));
}

hooks.selectNode = selectNode;
hooks.openEdge = (edge) => (edge.weight !== undefined ? openPartnership(edge) : edge.id && openRelationById(edge.id));
actions.expand = expand;
actions.centre = showNeighbourhood;
actions.connect = setEndpoint;
url.sync = syncUrl;

wireStage();
wireTabs();
wireControls();
picker('main', (entity) => showNeighbourhood(entity.id));
picker('from', (entity) => setEndpoint('from', entity));
picker('to', (entity) => setEndpoint('to', entity));
window.addEventListener('popstate', () => { applyUrl(); });
render();
document.body.dataset.ready = 'true';
applyUrl();
