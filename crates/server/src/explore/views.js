// The four views: a neighbourhood, the partnership network, the connections
// between two entities, and the whole graph; and switching between them.

import { ENTITY_BRIEF, NEIGHBOURHOOD, PATHS, gql } from './api.js';
import { $, $$, el, status, swatch } from './dom.js';
import { layout } from './layout.js';
import { addEdge, addNode, emptyGraph, edgeKey, recountDegrees, relationEdge } from './model.js';
import { evidenceList, entityButton, selectNode } from './panels.js';
import { fit, render, scheduleRedraw, screen, stageSize } from './stage.js';
import { app, ui, view, views } from './state.js';
import { relationPhrase, typeLabel } from './vocabulary.js';

// Called whenever what the address should show changes (set by main.js).
export const url = { sync: () => {} };

// ------------------------------------------------------------ neighbourhood
export async function showNeighbourhood(id) {
  switchView('neighbourhood');
  const depth = Number($('#depth').value) || 1;
  status.set('Loading the neighbourhood…', 'quiet');
  try {
    const data = await gql(NEIGHBOURHOOD, { id, depth });
    const sub = data.neighborhood;
    const graph = emptyGraph();
    for (const entity of sub.entities) addNode(graph, entity);
    for (const r of sub.relations) addEdge(graph, relationEdge(r));
    recountDegrees(graph);
    layout(graph, { ideal: graph.nodes.size > 80 ? 50 : 70 });
    const v = views.neighbourhood;
    v.graph = graph;
    v.center = id;
    v.subset = false;
    ui.selected = null;
    ui.selectedEdge = null;
    ui.highlightKeys = null;
    ui.highlightNodes = null;
    fit();
    render();
    const centre = graph.nodes.get(id);
    status.set(`${centre ? centre.name : id}: ${graph.nodes.size} entities, ${graph.edges.length} relations within ${depth} hop${depth > 1 ? 's' : ''}${sub.truncated ? ' (cut off at the server’s cap)' : ''}`, 'quiet');
    url.sync();
    await selectNode(id);
  } catch (error) {
    status.set(`Could not load the neighbourhood: ${error.message}`, 'error');
  }
}

export async function expand(id) {
  const v = view();
  const graph = v.graph;
  const origin = graph.nodes.get(id);
  status.set('Expanding…', 'quiet');
  try {
    const data = await gql(NEIGHBOURHOOD, { id, depth: 1 });
    const before = graph.nodes.size;
    const beforeEdges = graph.edges.length;
    for (const entity of data.neighborhood.entities) addNode(graph, entity, origin || { x: 0, y: 0 });
    for (const r of data.neighborhood.relations) addEdge(graph, relationEdge(r));
    recountDegrees(graph);
    layout(graph, { iterations: 160, ideal: 60, settled: 0.05 });
    v.subset = true;
    const { w, h } = stageSize();
    const outside = Array.from(graph.nodes.values()).some((node) => {
      const [sx, sy] = screen(node);
      return sx < 20 || sy < 20 || sx > w - 20 || sy > h - 20;
    });
    if (outside) fit();
    render();
    status.set(`Added ${graph.nodes.size - before} entities and ${graph.edges.length - beforeEdges} relations around ${origin ? origin.name : id}`, 'quiet');
  } catch (error) {
    status.set(`Could not expand: ${error.message}`, 'error');
  }
}

// -------------------------------------------------------- partnership view
const networkState = { loadedMeta: false, fullLayouts: new Map(), seq: 0, country: null, topicsOf: null, playing: null };

// Colours for the topics of links (Paul Tol's muted scheme, safe for colour
// blindness and distinct from the node families' palette); links whose
// agreements address none of the leading topics stay slate.
const TOPIC_PALETTE = ['#332288', '#117733', '#882255', '#999933', '#44AA99', '#AA4499', '#DDCC77', '#88CCEE'];
const NO_TOPIC = '#4b6a8f';

async function fetchAll(query, pick) {
  const out = [];
  let after = null;
  for (;;) {
    const page = pick(await gql(query, { after }));
    out.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) return out;
    after = page.pageInfo.endCursor;
  }
}

