// The drawing: one SVG in screen coordinates. Renders the current view's graph
// (nodes as their family's shape, relations as arrows, partnerships as
// weighted links), places labels, highlights the focus, and handles zoom, pan,
// drag, hover and the keyboard. What a click opens is left to `hooks`, which
// main.js fills, so that this module knows nothing of the panels.

import { $, debounce, el, status, svg, svgTitle, swatch } from './dom.js';
import { placeLabels } from './labels.js';
import { recountDegrees } from './model.js';
import { ui, view } from './state.js';
import { FAMILIES, KINDS, kindInfo, shapePath, truncate, typeLabel } from './vocabulary.js';

export const hooks = {
  selectNode: () => {},
  openEdge: () => {},
};

export const svgRoot = $('#graph');
const layers = { edges: $('#edges'), nodes: $('#nodes'), labels: $('#labels') };
const measureCtx = document.createElement('canvas').getContext('2d');
export const LABEL_FONT_PX = 12;
const labelFont = `${LABEL_FONT_PX}px system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif`;
const widthCache = new Map();

export function textWidth(text, bold) {
  const key = (bold ? 'b:' : '') + text;
  let w = widthCache.get(key);
  if (w === undefined) {
    measureCtx.font = (bold ? '600 ' : '') + labelFont;
    w = measureCtx.measureText(text).width;
    widthCache.set(key, w);
  }
  return w;
}

export function stageSize() {
  const rect = svgRoot.getBoundingClientRect();
  return { w: Math.max(rect.width, 100), h: Math.max(rect.height, 100) };
}

export function transform() {
  const v = view();
  if (!v.t) v.t = { x: stageSize().w / 2, y: stageSize().h / 2, k: 1 };
  return v.t;
}

function nodeRadius(node) {
  const base = node.weightRadius || 5 + Math.min(Math.sqrt(node.degree) * 2, 11);
  return base * Math.min(Math.max(Math.sqrt(transform().k), 0.7), 1.6);
}

// Fits the current view's nodes in the stage, leaving room for the legend
// and for labels on the right.
export function fit() {
  drawLegend();
  const nodes = Array.from(view().graph.nodes.values());
  const { w, h } = stageSize();
  if (nodes.length === 0) {
    view().t = { x: w / 2, y: h / 2, k: 1 };
    return;
  }
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const node of nodes) {
    minX = Math.min(minX, node.x);
    maxX = Math.max(maxX, node.x);
    minY = Math.min(minY, node.y);
    maxY = Math.max(maxY, node.y);
  }
  const legend = $('#legend');
  const statusLine = $('#status');
  const padLeft = 90;
  const padRight = 130;
  const padTop = 30 + (statusLine.hidden ? 0 : statusLine.offsetHeight);
  const padBottom = (legend.hidden ? 0 : legend.offsetHeight) + 45;
  const k = Math.min(
    (w - padLeft - padRight) / Math.max(maxX - minX, 1),
    (h - padTop - padBottom) / Math.max(maxY - minY, 1),
    2.2,
  );
  const kk = Math.max(k, 0.05);
  view().t = {
    k: kk,
    x: padLeft + (w - padLeft - padRight) / 2 - ((minX + maxX) / 2) * kk,
    y: padTop + (h - padTop - padBottom) / 2 - ((minY + maxY) / 2) * kk,
  };
}

export const screen = (node) => {
  const t = transform();
  return [node.x * t.k + t.x, node.y * t.k + t.y];
};

// Width of a partnership link: the same scale in every view and year, so
// widths compare across the slider (1 agreement: 1.5px, 3: 4.5px, 10+: 10px).
export function linkWidth(weight) {
  return Math.min(1.5 + 1.8 * Math.max((weight || 1) - 1, 0) ** 0.75, 10);
}

let nodeEls = new Map();
let edgeEls = [];

export function nameOf(id) {
  const node = view().graph.nodes.get(id);
  return node ? node.name : id;
}

