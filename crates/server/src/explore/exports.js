// Exports of the current view. Graph files come from the server's `export`,
// given exactly what is drawn (entity ids, relation ids) and where (the
// positions), so every file carries evidence, aliases and positions alike;
// pictures are the whole drawing, refitted, with a caption of what it shows.

import { gql } from './api.js';
import { $, SVGNS, el, status, svg } from './dom.js';
import { fit, redraw, stageSize, svgRoot, textWidth } from './stage.js';
import { app, view } from './state.js';
import { FAMILIES, KINDS, kindInfo, shapePath } from './vocabulary.js';

export const FORMATS = {
  GRAPHML: ['graphml', 'application/graphml+xml'],
  GEXF: ['gexf', 'application/gexf+xml'],
  CYTOSCAPE_JSON: ['cyjs.json', 'application/json'],
  DOT: ['dot', 'text/vnd.graphviz'],
};

const EXPORT = `query Export($format: ExportFormat!, $center: ID, $depth: Int, $ids: [ID!], $relations: [ID!], $positions: [NodePosition!]) {
  export(format: $format, center: $center, depth: $depth, ids: $ids, relations: $relations, positions: $positions)
}`;

export function download(name, type, content) {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const href = URL.createObjectURL(blob);
  const a = el('a', { href, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 5000);
}

// What the server should export for the current view, as briefly as the
// request body allows: the whole graph or a neighbourhood by name, anything
// else by its drawn entities (and a path view's relations); in the
// partnership view the agreements behind the links too (placed among their
// parties), since a partnership is not itself a relation. Positions always.
export function selection(v) {
  const graph = v.graph;
  const positions = [];
  const ids = [];
  for (const node of graph.nodes.values()) {
    ids.push(node.id);
    positions.push({ id: node.id, x: round(node.x), y: round(node.y) });
  }
  if (!v.subset && app.current === 'whole') return { positions };
  if (!v.subset && app.current === 'neighbourhood' && v.center) {
    return { center: v.center, depth: Number($('#depth').value) || 1, positions };
  }
  const network = graph.edges.some((e) => e.weight !== undefined);
  if (!network) {
    const relations = app.current === 'connection' ? graph.edges.map((e) => e.id).filter(Boolean) : null;
    return { ids, relations, positions };
  }
  const parties = new Map();
  for (const edge of graph.edges) {
    for (const agreement of edge.via || []) {
      if (!parties.has(agreement.id)) parties.set(agreement.id, new Set());
      parties.get(agreement.id).add(edge.source).add(edge.target);
    }
  }
  for (const [agreement, members] of parties) {
    if (graph.nodes.has(agreement)) continue;
    const placed = Array.from(members, (id) => graph.nodes.get(id)).filter(Boolean);
    const x = placed.reduce((s, n) => s + n.x, 0) / placed.length;
    const y = placed.reduce((s, n) => s + n.y, 0) / placed.length;
    ids.push(agreement);
    positions.push({ id: agreement, x: round(x), y: round(y) });
  }
  return { ids, relations: null, positions };
}

const round = (v) => Math.round(Number.isFinite(v) ? v : 0);

function baseName() {
  const v = view();
  return `govgraph-${app.current}${v.center ? `-${v.center.replace(/[^a-z0-9]+/gi, '-')}` : ''}`;
}

export async function exportData(format) {
  const v = view();
  if (!v.graph.nodes.size) {
    status.set('Nothing to export yet: draw something first.', 'quiet');
    return;
  }
  const [ext, type] = FORMATS[format];
  try {
    const data = await gql(EXPORT, { format, ...selection(v) });
    download(`${baseName()}.${ext}`, type, data.export);
    status.set(`Exported ${format.replace('_', ' ')}.`, 'quiet');
  } catch (error) {
    status.set(`Export failed: ${error.message}`, 'error');
  }
}

// One line saying what the picture shows: the view and its filters.
export function caption() {
  const v = view();
  const parts = ['govgraph'];
  if (app.current === 'neighbourhood') {
    const centre = v.graph.nodes.get(v.center);
    parts.push(`neighbourhood of ${centre ? centre.name : v.center || '—'}, ${$('#depth').value} hop(s)${v.subset ? ', expanded' : ''}`);
  } else if (app.current === 'partnerships') {
    parts.push($('#mode-partners').checked ? $('#mode-partners-label').textContent : 'partnership network (co-parties)');
    if ($('#topic').value) parts.push(`topic: ${$('#topic').selectedOptions[0].textContent}`);
    if ($('#use-year').checked) parts.push(`as of ${$('#year').value}`);
    if ($('#profile').value) parts.push(`profile: ${$('#profile').selectedOptions[0].textContent}`);
  } else if (app.current === 'connection') {
    parts.push(`paths: ${$('#chosen-from').textContent.trim()} → ${$('#chosen-to').textContent.trim()}`);
    const summary = $('#paths-out .summary');
    if (summary) parts.push(summary.textContent);
  } else parts.push('whole graph');
  parts.push(`${v.graph.nodes.size} entities, ${v.graph.edges.length} links`);
  return parts.join(' · ');
}

const EXPORT_CSS = `
  .edge { fill: none; stroke: #8b96a3; stroke-opacity: .55 } .edge.network { stroke-opacity: .6 }
  .edge.hl { stroke: #1f5fbf; stroke-opacity: .95 } .edge-hit { display: none }
  .dim { opacity: .18 } .arrowhead { fill: #8b96a3 }
  .node .shape { stroke: #fff; stroke-width: 1.5 } .node.selected .shape { stroke: #111; stroke-width: 3 }
  .node.center .shape { stroke: #111; stroke-width: 2 }
  .label { fill: #1d232b; paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round;
    font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif }
  .edge-label { fill: #4b5663; font-style: italic }`;

// The whole drawing as a standalone SVG document: refitted so that nothing
// is cut off, with the legend and the caption drawn in.
export function svgDocument() {
  const v = view();
  const saved = v.t ? { ...v.t } : null;
  fit();
  redraw();
  const { w, h } = stageSize();
  const clone = svgRoot.cloneNode(true);
  v.t = saved;
  redraw();
  for (const attr of ['tabindex', 'role', 'aria-describedby', 'aria-label', 'class']) clone.removeAttribute(attr);
  const legendItems = Object.entries(FAMILIES).map(([family, info]) => {
    const kinds = Object.keys(KINDS).filter((k) => KINDS[k].family === family
      && Array.from(v.graph.nodes.values()).some((n) => n.kind === k));
    return kinds.length ? { info, text: kinds.map((k) => kindInfo(k).label).join(', '), kind: kinds[0] } : null;
  }).filter(Boolean);
  const legendHeight = legendItems.length * 16 + 10;
  const total = h + legendHeight + 30;
  clone.setAttribute('xmlns', SVGNS);
  clone.setAttribute('width', String(Math.round(w)));
  clone.setAttribute('height', String(Math.round(total)));
  clone.setAttribute('viewBox', `0 0 ${Math.round(w)} ${Math.round(total)}`);
  const style = svg('style');
  style.textContent = EXPORT_CSS;
  clone.insertBefore(style, clone.firstChild);
  clone.insertBefore(svg('rect', { width: '100%', height: '100%', fill: '#ffffff' }), style.nextSibling);
  const legend = svg('g', { transform: `translate(10,${Math.round(h)})`, class: 'legend' });
  legendItems.forEach((item, r) => {
    legend.append(svg('path', { d: shapePath(item.info.shape, 8, 13 + r * 16, 5), fill: item.info.color }));
    const t = svg('text', { x: 20, y: 17 + r * 16, 'font-size': 11, class: 'label' });
    t.textContent = `${item.info.label}: ${item.text}`;
    legend.append(t);
  });
  clone.append(legend);
  const text = svg('text', { x: 10, y: Math.round(total - 10), 'font-size': 12, class: 'label caption' });
  text.textContent = fitText(caption(), w - 20);
  clone.append(text);
  return { text: `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`, w, h: total };
}

function fitText(text, width) {
  let out = text;
  while (out.length > 20 && textWidth(out) > width) out = `${out.slice(0, -2)}…`;
  return out;
}

function exportPng() {
  const { text, w, h } = svgDocument();
  const img = new Image();
  const href = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  img.onload = () => {
    const scale = 2;
    const canvas = el('canvas', { width: Math.round(w * scale), height: Math.round(h * scale) });
    const ctx = canvas.getContext('2d');
    ctx.scale(scale, scale);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, w, h);
    ctx.drawImage(img, 0, 0, w, h);
    URL.revokeObjectURL(href);
    canvas.toBlob((blob) => {
      if (blob) {
        download(`${baseName()}.png`, 'image/png', blob);
        status.set('Exported PNG.', 'quiet');
      } else status.set('PNG export failed.', 'error');
    }, 'image/png');
  };
  img.onerror = () => {
    URL.revokeObjectURL(href);
    status.set('PNG export failed: the drawing could not be rasterised.', 'error');
  };
  img.src = href;
}

export function exportAs(format) {
  if (!view().graph.nodes.size) {
    status.set('Nothing to export yet: draw something first.', 'quiet');
    return;
  }
  if (format === 'SVG') {
    download(`${baseName()}.svg`, 'image/svg+xml', svgDocument().text);
    status.set('Exported SVG.', 'quiet');
  } else if (format === 'PNG') exportPng();
  else exportData(format);
}