export async function loadNetworkMeta() {
  if (networkState.loadedMeta) return;
  networkState.loadedMeta = true;
  try {
    const data = await gql(`{ profiles { id title year country { id name } }
      topics: entities(kind: TOPIC, first: 500) { edges { node { id name } } }
      agreements: entities(kind: AGREEMENT, first: 500) { edges { node { year } } } }`);
    if (data.profiles.length > 1) {
      const select = $('#profile');
      for (const profile of data.profiles) {
        const label = profile.country ? `${profile.country.name}${profile.year ? ` ${profile.year}` : ''}` : profile.title;
        select.append(el('option', { value: profile.id, text: label }));
      }
      $('#profile-choice').hidden = false;
    }
    networkState.profiles = data.profiles;
    const first = data.profiles.find((p) => p.country);
    networkState.country = first ? first.country : null;
    $('#mode-partners-label').textContent = networkState.country
      ? `Only ${networkState.country.name}’s partners` : 'Only the profile country’s partners';
    $('#mode-partners').disabled = !networkState.country;
    const select = $('#topic');
    const topics = data.topics.edges.map((e) => e.node).sort((a, b) => a.name.localeCompare(b.name));
    for (const topic of topics) select.append(el('option', { value: topic.id, text: topic.name }));
    const years = data.agreements.edges.map((e) => e.node.year).filter((y) => y != null);
    if (years.length) {
      const slider = $('#year');
      const max = Math.max(...years);
      slider.min = String(Math.min(...years));
      slider.max = String(max);
      slider.value = String(max);
      $('#year-out').textContent = String(max);
    }
    const addresses = await fetchAll(`query R($after: String) { relations(types: [ADDRESSES], first: 500, after: $after) {
      pageInfo { hasNextPage endCursor } edges { node { source { id } target { id name } } } } }`, (d) => d.relations);
    networkState.topicsOf = new Map();
    for (const r of addresses) {
      if (!networkState.topicsOf.has(r.source.id)) networkState.topicsOf.set(r.source.id, []);
      networkState.topicsOf.get(r.source.id).push(r.target.name);
    }
  } catch (error) {
    status.set(`Could not load topics and profiles: ${error.message}`, 'error');
  }
}

function networkParams() {
  const kinds = $$('input[name="pkind"]:checked').map((i) => i.value);
  const topic = $('#topic').value || null;
  const asOf = $('#use-year').checked ? Number($('#year').value) : null;
  const profile = $('#profile').value || null;
  const mode = $('#mode-partners').checked ? 'partners' : 'coparty';
  return { kinds, topic, asOf, profile, mode };
}

// The server's `topic` matches topic names ("pension" finds "Pension
// provision"), so the chosen topic's name is sent.
function topicArgument(topicId) {
  const option = $(`#topic option[value="${CSS.escape(topicId)}"]`);
  return option ? option.textContent : topicId;
}

async function fetchNetwork(params) {
  const data = await gql(`query Network($topic: String, $asOf: Int, $kinds: [EntityKind!], $profile: ID) {
    partnershipNetwork(topic: $topic, asOf: $asOf, kinds: $kinds, profile: $profile) {
      nodes { entity { id name kind year } degree agreements }
      edges { source { id } target { id } weight via { id name kind year } }
    }
  }`, {
    topic: params.topic ? topicArgument(params.topic) : null,
    asOf: params.asOf,
    kinds: params.kinds.length ? params.kinds : null,
    profile: params.profile,
  });
  const net = data.partnershipNetwork;
  let nodes = net.nodes.map((n) => ({ ...n.entity, agreements: n.agreements, netDegree: n.degree }));
  let edges = net.edges.map((e) => ({ source: e.source.id, target: e.target.id, weight: e.weight, via: e.via }));
  const country = networkState.country && networkState.country.id;
  if (params.mode === 'partners' && country) {
    // Only the links of the profile's country: "who does it have agreements
    // with?", without the web a multi-party agreement draws among the others.
    edges = edges.filter((e) => e.source === country || e.target === country);
    const kept = new Set([country, ...edges.flatMap((e) => [e.source, e.target])]);
    nodes = nodes.filter((n) => kept.has(n.id));
  }
  // Partners without a link (party only to agreements no other shown partner
  // is party to) are named in the summary instead of floating unexplained.
  const linked = new Set(edges.flatMap((e) => [e.source, e.target]));
  const unlinked = nodes.filter((n) => !linked.has(n.id));
  return { nodes: nodes.filter((n) => linked.has(n.id)), edges, unlinked };
}

// The topic most of a link's agreements address, if any.
function mainTopic(edge) {
  if (!networkState.topicsOf) return null;
  const counts = new Map();
  for (const agreement of edge.via || []) {
    for (const t of networkState.topicsOf.get(agreement.id) || []) counts.set(t, (counts.get(t) || 0) + 1);
  }
  let best = null;
  for (const [t, c] of counts) if (!best || c > best[1] || (c === best[1] && t < best[0])) best = [t, c];
  return best ? best[0] : null;
}