function edgeTitle(edge) {
  if (edge.weight !== undefined) {
    return `${nameOf(edge.source)} — ${nameOf(edge.target)}: ${edge.weight} shared agreement${edge.weight === 1 ? '' : 's'} (click for the list)`;
  }
  return `${nameOf(edge.source)} ${typeLabel(edge.type)} ${nameOf(edge.target)} (click for the evidence)`;
}

// Rebuilds the drawing's elements from the current view's graph.
export function render() {
  const graph = view().graph;
  recountDegrees(graph);
  layers.edges.replaceChildren();
  layers.nodes.replaceChildren();
  nodeEls = new Map();
  edgeEls = [];
  // Parallel edges between the same pair bend apart.
  const pairCount = new Map();
  for (const edge of graph.edges) {
    const pair = [edge.source, edge.target].sort().join('|');
    edge.pairIndex = pairCount.get(pair) || 0;
    pairCount.set(pair, edge.pairIndex + 1);
  }
  for (const edge of graph.edges) {
    edge.pairTotal = pairCount.get([edge.source, edge.target].sort().join('|'));
    const network = edge.weight !== undefined;
    const width = network ? linkWidth(edge.weight) : 1.3;
    const group = svg('g', { class: 'link', 'data-key': edge.key });
    // A wide transparent stroke under the visible one: a hair-thin relation
    // is still easy to click.
    const hit = svg('path', { class: 'edge-hit', 'stroke-width': Math.max(width + 8, 10).toFixed(1) });
    const path = svg('path', {
      class: `edge${network ? ' network' : ''}`,
      'stroke-width': width.toFixed(2),
      stroke: network ? edge.color || '#4b6a8f' : null,
      'marker-end': network ? null : 'url(#arrow)',
      'data-key': edge.key,
    });
    path.append(svgTitle(edgeTitle(edge)));
    hit.append(svgTitle(edgeTitle(edge)));
    group.append(hit, path);
    group.addEventListener('click', (event) => {
      event.stopPropagation();
      ui.selectedEdge = edge.key;
      hooks.openEdge(edge);
      scheduleRedraw();
    });
    layers.edges.append(group);
    edgeEls.push([edge, group, hit, path]);
  }
  for (const node of graph.nodes.values()) {
    const info = kindInfo(node.kind);
    const g = svg('g', { class: `node family-${info.family || 'other'}`, 'data-id': node.id, 'data-shape': info.shape });
    g.append(svg('path', { class: 'shape', fill: info.color }));
    g.addEventListener('pointerenter', (event) => hover(node, event));
    g.addEventListener('pointerleave', () => hover(null));
    g.addEventListener('pointerdown', (event) => startNodeDrag(event, node));
    layers.nodes.append(g);
    nodeEls.set(node.id, g);
  }
  drawLegend();
  redraw();
}

// Positions everything for the current transform, then places labels.
export function redraw() {
  const graph = view().graph;
  const positions = new Map();
  for (const node of graph.nodes.values()) positions.set(node.id, screen(node));
  const radius = new Map();
  for (const [id, g] of nodeEls) {
    const node = graph.nodes.get(id);
    const [sx, sy] = positions.get(id);
    const r = nodeRadius(node);
    radius.set(id, r);
    g.firstChild.setAttribute('d', shapePath(g.dataset.shape, sx, sy, r));
  }
  for (const [edge, , hit, path] of edgeEls) {
    const [x1, y1] = positions.get(edge.source);
    const [x2, y2] = positions.get(edge.target);
    const geo = edgeGeometry(edge, x1, y1, x2, y2, radius.get(edge.target));
    edge.mid = geo.mid;
    path.setAttribute('d', geo.d);
    hit.setAttribute('d', geo.d);
  }
  applyHighlight();
  drawLabels(positions, radius);
}

function edgeGeometry(edge, x1, y1, x2, y2, targetR) {
  const ddx = x2 - x1;
  const ddy = y2 - y1;
  const len = Math.sqrt(ddx * ddx + ddy * ddy) || 1;
  // Bend for parallel edges; sign follows the canonical pair order.
  const flip = edge.source < edge.target ? 1 : -1;
  const bend = edge.pairTotal > 1 ? (edge.pairIndex - (edge.pairTotal - 1) / 2) * 22 * flip : 0;
  const nx = -ddy / len;
  const ny = ddx / len;
  const cx = (x1 + x2) / 2 + nx * bend;
  const cy = (y1 + y2) / 2 + ny * bend;
  let ex = x2;
  let ey = y2;
  if (edge.weight === undefined) {
    // Stop at the target's rim so the arrow head shows.
    const tx = x2 - cx;
    const ty = y2 - cy;
    const tl = Math.sqrt(tx * tx + ty * ty) || 1;
    const back = Math.min(targetR + 1.5, tl / 2);
    ex = x2 - (tx / tl) * back;
    ey = y2 - (ty / tl) * back;
  }
  const mid = [0.25 * x1 + 0.5 * cx + 0.25 * ex, 0.25 * y1 + 0.5 * cy + 0.25 * ey];
  const d = bend
    ? `M${x1.toFixed(1)},${y1.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${ex.toFixed(1)},${ey.toFixed(1)}`
    : `M${x1.toFixed(1)},${y1.toFixed(1)} L${ex.toFixed(1)},${ey.toFixed(1)}`;
  return { d, mid };
}

// Who is "in focus" for highlighting: the hovered node, else the selected one.
function focusId() {
  return ui.hovered || ui.selected;
}

function neighboursOf(graph, f) {
  const out = new Set();
  if (!f) return out;
  for (const edge of graph.edges) {
    if (edge.source === f) out.add(edge.target);
    if (edge.target === f) out.add(edge.source);
  }
  return out;
}

function applyHighlight() {
  const graph = view().graph;
  const f = focusId();
  const keys = ui.highlightKeys;
  const neighbours = neighboursOf(graph, f);
  if (f && graph.nodes.has(f)) neighbours.add(f);
  const crowded = graph.edges.length > 30;
  for (const [edge, group, , path] of edgeEls) {
    const onFocus = f && (edge.source === f || edge.target === f);
    const onPath = keys && keys.has(edge.key);
    const chosen = ui.selectedEdge === edge.key;
    path.classList.toggle('hl', Boolean(onFocus || onPath || chosen));
    path.classList.toggle('chosen', chosen);
    group.classList.toggle('dim', Boolean((keys && !onPath && !onFocus && !chosen) || (!keys && f && graph.nodes.has(f) && !onFocus && crowded)));
  }
  const pathNodes = keys ? ui.highlightNodes : null;
  for (const [id, g] of nodeEls) {
    g.classList.toggle('selected', id === ui.selected);
    g.classList.toggle('focused', id === ui.focused);
    g.classList.toggle('center', id === view().center);
    const dim = (pathNodes && !pathNodes.has(id) && !neighbours.has(id))
      || (!pathNodes && f && graph.nodes.has(f) && !neighbours.has(id) && graph.nodes.size > 30);
    g.classList.toggle('dim', Boolean(dim));
  }
}