function networkGraph(net) {
  const graph = emptyGraph();
  const maxAgreements = Math.max(1, ...net.nodes.map((n) => n.agreements || 1));
  for (const n of net.nodes) {
    const node = addNode(graph, n);
    node.agreements = n.agreements;
    node.weightRadius = 5 + 11 * Math.sqrt((n.agreements || 1) / maxAgreements);
  }
  for (const e of net.edges) {
    addEdge(graph, { key: `${e.source}~${e.target}`, type: 'PARTNERS', source: e.source, target: e.target, weight: e.weight, via: e.via, topic: mainTopic(e) });
  }
  recountDegrees(graph);
  return graph;
}

// Gives the leading topics of the drawn links a colour each, by how many
// links they lead.
function colourTopics(graph) {
  const counts = new Map();
  for (const e of graph.edges) if (e.topic) counts.set(e.topic, (counts.get(e.topic) || 0) + 1);
  const leading = Array.from(counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, TOPIC_PALETTE.length);
  const colours = new Map(leading.map(([t], i) => [t, TOPIC_PALETTE[i]]));
  for (const e of graph.edges) e.color = colours.get(e.topic) || NO_TOPIC;
  return colours;
}

export async function loadNetwork(refit) {
  const params = networkParams();
  const mine = ++networkState.seq;
  status.set('Loading the partnership network…', 'quiet');
  try {
    // Positions come from the network over all years, so moving the year
    // slider only adds and removes nodes and links; nothing jumps.
    const layoutKey = JSON.stringify([params.topic, params.kinds, params.profile, params.mode]);
    let full = networkState.fullLayouts.get(layoutKey);
    if (!full) {
      const allYears = await fetchNetwork({ ...params, asOf: null });
      full = networkGraph(allYears);
      full.net = allYears;
      layout(full, { ideal: 90, iterations: 350 });
      networkState.fullLayouts.set(layoutKey, full);
    }
    // Without a year the network is the one just laid out: no second request.
    const net = params.asOf == null ? full.net : await fetchNetwork(params);
    if (mine !== networkState.seq) return;
    const graph = networkGraph(net);
    for (const node of graph.nodes.values()) {
      const placed = full.nodes.get(node.id);
      if (placed) {
        node.x = placed.x;
        node.y = placed.y;
      }
    }
    if (Array.from(graph.nodes.values()).some((n) => !Number.isFinite(n.x))) layout(graph, { ideal: 90, iterations: 120 });
    const v = views.partnerships;
    v.topicColors = colourTopics(graph);
    v.graph = graph;
    v.subset = true;
    if (refit || !v.t) {
      v.graph = full;
      fit();
      v.graph = graph;
    }
    render();
    const totalWeight = graph.edges.reduce((s, e) => s + e.weight, 0);
    const who = params.mode === 'partners' && networkState.country ? `${networkState.country.name} and ${Math.max(graph.nodes.size - 1, 0)} partners` : `${graph.nodes.size} partners`;
    const unlinked = net.unlinked.length ? `; not linked to another shown partner: ${net.unlinked.map((n) => n.name).join(', ')}` : '';
    const summary = `${who}, ${graph.edges.length} links (${totalWeight} shared agreements)${params.asOf != null ? ` as of ${params.asOf}` : ''}${params.topic ? ` on ${$('#topic').selectedOptions[0].textContent}` : ''}${unlinked}`;
    $('#network-summary').textContent = summary;
    status.set(graph.nodes.size ? summary.split(';')[0] : 'No partnerships match these filters.', 'quiet');
    url.sync();
  } catch (error) {
    if (mine === networkState.seq) status.set(`Could not load the network: ${error.message}`, 'error');
  }
}

// Steps the year slider from its start to its end, one year at a time; a
// second press stops.
export function togglePlay() {
  const button = $('#play');
  if (networkState.playing) {
    clearInterval(networkState.playing);
    networkState.playing = null;
    button.textContent = '▶ Play';
    button.setAttribute('aria-pressed', 'false');
    return;
  }
  const slider = $('#year');
  $('#use-year').checked = true;
  slider.disabled = false;
  if (Number(slider.value) >= Number(slider.max)) slider.value = slider.min;
  button.textContent = '■ Stop';
  button.setAttribute('aria-pressed', 'true');
  const step = () => {
    $('#year-out').textContent = slider.value;
    loadNetwork(false);
    if (Number(slider.value) >= Number(slider.max)) {
      togglePlay();
      return;
    }
    slider.value = String(Number(slider.value) + 1);
  };
  step();
  networkState.playing = setInterval(step, 900);
}