// The label candidates of the current view, most important first: the
// hovered, selected and focused nodes, the centre and a highlighted path's
// nodes are always labelled; the focus's neighbours and the top hubs come
// next and may cover leaves' discs; the rest by degree, where room is left.
function labelCandidates(positions, radius) {
  const graph = view().graph;
  const f = focusId();
  const keys = ui.highlightKeys;
  const pathNodes = keys ? ui.highlightNodes : null;
  const neighbours = neighboursOf(graph, f);
  const focusing = (f && graph.nodes.has(f) && graph.nodes.size > 30) || Boolean(pathNodes);
  const small = graph.nodes.size <= 25;
  const hubs = new Set(Array.from(graph.nodes.values())
    .filter((n) => n.degree >= 3)
    .sort((a, b) => b.degree - a.degree || (a.id < b.id ? -1 : 1))
    .slice(0, Math.max(5, Math.ceil(graph.nodes.size / 20)))
    .map((n) => n.id));
  const out = [];
  for (const node of graph.nodes.values()) {
    const [x, y] = positions.get(node.id);
    const onPath = pathNodes && pathNodes.has(node.id);
    let priority = node.degree;
    let level = 'normal';
    if (node.id === ui.hovered) priority += 4e9;
    if (node.id === ui.selected) priority += 3e9;
    if (node.id === ui.focused) priority += 2e9;
    if (node.id === view().center) priority += 1e9;
    if (onPath) priority += 5e8;
    if (priority >= 5e8) level = 'forced';
    else if (neighbours.has(node.id)) {
      priority += 1e7;
      level = 'hub';
    } else if (hubs.has(node.id)) {
      priority += 1e6;
      level = 'hub';
    }
    const outOfFocus = focusing && level === 'normal';
    // In a big graph only the focus is labelled; in a small one the rest stay, faint.
    if (outOfFocus && graph.nodes.size > 40) continue;
    const full = node.id === ui.hovered || node.id === ui.selected;
    const texts = full
      ? [truncate(node.name, 90), truncate(node.name, 40)]
      : level !== 'normal' || small ? [truncate(node.name, 48), truncate(node.name, 20)] : [truncate(node.name, 30)];
    out.push({
      kind: 'node', id: node.id, x, y, r: radius.get(node.id), texts: Array.from(new Set(texts)),
      bold: hubs.has(node.id) || node.id === ui.selected, level, priority, dim: outOfFocus, name: node.name,
    });
  }
  const showAll = graph.edges.length <= 45 && !focusing;
  for (const edge of graph.edges) {
    const onFocus = f && (edge.source === f || edge.target === f);
    const onPath = keys && keys.has(edge.key);
    const chosen = ui.selectedEdge === edge.key;
    if (edge.weight !== undefined && !onFocus && !chosen) continue;
    let priority;
    let level = 'hub';
    if (chosen) priority = 6e6;
    else if (onFocus || onPath) priority = 5e6;
    else if (showAll) {
      priority = 0.5;
      level = 'normal';
    } else continue;
    const text = edge.weight !== undefined ? `${edge.weight}` : typeLabel(edge.type);
    out.push({ kind: 'edge', id: edge.key, x: edge.mid[0], y: edge.mid[1], text, level, priority });
  }
  return out;
}

function drawLabels(positions, radius) {
  layers.labels.replaceChildren();
  const { w, h } = stageSize();
  const stageRect = svgRoot.getBoundingClientRect();
  // The overlays (legend, zoom buttons, status) are obstacles for every label.
  const overlays = [];
  for (const overlay of [$('#legend'), $('.zoom'), $('#status')]) {
    if (!overlay || overlay.hidden) continue;
    const r = overlay.getBoundingClientRect();
    if (r.width && r.height) overlays.push([r.left - stageRect.left, r.top - stageRect.top, r.right - stageRect.left, r.bottom - stageRect.top]);
  }
  const discs = Array.from(positions, ([id, [x, y]]) => [x, y, radius.get(id), id]);
  const lineHeight = LABEL_FONT_PX + 3;
  const placed = placeLabels({
    width: w, height: h, lineHeight, discs, overlays, candidates: labelCandidates(positions, radius), measure: textWidth,
  });
  const fragment = document.createDocumentFragment();
  for (const p of placed) {
    const c = p.candidate;
    if (c.kind === 'node') {
      const text = svg('text', {
        class: `label node-label${c.bold ? ' hub' : ''}${c.dim ? ' dim' : ''}`,
        x: p.x.toFixed(1),
        y: (p.y + lineHeight - 4).toFixed(1),
        'font-size': LABEL_FONT_PX,
        'font-weight': c.bold ? 600 : null,
        'data-id': c.id,
      });
      text.textContent = p.text;
      if (p.text !== c.name) text.append(svgTitle(c.name));
      fragment.append(text);
    } else {
      const text = svg('text', {
        class: 'label edge-label',
        x: (p.x + (p.box[2] - p.box[0] - 4) / 2).toFixed(1),
        y: (p.y + lineHeight / 2 + 4).toFixed(1),
        'text-anchor': 'middle',
        'font-size': LABEL_FONT_PX - 1,
        'data-key': c.id,
      });
      text.textContent = p.text;
      fragment.append(text);
    }
  }
  layers.labels.append(fragment);
}

let frame = 0;
export function scheduleRedraw() {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    redraw();
  });
}

// The legend: the families drawn (shape and colour), the kinds within each
// with their counts, and what link widths or arrows mean.
export function drawLegend() {
  const legend = $('#legend');
  const graph = view().graph;
  const counts = new Map();
  for (const node of graph.nodes.values()) counts.set(node.kind, (counts.get(node.kind) || 0) + 1);
  legend.replaceChildren();
  if (graph.nodes.size === 0) {
    legend.hidden = true;
    return;
  }
  legend.hidden = false;
  const list = el('ul');
  for (const [family, info] of Object.entries(FAMILIES)) {
    const kinds = Object.keys(KINDS).filter((k) => KINDS[k].family === family && counts.has(k));
    if (!kinds.length) continue;
    list.append(el('li', { title: info.label }, swatch(kinds[0]),
      kinds.map((k, i) => [i ? ', ' : '', kindInfo(k).label, ' ', el('span', { class: 'count', text: counts.get(k) })])));
  }
  const unknown = Array.from(counts.keys()).filter((k) => !KINDS[k]);
  for (const k of unknown) list.append(el('li', {}, swatch(k), kindInfo(k).label, ' ', el('span', { class: 'count', text: counts.get(k) })));
  legend.append(list);
  if (view().legendExtra === 'weights' && graph.edges.length) {
    const max = Math.max(...graph.edges.map((e) => e.weight || 1));
    legend.append(el('h3', { text: 'Shared agreements' }));
    for (const wgt of Array.from(new Set([1, Math.round(max / 2), max])).filter((v) => v >= 1)) {
      const bar = el('span', { class: 'bar', 'aria-hidden': 'true' });
      bar.style.height = `${linkWidth(wgt).toFixed(1)}px`;
      legend.append(el('span', { class: 'widths' }, bar, `${wgt}`));
    }
    if (view().topicColors && view().topicColors.size) {
      const topics = el('span', { class: 'topics' });
      for (const [name, color] of view().topicColors) {
        const bar = el('span', { class: 'bar', 'aria-hidden': 'true' });
        bar.style.background = color;
        bar.style.height = '4px';
        topics.append(el('span', { class: 'widths' }, bar, name));
      }
      legend.append(el('h3', { text: 'Links by main topic' }), topics);
    }
  } else if (graph.edges.length) {
    legend.append(el('span', { class: 'note', text: 'Arrows read source → target; click a node or a link for its evidence.' }));
  }
}

// ------------------------------------------------------ zoom, pan, keyboard
export function zoomAt(factor, sx, sy) {
  const t = transform();
  const k = Math.min(Math.max(t.k * factor, 0.03), 25);
  const f = k / t.k;
  t.x = sx - (sx - t.x) * f;
  t.y = sy - (sy - t.y) * f;
  t.k = k;
  scheduleRedraw();
}

let drag = null;
function startNodeDrag(event, node) {
  event.stopPropagation();
  drag = { kind: 'node', node, x0: event.clientX, y0: event.clientY, moved: false, pointer: event.pointerId };
  svgRoot.setPointerCapture(event.pointerId);
}

function hover(node, event) {
  const tip = $('#tooltip');
  ui.hovered = node ? node.id : null;
  if (node && event) {
    tip.replaceChildren(el('strong', { text: node.name }), el('br'), `${kindInfo(node.kind).label}${node.year ? ` · ${node.year}` : ''}${node.agreements !== undefined ? ` · ${node.agreements} agreements` : ''}`);
    const rect = svgRoot.getBoundingClientRect();
    tip.hidden = false;
    tip.style.left = `${Math.min(event.clientX - rect.left + 14, rect.width - 330)}px`;
    tip.style.top = `${event.clientY - rect.top + 14}px`;
  } else {
    tip.hidden = true;
  }
  scheduleRedraw();
}

function orderedNodes() {
  return Array.from(view().graph.nodes.values()).sort((a, b) => b.degree - a.degree || a.name.localeCompare(b.name));
}