// --------------------------------------------------------- connection view
export const endpoints = { from: null, to: null };
export const pathOptions = { avoidHubs: false, types: [], k: 10 };

export function setEndpoint(which, entity) {
  endpoints[which] = entity;
  $(`#chosen-${which}`).replaceChildren(entity ? el('span', {}, swatch(entity.kind), ' ', entity.name) : '');
  $(`#search-${which}`).value = entity ? entity.name : '';
  switchView('connection');
  url.sync();
}

export async function entityById(id) {
  const data = await gql(ENTITY_BRIEF, { id });
  return data.entity;
}

// The entities "avoid hubs" leaves out: the best connected by degree, but
// never the two ends.
async function hubsToAvoid() {
  const data = await gql(`{ centrality(measure: DEGREE, first: 8) { entity { id name } } }`);
  return data.centrality.map((r) => r.entity).filter((e) => e.id !== endpoints.from.id && e.id !== endpoints.to.id).slice(0, 5);
}

export function readPathOptions() {
  pathOptions.avoidHubs = $('#avoid-hubs').checked;
  pathOptions.k = Number($('#path-k').value) || 10;
  pathOptions.types = $$('input[name="ptype"]:checked').map((i) => i.value);
}

export function writePathOptions(options) {
  $('#avoid-hubs').checked = Boolean(options.avoidHubs);
  if ($(`#path-k option[value="${options.k}"]`)) $('#path-k').value = String(options.k);
  for (const box of $$('input[name="ptype"]')) box.checked = (options.types || []).includes(box.value);
  readPathOptions();
}

export async function findPaths() {
  const out = $('#paths-out');
  if (!endpoints.from || !endpoints.to) {
    out.replaceChildren(el('p', { class: 'hint', text: 'Choose both entities first.' }));
    return;
  }
  readPathOptions();
  url.sync();
  const maxDepth = Number($('#max-depth').value) || 6;
  out.replaceChildren(el('p', { class: 'hint', text: 'Searching…' }));
  try {
    const avoided = pathOptions.avoidHubs ? await hubsToAvoid() : [];
    const data = await gql(PATHS, {
      from: endpoints.from.id,
      to: endpoints.to.id,
      maxDepth,
      limit: pathOptions.k,
      types: pathOptions.types.length ? pathOptions.types : null,
      avoid: avoided.length ? avoided.map((e) => e.id) : null,
    });
    drawPaths(data.paths, avoided);
  } catch (error) {
    out.replaceChildren(el('p', { class: 'error', text: `Could not search: ${error.message}` }));
  }
}

function hopHead(r, from, to) {
  const forward = r.source.id === from.id;
  return [entityButton(from), ' ', el('span', { class: 'rel-type', text: relationPhrase(r.type, forward) }), ' ', entityButton(to)];
}