// Wires the stage's own controls; called once at start.
export function wireStage() {
  svgRoot.addEventListener('wheel', (event) => {
    event.preventDefault();
    const rect = svgRoot.getBoundingClientRect();
    const delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
    zoomAt(Math.exp(-delta * 0.0015), event.clientX - rect.left, event.clientY - rect.top);
  }, { passive: false });
  svgRoot.addEventListener('pointerdown', (event) => {
    if (event.button !== 0 || drag) return;
    // The pointer is captured only once the drawing is really dragged: captured
    // at once, a click on a link would land on the drawing, never on the link.
    drag = { kind: 'pan', x0: event.clientX, y0: event.clientY, moved: false, pointer: event.pointerId };
  });
  svgRoot.addEventListener('pointermove', (event) => {
    if (!drag) return;
    const ddx = event.clientX - drag.x0;
    const ddy = event.clientY - drag.y0;
    if (!drag.moved && Math.abs(ddx) + Math.abs(ddy) < 4) return;
    if (!drag.moved && drag.kind === 'pan') {
      try {
        svgRoot.setPointerCapture(drag.pointer);
      } catch (_) { /* the pointer is gone */ }
    }
    drag.moved = true;
    svgRoot.classList.add('dragging');
    const t = transform();
    if (drag.kind === 'pan') {
      t.x += ddx;
      t.y += ddy;
    } else {
      drag.node.x += ddx / t.k;
      drag.node.y += ddy / t.k;
    }
    drag.x0 = event.clientX;
    drag.y0 = event.clientY;
    scheduleRedraw();
  });
  const endDrag = (event) => {
    if (!drag) return;
    const d = drag;
    drag = null;
    svgRoot.classList.remove('dragging');
    try {
      svgRoot.releasePointerCapture(event.pointerId);
    } catch (_) { /* already released */ }
    if (!d.moved && d.kind === 'node') hooks.selectNode(d.node.id);
  };
  svgRoot.addEventListener('pointerup', endDrag);
  svgRoot.addEventListener('pointercancel', endDrag);

  svgRoot.addEventListener('keydown', (event) => {
    const t = transform();
    const { w, h } = stageSize();
    let handled = true;
    switch (event.key) {
      case 'ArrowLeft': t.x += 60; break;
      case 'ArrowRight': t.x -= 60; break;
      case 'ArrowUp': t.y += 60; break;
      case 'ArrowDown': t.y -= 60; break;
      case '+': case '=': zoomAt(1.25, w / 2, h / 2); break;
      case '-': case '_': zoomAt(0.8, w / 2, h / 2); break;
      case '0': fit(); break;
      case 'n': case 'N': case 'p': case 'P': {
        const list = orderedNodes();
        if (!list.length) break;
        let i = list.findIndex((node) => node.id === ui.focused);
        i = event.key.toLowerCase() === 'n' ? (i + 1) % list.length : (i - 1 + list.length) % list.length;
        ui.focused = list[i].id;
        const [sx, sy] = screen(list[i]);
        if (sx < 40 || sy < 40 || sx > w - 40 || sy > h - 40) {
          t.x += w / 2 - sx;
          t.y += h / 2 - sy;
        }
        status.set(`${list[i].name} (${kindInfo(list[i].kind).label}) — Enter opens it`, 'quiet');
        break;
      }
      case 'Enter': case ' ':
        if (ui.focused) hooks.selectNode(ui.focused);
        break;
      case 'Escape':
        ui.focused = null;
        hooks.selectNode(null);
        break;
      default: handled = false;
    }
    if (handled) {
      event.preventDefault();
      scheduleRedraw();
    }
  });

  $('#zoom-in').addEventListener('click', () => { const { w, h } = stageSize(); zoomAt(1.3, w / 2, h / 2); });
  $('#zoom-out').addEventListener('click', () => { const { w, h } = stageSize(); zoomAt(1 / 1.3, w / 2, h / 2); });
  $('#zoom-fit').addEventListener('click', () => { fit(); scheduleRedraw(); });
  window.addEventListener('resize', debounce(() => scheduleRedraw(), 100));
}