function drawPaths(paths, avoided) {
  const out = $('#paths-out');
  const details = $('#details');
  const graph = emptyGraph();
  for (const p of paths) {
    for (const entity of p.entities) addNode(graph, entity);
    for (const r of p.relations) addEdge(graph, relationEdge(r));
  }
  recountDegrees(graph);
  layout(graph, { ideal: 90 });
  const v = views.connection;
  v.graph = graph;
  v.center = null;
  v.subset = true;
  switchView('connection');
  fit();
  const note = avoided.length ? ` avoiding ${avoided.map((e) => e.name).join(', ')}` : '';
  const typesNote = pathOptions.types.length ? ` over ${pathOptions.types.map(typeLabel).join(', ')}` : '';
  if (!paths.length) {
    ui.highlightKeys = null;
    render();
    v.pathPanel = null;
    out.replaceChildren(el('p', { class: 'summary' }, `No connection within ${$('#max-depth').value} hops${note}${typesNote}.`));
    details.replaceChildren(el('p', { class: 'hint', text: 'No path to show.' }));
    status.set('No connection found.', 'quiet');
    return;
  }
  const lengths = paths.map((p) => p.length);
  const min = Math.min(...lengths);
  const max = Math.max(...lengths);
  const summary = `Up to ${pathOptions.k} paths, shortest first: ${paths.length} found, ${min === max ? `${min}` : `${min} to ${max}`} hop${max === 1 ? '' : 's'}${note}${typesNote}`;
  const cards = paths.map((p, i) => {
    const card = el('div', { class: 'path-card', tabindex: '0', role: 'button', 'aria-label': `Path ${i + 1}, ${p.length} hops: highlight it` });
    card.append(el('h3', { text: `Path ${i + 1} · ${p.length} hop${p.length === 1 ? '' : 's'}` }));
    p.relations.forEach((r, h) => {
      card.append(el('div', { class: 'hop' }, hopHead(r, p.entities[h], p.entities[h + 1]), evidenceList(r.evidence)));
    });
    const summaryItem = el('button', { type: 'button', class: 'path-pick', 'aria-label': `Path ${i + 1}` },
      `${i + 1}. `, p.entities.map((e) => e.name).join(' → '));
    const activate = () => {
      for (const c of $$('.path-card')) c.classList.remove('active');
      for (const c of $$('.path-pick')) c.classList.remove('active');
      card.classList.add('active');
      summaryItem.classList.add('active');
      card.scrollIntoView({ block: 'nearest' });
      ui.highlightKeys = new Set(p.relations.map((r) => r.id || edgeKey(r.source.id, r.type, r.target.id)));
      ui.highlightNodes = new Set(p.entities.map((e) => e.id));
      scheduleRedraw();
    };
    card.addEventListener('click', activate);
    summaryItem.addEventListener('click', activate);
    card.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        activate();
      }
    });
    return { card, summaryItem, activate };
  });
  // The short list stays with the controls; the evidence gets the wide panel.
  out.replaceChildren(el('p', { class: 'summary', text: summary }), el('div', { class: 'path-list' }, cards.map((c) => c.summaryItem)));
  v.pathPanel = [el('h2', { text: `${endpoints.from.name} → ${endpoints.to.name}` }), el('p', { class: 'summary', text: summary }), ...cards.map((c) => c.card)];
  details.replaceChildren(...v.pathPanel);
  render();
  cards[0].activate();
  status.set(`${paths.length} path${paths.length === 1 ? '' : 's'} from ${endpoints.from.name} to ${endpoints.to.name}`, 'quiet');
}

// -------------------------------------------------------------- whole graph
export async function loadWhole() {
  status.set('Loading the whole graph…', 'quiet');
  try {
    const graph = emptyGraph();
    const entities = await fetchAll(`query E($after: String) { entities(first: 500, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id name kind year } } } }`, (d) => d.entities);
    for (const e of entities) addNode(graph, e);
    const relations = await fetchAll(`query R($after: String) { relations(first: 500, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id type since until source { id } target { id } } } } }`, (d) => d.relations);
    for (const r of relations) addEdge(graph, relationEdge(r));
    recountDegrees(graph);
    layout(graph, { ideal: 45, iterations: 260 });
    const v = views.whole;
    v.graph = graph;
    v.subset = false;
    fit();
    render();
    const summary = `${graph.nodes.size} entities, ${graph.edges.length} relations`;
    $('#whole-summary').textContent = summary;
    status.set(summary, 'quiet');
  } catch (error) {
    status.set(`Could not load the graph: ${error.message}`, 'error');
  }
}

// --------------------------------------------------------------------- tabs
export function switchView(name) {
  if (!views[name]) return;
  const changed = app.current !== name;
  app.current = name;
  if (changed) {
    ui.selected = null;
    ui.selectedEdge = null;
  }
  for (const tab of $$('.tabs [role="tab"]')) {
    const on = tab.dataset.view === name;
    tab.setAttribute('aria-selected', on ? 'true' : 'false');
    tab.tabIndex = on ? 0 : -1;
    $(`#${tab.getAttribute('aria-controls')}`).hidden = !on;
  }
  if (!changed) return;
  ui.hovered = null;
  ui.focused = null;
  if (name !== 'connection') {
    ui.highlightKeys = null;
    ui.highlightNodes = null;
  }
  if (name === 'connection' && views.connection.pathPanel && !views.connection.selected) {
    $('#details').replaceChildren(...views.connection.pathPanel);
  } else selectNode(views[name].selected || null);
  render();
  if (name === 'partnerships' && !views.partnerships.graph.laidOut) {
    loadNetworkMeta().then(() => loadNetwork(true));
  } else if (name === 'whole' && !views.whole.graph.laidOut) {
    loadWhole();
  } else {
    const g = view().graph;
    status.set(g.nodes.size ? `${g.nodes.size} entities, ${g.edges.length} links` : '', 'quiet');
  }
}

