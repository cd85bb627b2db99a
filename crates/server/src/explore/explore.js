// govgraph explorer: search, neighbourhoods, a partnership network, shortest
// paths with evidence, and exports. Plain JavaScript, no libraries; it talks to
// /graphql on the same origin and draws into one SVG in screen coordinates.
'use strict';

(() => {
  const SVGNS = 'http://www.w3.org/2000/svg';

  // ---------------------------------------------------------------- vocabulary
  const KINDS = {
    COUNTRY: { label: 'Country', color: '#e15759' },
    INSTITUTION: { label: 'Institution', color: '#4e79a7' },
    INTERNATIONAL_ORGANIZATION: { label: 'International organization', color: '#f28e2b' },
    LAW: { label: 'Law', color: '#59a14f' },
    POLICY: { label: 'Policy', color: '#76b7b2' },
    PROGRAMME: { label: 'Programme', color: '#edc948' },
    AGREEMENT: { label: 'Agreement', color: '#b07aa1' },
    CONVENTION: { label: 'Convention', color: '#ff9da7' },
    PROCESS: { label: 'Process', color: '#9c755f' },
    SYSTEM: { label: 'System', color: '#17becf' },
    TOPIC: { label: 'Topic', color: '#bab0ac' },
    GROUP: { label: 'Group', color: '#8cd17d' },
    PUBLICATION: { label: 'Publication', color: '#2f4b7c' },
  };
  const kindInfo = (kind) => KINDS[kind] || { label: kind || 'Entity', color: '#999999' };
  const typeLabel = (type) => (type || '').toLowerCase().replace(/_/g, ' ');

  // ------------------------------------------------------------------ helpers
  const $ = (sel) => document.querySelector(sel);
  const $$ = (sel) => Array.from(document.querySelectorAll(sel));

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attrs) {
    const node = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined) node.setAttribute(k, String(v));
    }
    return node;
  }

  function swatch(kind) {
    const s = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    s.style.background = kindInfo(kind).color;
    return s;
  }

  function debounce(fn, ms) {
    let timer = null;
    return (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), ms);
    };
  }

  function truncate(text, max) {
    if (!text) return '';
    return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
  }

  function yearsText(since, until) {
    if (since == null && until == null) return '';
    if (since != null && until != null) return since === until ? `${since}` : `${since}–${until}`;
    return since != null ? `since ${since}` : `until ${until}`;
  }

  const status = {
    set(text, kind) {
      const node = $('#status');
      node.textContent = text;
      node.className = `status${kind ? ` ${kind}` : ''}`;
      node.hidden = !text;
    },
  };

  // ------------------------------------------------------------------ GraphQL
  async function gql(query, variables) {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables: variables || {} }),
    });
    let body;
    try {
      body = await response.json();
    } catch (_) {
      throw new Error(`the server answered ${response.status}`);
    }
    if (body.errors && body.errors.length) {
      throw new Error(body.errors.map((e) => e.message).join('; '));
    }
    return body.data;
  }

  // Which of the newer fields this server has: the page works without them.
  const caps = { paths: false, partnershipNetwork: false, export: false, profiles: false, args: {} };
  async function detectCapabilities() {
    try {
      const data = await gql('{ __type(name: "Query") { fields { name args { name } } } }');
      for (const field of (data.__type && data.__type.fields) || []) {
        caps.args[field.name] = new Set(field.args.map((a) => a.name));
        if (field.name in caps) caps[field.name] = true;
      }
    } catch (_) {
      // Introspection off: use only the fields every version has.
    }
  }

  const SEARCH = `query Search($q: String!) { search(query: $q, first: 12) { id name kind year aliases } }`;
  const NEIGHBOURHOOD = `query Neighbourhood($id: ID!, $depth: Int) {
    neighborhood(id: $id, depth: $depth) {
      truncated
      entities { id name kind year }
      relations { id type since until source { id } target { id } }
    }
  }`;
  const ENTITY = `query Entity($id: ID!) {
    entity(id: $id) {
      id kind name year aliases attributes { name value }
      relations(first: 500) {
        totalCount
        edges { node { id type since until source { id name kind } target { id name kind } evidence { section quote } } }
      }
    }
  }`;

  // ------------------------------------------------------------- view models
  // Each view keeps its own drawing, so switching tabs comes back to it.
  function emptyGraph() {
    return { nodes: new Map(), edges: [], laidOut: false };
  }
  const views = {
    neighbourhood: { graph: emptyGraph(), t: null, exportSpec: null, legendExtra: null, focus: null },
    partnerships: { graph: emptyGraph(), t: null, exportSpec: null, legendExtra: 'weights', focus: null },
    connection: { graph: emptyGraph(), t: null, exportSpec: null, legendExtra: 'path', focus: null },
    whole: { graph: emptyGraph(), t: null, exportSpec: null, legendExtra: null, focus: null },
  };
  let current = 'neighbourhood';
  const ui = { selected: null, hovered: null, focused: null, highlightKeys: null };

  function view() {
    return views[current];
  }

  function addNode(graph, entity, near) {
    let node = graph.nodes.get(entity.id);
    if (!node) {
      node = { id: entity.id, name: entity.name, kind: entity.kind, year: entity.year, x: NaN, y: NaN, degree: 0 };
      if (near) {
        const angle = hashUnit(entity.id) * Math.PI * 2;
        node.x = near.x + Math.cos(angle) * 40;
        node.y = near.y + Math.sin(angle) * 40;
        node.fresh = true;
      }
      graph.nodes.set(entity.id, node);
    } else {
      if (entity.name) node.name = entity.name;
      if (entity.kind) node.kind = entity.kind;
      if (entity.year !== undefined) node.year = entity.year;
    }
    return node;
  }

  function edgeKey(source, type, target) {
    return `${source}|${type}|${target}`;
  }

  function addEdge(graph, edge) {
    const key = edge.key || edgeKey(edge.source, edge.type, edge.target);
    if (graph.edges.some((e) => e.key === key)) return;
    if (!graph.nodes.has(edge.source) || !graph.nodes.has(edge.target)) return;
    graph.edges.push({ ...edge, key });
  }

  function recountDegrees(graph) {
    for (const node of graph.nodes.values()) node.degree = 0;
    for (const edge of graph.edges) {
      graph.nodes.get(edge.source).degree += 1;
      graph.nodes.get(edge.target).degree += 1;
    }
  }

  // A stable pseudo-random number in [0, 1) from a string: layouts repeat.
  function hashUnit(text) {
    let h = 2166136261;
    for (let i = 0; i < text.length; i += 1) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 16777619);
    }
    return ((h >>> 0) % 100000) / 100000;
  }

  // ------------------------------------------------------------------ layout
  // Fruchterman–Reingold with gravity. Nodes that already had a position move
  // little (so "expand" and year changes keep the picture stable).
  function layout(graph, options) {
    const nodes = Array.from(graph.nodes.values());
    const n = nodes.length;
    if (n === 0) return;
    const opts = { iterations: 300, ideal: 60, gravity: 1.2, ...(options || {}) };
    const index = new Map(nodes.map((node, i) => [node.id, i]));
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    const mobility = new Float64Array(n);
    const golden = Math.PI * (3 - Math.sqrt(5));
    let anyPlaced = false;
    nodes.forEach((node, i) => {
      if (Number.isFinite(node.x) && Number.isFinite(node.y)) {
        x[i] = node.x;
        y[i] = node.y;
        mobility[i] = node.fresh ? 1 : opts.settled ?? 0.08;
        anyPlaced = anyPlaced || !node.fresh;
      } else {
        // Phyllotaxis start, ordered by degree so hubs begin in the middle.
        mobility[i] = 1;
        x[i] = NaN;
      }
    });
    const order = nodes
      .map((node, i) => i)
      .filter((i) => Number.isNaN(x[i]))
      .sort((a, b) => nodes[b].degree - nodes[a].degree || (nodes[a].id < nodes[b].id ? -1 : 1));
    order.forEach((i, rank) => {
      const r = opts.ideal * 0.6 * Math.sqrt(rank + 0.5);
      x[i] = r * Math.cos(rank * golden);
      y[i] = r * Math.sin(rank * golden);
    });
    if (!anyPlaced) mobility.fill(1);

    const links = graph.edges
      .map((e) => [index.get(e.source), index.get(e.target), e.weight || 1])
      .filter(([a, b]) => a !== undefined && b !== undefined && a !== b);
    const k = opts.ideal;
    const k2 = k * k;
    const dx = new Float64Array(n);
    const dy = new Float64Array(n);
    let temperature = k * Math.sqrt(n) * 0.5;
    const cooling = Math.pow(0.02, 1 / opts.iterations);
    for (let iter = 0; iter < opts.iterations; iter += 1) {
      dx.fill(0);
      dy.fill(0);
      for (let i = 0; i < n; i += 1) {
        for (let j = i + 1; j < n; j += 1) {
          let ddx = x[i] - x[j];
          let ddy = y[i] - y[j];
          let d2 = ddx * ddx + ddy * ddy;
          if (d2 < 0.01) {
            ddx = (hashUnit(nodes[i].id + iter) - 0.5) * 0.2;
            ddy = (hashUnit(nodes[j].id + iter) - 0.5) * 0.2;
            d2 = ddx * ddx + ddy * ddy + 0.01;
          }
          const f = k2 / d2;
          dx[i] += ddx * f;
          dy[i] += ddy * f;
          dx[j] -= ddx * f;
          dy[j] -= ddy * f;
        }
      }
      for (const [a, b, w] of links) {
        const ddx = x[a] - x[b];
        const ddy = y[a] - y[b];
        const d = Math.sqrt(ddx * ddx + ddy * ddy) + 0.01;
        const f = (d / k) * Math.min(1 + Math.log(w), 3);
        dx[a] -= ddx * f;
        dy[a] -= ddy * f;
        dx[b] += ddx * f;
        dy[b] += ddy * f;
      }
      for (let i = 0; i < n; i += 1) {
        // Gravity keeps separate components on screen: with 1/d repulsion, a
        // pull of g·r holds a disc whose nodes sit about `ideal` apart.
        dx[i] -= x[i] * opts.gravity;
        dy[i] -= y[i] * opts.gravity;
        const len = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]);
        if (len > 0) {
          const step = Math.min(len, temperature) * mobility[i];
          x[i] += (dx[i] / len) * step;
          y[i] += (dy[i] / len) * step;
        }
      }
      temperature *= cooling;
    }
    nodes.forEach((node, i) => {
      node.x = x[i];
      node.y = y[i];
      delete node.fresh;
    });
    graph.laidOut = true;
  }

  // ------------------------------------------------------------------ drawing
  const svgRoot = $('#graph');
  const layers = { edges: $('#edges'), nodes: $('#nodes'), labels: $('#labels') };
  const measureCtx = document.createElement('canvas').getContext('2d');
  const LABEL_FONT_PX = 12;
  const labelFont = `${LABEL_FONT_PX}px system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif`;
  const widthCache = new Map();
  function textWidth(text, bold) {
    const key = (bold ? 'b:' : '') + text;
    let w = widthCache.get(key);
    if (w === undefined) {
      measureCtx.font = (bold ? '600 ' : '') + labelFont;
      w = measureCtx.measureText(text).width;
      widthCache.set(key, w);
    }
    return w;
  }

  function stageSize() {
    const rect = svgRoot.getBoundingClientRect();
    return { w: Math.max(rect.width, 100), h: Math.max(rect.height, 100) };
  }

  function transform() {
    const v = view();
    if (!v.t) v.t = { x: stageSize().w / 2, y: stageSize().h / 2, k: 1 };
    return v.t;
  }

  function nodeRadius(node) {
    const base = node.weightRadius || 5 + Math.min(Math.sqrt(node.degree) * 2, 11);
    return base * Math.min(Math.max(Math.sqrt(transform().k), 0.7), 1.6);
  }

  function fit() {
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
    // Room for the legend on the left and labels on the right.
    const legend = $('#legend');
    const padLeft = 90;
    const padRight = 130;
    const padTop = 50;
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

  const screen = (node) => {
    const t = transform();
    return [node.x * t.k + t.x, node.y * t.k + t.y];
  };

  // Width of a partnership link: the same scale in every view and year, so
  // widths compare across the slider (1 agreement: 1.5px, 3: 4.5px, 10+: 10px).
  function linkWidth(weight) {
    return Math.min(1.5 + 1.8 * Math.max((weight || 1) - 1, 0) ** 0.75, 10);
  }

  let nodeEls = new Map();
  let edgeEls = [];

  function render() {
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
      const pair = [edge.source, edge.target].sort().join('|');
      edge.pairTotal = pairCount.get(pair);
      const network = edge.weight !== undefined;
      const width = network ? linkWidth(edge.weight) : 1.3;
      const path = svg('path', {
        class: `edge${network ? ' network' : ''}`,
        'stroke-width': width.toFixed(2),
        stroke: network ? '#4b6a8f' : '#8b96a3',
        fill: 'none',
        'marker-end': network ? null : 'url(#arrow)',
        'data-key': edge.key,
      });
      const title = svg('title');
      title.textContent = network
        ? `${nameOf(edge.source)} — ${nameOf(edge.target)}: ${edge.weight} shared agreement${edge.weight === 1 ? '' : 's'}`
        : `${nameOf(edge.source)} ${typeLabel(edge.type)} ${nameOf(edge.target)}`;
      path.append(title);
      if (network) {
        path.addEventListener('click', () => showNetworkEdge(edge));
      }
      layers.edges.append(path);
      edgeEls.push([edge, path]);
    }
    for (const node of graph.nodes.values()) {
      const g = svg('g', { class: 'node', 'data-id': node.id });
      const circle = svg('circle', { r: 6, fill: kindInfo(node.kind).color });
      g.append(circle);
      g.addEventListener('pointerenter', (event) => hover(node, event));
      g.addEventListener('pointerleave', () => hover(null));
      g.addEventListener('pointerdown', (event) => startNodeDrag(event, node));
      layers.nodes.append(g);
      nodeEls.set(node.id, g);
    }
    drawLegend();
    redraw();
  }

  function nameOf(id) {
    const node = view().graph.nodes.get(id);
    return node ? node.name : id;
  }

  // Positions everything for the current transform, then places labels.
  function redraw() {
    const graph = view().graph;
    const positions = new Map();
    for (const node of graph.nodes.values()) positions.set(node.id, screen(node));
    const radius = new Map();
    for (const [id, g] of nodeEls) {
      const node = graph.nodes.get(id);
      const [sx, sy] = positions.get(id);
      const r = nodeRadius(node);
      radius.set(id, r);
      const circle = g.firstChild;
      circle.setAttribute('cx', sx.toFixed(1));
      circle.setAttribute('cy', sy.toFixed(1));
      circle.setAttribute('r', r.toFixed(1));
    }
    for (const [edge, path] of edgeEls) {
      const [x1, y1] = positions.get(edge.source);
      const [x2, y2] = positions.get(edge.target);
      const geo = edgeGeometry(edge, x1, y1, x2, y2, radius.get(edge.target));
      edge.mid = geo.mid;
      path.setAttribute('d', geo.d);
    }
    applyHighlight();
    placeLabels(positions, radius);
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

  function applyHighlight() {
    const graph = view().graph;
    const f = focusId();
    const keys = ui.highlightKeys;
    const neighbours = new Set();
    if (f && graph.nodes.has(f)) {
      neighbours.add(f);
      for (const edge of graph.edges) {
        if (edge.source === f) neighbours.add(edge.target);
        if (edge.target === f) neighbours.add(edge.source);
      }
    }
    for (const [edge, path] of edgeEls) {
      const onFocus = f && (edge.source === f || edge.target === f);
      const onPath = keys && keys.has(edge.key);
      path.classList.toggle('hl', Boolean(onFocus || onPath));
      path.classList.toggle('dim', Boolean((keys && !onPath && !onFocus) || (!keys && f && graph.nodes.has(f) && !onFocus && graph.edges.length > 30)));
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

  // Greedy label placement in screen space: the most important labels first
  // (selected, hovered, focused, the centre, the focus's neighbours, hubs by
  // degree, then relation types), each at the first of four spots that
  // overlaps no label or node drawn so far. The rest stay hidden until zoom.
  function placeLabels(positions, radius) {
    layers.labels.replaceChildren();
    const graph = view().graph;
    const { w, h } = stageSize();
    const f = focusId();
    const keys = ui.highlightKeys;
    const neighbours = new Set();
    if (f) {
      for (const edge of graph.edges) {
        if (edge.source === f) neighbours.add(edge.target);
        if (edge.target === f) neighbours.add(edge.source);
      }
    }
    const grid = new Map();
    const CELL = 48;
    const cells = (b) => {
      const out = [];
      for (let cx = Math.floor(b[0] / CELL); cx <= Math.floor(b[2] / CELL); cx += 1) {
        for (let cy = Math.floor(b[1] / CELL); cy <= Math.floor(b[3] / CELL); cy += 1) out.push(`${cx},${cy}`);
      }
      return out;
    };
    const collides = (b, owner) => {
      for (const c of cells(b)) {
        for (const o of grid.get(c) || []) {
          if (o.owner === owner) continue;
          if (b[0] < o.b[2] && b[2] > o.b[0] && b[1] < o.b[3] && b[3] > o.b[1]) return true;
        }
      }
      return false;
    };
    const occupy = (b, owner) => {
      for (const c of cells(b)) {
        if (!grid.has(c)) grid.set(c, []);
        grid.get(c).push({ b, owner });
      }
    };
    // The overlays (legend, zoom buttons, status) are obstacles for every label.
    const stageRect = svgRoot.getBoundingClientRect();
    for (const overlay of [$('#legend'), $('.zoom'), $('#status')]) {
      if (!overlay || overlay.hidden) continue;
      const r = overlay.getBoundingClientRect();
      if (r.width && r.height) occupy([r.left - stageRect.left, r.top - stageRect.top, r.right - stageRect.left, r.bottom - stageRect.top], 'overlay');
    }
    // Node discs are obstacles for every label but their own.
    for (const [id, [sx, sy]] of positions) {
      const r = radius.get(id);
      if (sx < -50 || sy < -50 || sx > w + 50 || sy > h + 50) continue;
      occupy([sx - r, sy - r, sx + r, sy + r], id);
    }
    const candidates = [];
    const small = graph.nodes.size <= 25;
    const focusing = (f && graph.nodes.has(f) && graph.nodes.size > 30) || (keys && ui.highlightNodes);
    for (const node of graph.nodes.values()) {
      const outOfFocus = focusing && node.id !== f && !neighbours.has(node.id) && !(ui.highlightNodes && keys && ui.highlightNodes.has(node.id)) && node.id !== ui.focused;
      // In a big graph only the focus is labelled; in a small one the rest stay, faint.
      if (outOfFocus && graph.nodes.size > 40) continue;
      let priority = node.degree;
      if (node.id === ui.selected) priority += 1e9;
      if (node.id === ui.hovered) priority += 2e9;
      if (node.id === ui.focused) priority += 1e9;
      if (node.id === view().center) priority += 1e8;
      if (neighbours.has(node.id)) priority += 1e7;
      if (ui.highlightNodes && keys && ui.highlightNodes.has(node.id)) priority += 1e7;
      const important = priority >= 1e7;
      const max = important || small ? 48 : 30;
      const full = node.id === ui.hovered || node.id === ui.selected;
      candidates.push({ kind: 'node', node, priority, dim: outOfFocus, text: truncate(node.name, full ? 90 : max), short: important && !full ? truncate(node.name, 18) : null, hub: node.degree >= 6 });
    }
    const showAllEdgeLabels = graph.edges.length <= 45;
    for (const edge of graph.edges) {
      if (edge.weight !== undefined && !(f && (edge.source === f || edge.target === f))) continue;
      let priority = -1;
      if (f && (edge.source === f || edge.target === f)) priority = 5e6;
      else if (keys && keys.has(edge.key)) priority = 5e6;
      else if (showAllEdgeLabels && !focusing) priority = 0.5;
      else continue;
      const text = edge.weight !== undefined ? `${edge.weight}` : typeLabel(edge.type);
      candidates.push({ kind: 'edge', edge, priority, text });
    }
    candidates.sort((a, b) => b.priority - a.priority);
    const fragment = document.createDocumentFragment();
    const H = LABEL_FONT_PX + 3;
    for (const c of candidates) {
      if (c.kind === 'node') {
        const [sx, sy] = positions.get(c.node.id);
        if (sx < -20 || sy < -20 || sx > w + 20 || sy > h + 20) continue;
        const bold = c.hub || c.node.id === ui.selected;
        const r = radius.get(c.node.id) + 3;
        const forced = c.priority >= 1e9;
        // Eight spots around the node; important labels may then shorten.
        const tries = c.short && c.short !== c.text ? [c.text, c.short] : [c.text];
        let placed = false;
        for (const label of tries) {
          if (placed) break;
          const tw = textWidth(label, bold);
          const d = r * 0.7;
          const spots = [
            [sx + r, sy - H / 2],
            [sx - r - tw, sy - H / 2],
            [sx - tw / 2, sy - r - H],
            [sx - tw / 2, sy + r],
            [sx + d, sy - d - H],
            [sx + d, sy + d],
            [sx - d - tw, sy - d - H],
            [sx - d - tw, sy + d],
          ];
          for (const [lx, ly] of spots) {
            const b = [lx - 2, ly - 1, lx + tw + 2, ly + H + 1];
            if (!forced && (b[0] < 0 || b[2] > w || b[1] < 0 || b[3] > h)) continue;
            if (!forced && collides(b, c.node.id)) continue;
            occupy(b, c.node.id);
            const text = svg('text', {
              class: `label node-label${bold ? ' hub' : ''}${c.dim ? ' dim' : ''}`,
              x: lx.toFixed(1),
              y: (ly + H - 4).toFixed(1),
              'font-size': LABEL_FONT_PX,
              'font-weight': bold ? 600 : null,
              'data-id': c.node.id,
            });
            text.textContent = label;
            if (label !== c.node.name) text.append(svgTitle(c.node.name));
            fragment.append(text);
            placed = true;
            break;
          }
        }
      } else {
        const [mx, my] = c.edge.mid;
        const tw = textWidth(c.text) * 0.92;
        const b = [mx - tw / 2 - 2, my - H / 2, mx + tw / 2 + 2, my + H / 2];
        if (b[0] < 0 || b[2] > w || b[1] < 0 || b[3] > h) continue;
        if (collides(b, null)) continue;
        occupy(b, 'edge');
        const text = svg('text', {
          class: 'label edge-label',
          x: mx.toFixed(1),
          y: (my + 4).toFixed(1),
          'text-anchor': 'middle',
          'font-size': LABEL_FONT_PX - 1,
        });
        text.textContent = c.text;
        fragment.append(text);
      }
    }
    layers.labels.append(fragment);
  }

  function svgTitle(text) {
    const title = svg('title');
    title.textContent = text;
    return title;
  }

  let frame = 0;
  function scheduleRedraw() {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      redraw();
    });
  }

  // ------------------------------------------------------------ the legend
  function drawLegend() {
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
    legend.append(el('h3', { text: 'Kinds' }));
    const list = el('ul');
    for (const kind of Object.keys(KINDS)) {
      if (!counts.has(kind)) continue;
      list.append(el('li', {}, swatch(kind), kindInfo(kind).label, el('span', { class: 'count', text: counts.get(kind) })));
    }
    legend.append(list);
    if (view().legendExtra === 'weights' && graph.edges.length) {
      const weights = graph.edges.map((e) => e.weight || 1);
      const max = Math.max(...weights);
      const widths = el('h3', { text: 'Shared agreements' });
      legend.append(widths);
      for (const wgt of Array.from(new Set([1, Math.round(max / 2), max])).filter((v) => v >= 1)) {
        const bar = el('span', { class: 'bar', 'aria-hidden': 'true' });
        bar.style.height = `${linkWidth(wgt).toFixed(1)}px`;
        legend.append(el('span', { class: 'widths' }, bar, `${wgt}`));
      }
    } else if (graph.edges.length) {
      legend.append(el('span', { class: 'note', text: 'Arrows read source → target; labels name the relation.' }));
    }
  }

  // -------------------------------------------------- zoom, pan, keyboard
  function zoomAt(factor, sx, sy) {
    const t = transform();
    const k = Math.min(Math.max(t.k * factor, 0.03), 25);
    const f = k / t.k;
    t.x = sx - (sx - t.x) * f;
    t.y = sy - (sy - t.y) * f;
    t.k = k;
    scheduleRedraw();
  }

  svgRoot.addEventListener('wheel', (event) => {
    event.preventDefault();
    const rect = svgRoot.getBoundingClientRect();
    const delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
    zoomAt(Math.exp(-delta * 0.0015), event.clientX - rect.left, event.clientY - rect.top);
  }, { passive: false });

  let drag = null;
  function startNodeDrag(event, node) {
    event.stopPropagation();
    drag = { kind: 'node', node, x0: event.clientX, y0: event.clientY, moved: false, pointer: event.pointerId };
    svgRoot.setPointerCapture(event.pointerId);
  }
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
    if (!d.moved && d.kind === 'node') selectNode(d.node.id);
  };
  svgRoot.addEventListener('pointerup', endDrag);
  svgRoot.addEventListener('pointercancel', endDrag);

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
        if (ui.focused) selectNode(ui.focused);
        break;
      case 'Escape':
        ui.focused = null;
        selectNode(null);
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

  // --------------------------------------------------------- search pickers
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
    return { input };
  }

  // ------------------------------------------------------------ neighbourhood
  async function showNeighbourhood(id) {
    switchView('neighbourhood');
    const depth = Number($('#depth').value) || 1;
    status.set('Loading the neighbourhood…', 'quiet');
    try {
      const data = await gql(NEIGHBOURHOOD, { id, depth });
      const sub = data.neighborhood;
      const graph = emptyGraph();
      for (const entity of sub.entities) addNode(graph, entity);
      for (const r of sub.relations) addEdge(graph, { id: r.id, type: r.type, source: r.source.id, target: r.target.id, since: r.since, until: r.until });
      recountDegrees(graph);
      layout(graph, { ideal: graph.nodes.size > 80 ? 50 : 70 });
      const v = views.neighbourhood;
      v.graph = graph;
      v.center = id;
      v.exportSpec = { center: id, depth };
      ui.selected = null;
      ui.highlightKeys = null;
      ui.highlightNodes = null;
      fit();
      render();
      const centre = graph.nodes.get(id);
      status.set(`${centre ? centre.name : id}: ${graph.nodes.size} entities, ${graph.edges.length} relations within ${depth} hop${depth > 1 ? 's' : ''}${sub.truncated ? ' (cut off at the server’s cap)' : ''}`, 'quiet');
      syncUrl();
      await selectNode(id);
    } catch (error) {
      status.set(`Could not load the neighbourhood: ${error.message}`, 'error');
    }
  }

  async function expand(id) {
    const v = view();
    const graph = v.graph;
    const origin = graph.nodes.get(id);
    status.set('Expanding…', 'quiet');
    try {
      const data = await gql(NEIGHBOURHOOD, { id, depth: 1 });
      const before = graph.nodes.size;
      const beforeEdges = graph.edges.length;
      for (const entity of data.neighborhood.entities) addNode(graph, entity, origin || { x: 0, y: 0 });
      for (const r of data.neighborhood.relations) addEdge(graph, { id: r.id, type: r.type, source: r.source.id, target: r.target.id, since: r.since, until: r.until });
      recountDegrees(graph);
      layout(graph, { iterations: 160, ideal: 60, settled: 0.05 });
      v.exportSpec = null; // no longer one server-side neighbourhood
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

  // ---------------------------------------------------------- details panel
  let detailsSeq = 0;
  async function selectNode(id) {
    ui.selected = id;
    view().selected = id;
    scheduleRedraw();
    const panel = $('#details');
    if (!id) {
      panel.replaceChildren(el('p', { class: 'hint', text: 'Select a node to see its kind, year, aliases, relations and the evidence quoted from the profile.' }));
      return;
    }
    const mine = ++detailsSeq;
    panel.replaceChildren(el('p', { class: 'hint', text: 'Loading…' }));
    try {
      const data = await gql(ENTITY, { id });
      if (mine !== detailsSeq) return;
      if (!data.entity) {
        panel.replaceChildren(el('p', { text: `No entity has the id ${id}.` }));
        return;
      }
      renderDetails(data.entity);
    } catch (error) {
      if (mine === detailsSeq) panel.replaceChildren(el('p', { class: 'error', text: `Could not load: ${error.message}` }));
    }
  }

  function entityButton(entity) {
    return el('button', {
      type: 'button',
      class: 'linklike',
      onclick: () => selectNode(entity.id),
    }, entity.name);
  }

  function evidenceList(evidence) {
    return el('ul', { class: 'evidence' }, (evidence || []).map((ev) => el('li', {},
      el('blockquote', { class: 'quote' }, `“${ev.quote}”`),
      el('span', { class: 'section', text: `Section ${ev.section}` }))));
  }

  function renderDetails(entity) {
    const panel = $('#details');
    const info = kindInfo(entity.kind);
    const inGraph = view().graph.nodes.has(entity.id);
    const dl = el('dl', {},
      el('dt', { text: 'Kind' }), el('dd', { text: info.label }),
      el('dt', { text: 'Year' }), el('dd', { text: entity.year != null ? String(entity.year) : '—' }),
      el('dt', { text: 'Aliases' }), el('dd', { text: entity.aliases.length ? entity.aliases.join('; ') : '—' }),
      entity.attributes.map((a) => [el('dt', { text: a.name }), el('dd', { text: a.value })]),
      el('dt', { text: 'Id' }), el('dd', {}, el('code', { text: entity.id })));
    const actions = el('div', { class: 'actions' },
      el('button', { type: 'button', id: 'expand-btn', onclick: () => expand(entity.id), disabled: !inGraph }, 'Expand neighbours'),
      el('button', { type: 'button', onclick: () => showNeighbourhood(entity.id) }, 'Centre here'),
      el('button', { type: 'button', onclick: () => setEndpoint('from', entity) }, 'Connect from'),
      el('button', { type: 'button', onclick: () => setEndpoint('to', entity) }, 'Connect to'));
    const rels = entity.relations.edges.map((e) => e.node);
    const list = el('ul', { class: 'relations', 'aria-label': 'Relations' });
    for (const r of rels) {
      const outgoing = r.source.id === entity.id;
      const other = outgoing ? r.target : r.source;
      const years = yearsText(r.since, r.until);
      list.append(el('li', {},
        el('div', { class: 'rel-head' },
          outgoing ? [el('span', { class: 'rel-type', text: r.type }), ' → ', entityButton(other)]
            : [entityButton(other), ' → ', el('span', { class: 'rel-type', text: r.type })],
          ' ', el('small', { text: `(${kindInfo(other.kind).label})` }),
          years ? [' ', el('span', { class: 'years', text: years })] : null),
        evidenceList(r.evidence)));
    }
    panel.replaceChildren(
      el('span', { class: 'kind-badge' }, swatch(entity.kind), info.label),
      el('h2', { text: entity.name }),
      dl,
      actions,
      el('h3', { text: `Relations (${entity.relations.totalCount})` }),
      list,
    );
  }

  // ------------------------------------------------------- partnership view
  const networkState = { loadedMeta: false, fullLayouts: new Map(), seq: 0 };

  // With several profiles in one store, the network can keep to one of them.
  async function loadProfiles() {
    if (!caps.profiles || !(caps.args.partnershipNetwork && caps.args.partnershipNetwork.has('profile'))) return;
    const data = await gql('{ profiles { id title year country { name } } }');
    if (data.profiles.length < 2) return;
    const select = $('#profile');
    for (const profile of data.profiles) {
      const label = profile.country ? `${profile.country.name}${profile.year ? ` ${profile.year}` : ''}` : profile.title;
      select.append(el('option', { value: profile.id, text: label }));
    }
    $('#profile-choice').hidden = false;
  }

  async function loadNetworkMeta() {
    if (networkState.loadedMeta) return;
    networkState.loadedMeta = true;
    loadProfiles().catch((error) => status.set(`Could not load the profiles: ${error.message}`, 'error'));
    try {
      const data = await gql(`{ topics: entities(kind: TOPIC, first: 500) { edges { node { id name } } }
        agreements: entities(kind: AGREEMENT, first: 500) { edges { node { year } } } }`);
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
    } catch (error) {
      status.set(`Could not load topics: ${error.message}`, 'error');
    }
  }

  function networkParams() {
    const kinds = $$('input[name="pkind"]:checked').map((i) => i.value);
    const topic = $('#topic').value || null;
    const asOf = $('#use-year').checked ? Number($('#year').value) : null;
    const profile = $('#profile').value || null;
    return { kinds, topic, asOf, profile };
  }

  async function fetchNetwork(params) {
    if (caps.partnershipNetwork) {
      const topicArg = params.topic ? topicArgument(params.topic) : null;
      const byProfile = params.profile != null;
      const data = await gql(`query Network($topic: String, $asOf: Int, $kinds: [EntityKind!]${byProfile ? ', $profile: ID' : ''}) {
        partnershipNetwork(topic: $topic, asOf: $asOf, kinds: $kinds${byProfile ? ', profile: $profile' : ''}) {
          nodes { entity { id name kind year } degree agreements }
          edges { source { id } target { id } weight via { id name kind year } }
        }
      }`, { topic: topicArg, asOf: params.asOf, kinds: params.kinds.length ? params.kinds : null, ...(byProfile ? { profile: params.profile } : {}) });
      const net = data.partnershipNetwork;
      return {
        nodes: net.nodes.map((n) => ({ ...n.entity, agreements: n.agreements, netDegree: n.degree })),
        edges: net.edges.map((e) => ({ source: e.source.id, target: e.target.id, weight: e.weight, via: e.via })),
      };
    }
    return clientNetwork(params);
  }

  // The server's `topic` matches topic names ("pension" finds "Pension
  // provision"), so the chosen topic's name is sent.
  function topicArgument(topicId) {
    const option = $(`#topic option[value="${CSS.escape(topicId)}"]`);
    return option ? option.textContent : topicId;
  }

  // Fallback when the server has no partnershipNetwork: parties to the same
  // agreement are linked, weighted by how many agreements they share.
  let partyCache = null;
  async function clientNetwork(params) {
    if (!partyCache) {
      const fetchAll = async (types) => {
        const out = [];
        let after = null;
        for (;;) {
          const data = await gql(`query R($types: [RelationType!], $after: String) { relations(types: $types, first: 500, after: $after) {
            pageInfo { hasNextPage endCursor } edges { node { type since until source { id name kind year } target { id name kind year } } } } }`, { types, after });
          out.push(...data.relations.edges.map((e) => e.node));
          if (!data.relations.pageInfo.hasNextPage) return out;
          after = data.relations.pageInfo.endCursor;
        }
      };
      partyCache = { party: await fetchAll(['PARTY_TO']), addresses: await fetchAll(['ADDRESSES']) };
    }
    const inForce = (r, year) => year == null || ((r.since == null || r.since <= year) && (r.until == null || r.until >= year));
    const existed = (e, year) => year == null || e.year == null || e.year <= year;
    const topicAgreements = params.topic
      ? new Set(partyCache.addresses.filter((r) => r.target.id === params.topic).map((r) => r.source.id))
      : null;
    const byAgreement = new Map();
    for (const r of partyCache.party) {
      if (!params.kinds.includes(r.source.kind)) continue;
      if (topicAgreements && !topicAgreements.has(r.target.id)) continue;
      if (!inForce(r, params.asOf) || !existed(r.target, params.asOf)) continue;
      if (!byAgreement.has(r.target.id)) byAgreement.set(r.target.id, { agreement: r.target, parties: new Map() });
      byAgreement.get(r.target.id).parties.set(r.source.id, r.source);
    }
    const nodes = new Map();
    const edges = new Map();
    for (const { agreement, parties } of byAgreement.values()) {
      const list = Array.from(parties.values()).sort((a, b) => (a.id < b.id ? -1 : 1));
      for (const p of list) {
        if (!nodes.has(p.id)) nodes.set(p.id, { ...p, agreements: 0 });
        nodes.get(p.id).agreements += 1;
      }
      for (let i = 0; i < list.length; i += 1) {
        for (let j = i + 1; j < list.length; j += 1) {
          const key = `${list[i].id}|${list[j].id}`;
          if (!edges.has(key)) edges.set(key, { source: list[i].id, target: list[j].id, weight: 0, via: [] });
          const edge = edges.get(key);
          edge.weight += 1;
          edge.via.push(agreement);
        }
      }
    }
    const linked = new Set();
    for (const e of edges.values()) {
      linked.add(e.source);
      linked.add(e.target);
    }
    return { nodes: Array.from(nodes.values()).filter((n) => linked.has(n.id)), edges: Array.from(edges.values()) };
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
      addEdge(graph, { key: `${e.source}~${e.target}`, type: 'PARTNERS', source: e.source, target: e.target, weight: e.weight, via: e.via });
    }
    recountDegrees(graph);
    return graph;
  }

  async function loadNetwork(refit) {
    const params = networkParams();
    const mine = ++networkState.seq;
    status.set('Loading the partnership network…', 'quiet');
    try {
      // Positions come from the network over all years, so moving the year
      // slider only adds and removes nodes and links; nothing jumps.
      const layoutKey = JSON.stringify([params.topic, params.kinds, params.profile]);
      let full = networkState.fullLayouts.get(layoutKey);
      if (!full) {
        full = networkGraph(await fetchNetwork({ ...params, asOf: null }));
        layout(full, { ideal: 90, iterations: 350 });
        networkState.fullLayouts.set(layoutKey, full);
      }
      const net = params.asOf == null ? null : await fetchNetwork(params);
      if (mine !== networkState.seq) return;
      const graph = net ? networkGraph(net) : networkGraph({ nodes: Array.from(full.nodes.values()), edges: full.edges });
      for (const node of graph.nodes.values()) {
        const placed = full.nodes.get(node.id);
        if (placed) {
          node.x = placed.x;
          node.y = placed.y;
        }
      }
      if (Array.from(graph.nodes.values()).some((n) => !Number.isFinite(n.x))) layout(graph, { ideal: 90, iterations: 120 });
      const v = views.partnerships;
      v.graph = graph;
      v.exportSpec = null;
      if (refit || !v.t) {
        v.graph = full;
        fit();
        v.graph = graph;
      }
      render();
      const totalWeight = graph.edges.reduce((s, e) => s + e.weight, 0);
      const summary = `${graph.nodes.size} partners, ${graph.edges.length} links (${totalWeight} shared agreements)${params.asOf != null ? ` as of ${params.asOf}` : ''}${params.topic ? ` on ${$('#topic').selectedOptions[0].textContent}` : ''}`;
      $('#network-summary').textContent = summary;
      status.set(graph.nodes.size ? summary : 'No partnerships match these filters.', 'quiet');
      syncUrl();
    } catch (error) {
      if (mine === networkState.seq) status.set(`Could not load the network: ${error.message}`, 'error');
    }
  }

  function showNetworkEdge(edge) {
    const panel = $('#details');
    const a = view().graph.nodes.get(edge.source);
    const b = view().graph.nodes.get(edge.target);
    panel.replaceChildren(
      el('span', { class: 'kind-badge', text: 'Partnership' }),
      el('h2', { text: `${a ? a.name : edge.source} — ${b ? b.name : edge.target}` }),
      el('p', { text: `${edge.weight} shared agreement${edge.weight === 1 ? '' : 's'}:` }),
      el('ul', { class: 'relations' }, (edge.via || []).map((agreement) => el('li', {},
        swatch(agreement.kind || 'AGREEMENT'), ' ', entityButton(agreement), agreement.year ? el('span', { class: 'years', text: ` ${agreement.year}` }) : null))),
    );
  }

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
  for (const box of $$('input[name="pkind"]')) box.addEventListener('change', () => loadNetwork(true));

  // --------------------------------------------------------- connection view
  const endpoints = { from: null, to: null };
  function setEndpoint(which, entity) {
    endpoints[which] = entity;
    $(`#chosen-${which}`).replaceChildren(entity ? el('span', {}, swatch(entity.kind), ' ', entity.name) : '');
    $(`#search-${which}`).value = entity ? entity.name : '';
    if (which === 'from' || which === 'to') switchView('connection');
    syncUrl();
  }

  async function findPaths() {
    const out = $('#paths-out');
    if (!endpoints.from || !endpoints.to) {
      out.replaceChildren(el('p', { class: 'hint', text: 'Choose both entities first.' }));
      return;
    }
    const maxDepth = Number($('#max-depth').value) || 6;
    out.replaceChildren(el('p', { class: 'hint', text: 'Searching…' }));
    const fields = `length entities { id name kind year } relations { type source { id } target { id } since until evidence { section quote } }`;
    try {
      let paths;
      const vars = { from: endpoints.from.id, to: endpoints.to.id, maxDepth };
      if (caps.paths) {
        const data = await gql(`query Paths($from: ID!, $to: ID!, $maxDepth: Int) { paths(from: $from, to: $to, maxDepth: $maxDepth, limit: 10) { ${fields} } }`, vars);
        paths = data.paths;
      } else {
        const data = await gql(`query Path($from: ID!, $to: ID!, $maxDepth: Int) { path(from: $from, to: $to, maxDepth: $maxDepth) { ${fields} } }`, vars);
        paths = data.path ? [data.path] : [];
      }
      drawPaths(paths);
    } catch (error) {
      out.replaceChildren(el('p', { class: 'error', text: `Could not search: ${error.message}` }));
    }
  }

  function drawPaths(paths) {
    const out = $('#paths-out');
    const graph = emptyGraph();
    for (const p of paths) {
      for (const entity of p.entities) addNode(graph, entity);
      for (const r of p.relations) addEdge(graph, { type: r.type, source: r.source.id, target: r.target.id, since: r.since, until: r.until });
    }
    recountDegrees(graph);
    layout(graph, { ideal: 90 });
    const v = views.connection;
    v.graph = graph;
    v.center = null;
    v.exportSpec = null;
    switchView('connection');
    fit();
    if (!paths.length) {
      ui.highlightKeys = null;
      render();
      out.replaceChildren(el('p', {}, `No connection within ${$('#max-depth').value} hops.`));
      status.set('No connection found.', 'quiet');
      return;
    }
    const cards = paths.map((p, i) => {
      const card = el('div', { class: 'path-card', tabindex: '0', role: 'button', 'aria-label': `Path ${i + 1}, ${p.length} hops: highlight it` });
      card.append(el('h3', { text: `Path ${i + 1} · ${p.length} hop${p.length === 1 ? '' : 's'}` }));
      p.relations.forEach((r, h) => {
        const from = p.entities[h];
        const to = p.entities[h + 1];
        const forward = r.source.id === from.id;
        const head = forward
          ? [el('strong', { text: from.name }), ' —', el('span', { class: 'rel-type', text: r.type }), '→ ', el('strong', { text: to.name })]
          : [el('strong', { text: from.name }), ' ←', el('span', { class: 'rel-type', text: r.type }), '— ', el('strong', { text: to.name })];
        card.append(el('div', { class: 'hop' }, head, evidenceList(r.evidence)));
      });
      const activate = () => {
        for (const c of $$('.path-card')) c.classList.remove('active');
        card.classList.add('active');
        ui.highlightKeys = new Set(p.relations.map((r) => edgeKey(r.source.id, r.type, r.target.id)));
        ui.highlightNodes = new Set(p.entities.map((e) => e.id));
        scheduleRedraw();
      };
      card.addEventListener('click', activate);
      card.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          activate();
        }
      });
      return [card, activate];
    });
    out.replaceChildren(el('p', { class: 'summary', text: `${paths.length} shortest path${paths.length === 1 ? '' : 's'}${caps.paths ? '' : ' (this server offers one path at a time)'}` }), ...cards.map((c) => c[0]));
    render();
    cards[0][1]();
    status.set(`${paths.length} path${paths.length === 1 ? '' : 's'} from ${endpoints.from.name} to ${endpoints.to.name}`, 'quiet');
  }

  $('#find-paths').addEventListener('click', findPaths);

  // -------------------------------------------------------------- whole graph
  async function loadWhole() {
    status.set('Loading the whole graph…', 'quiet');
    try {
      const graph = emptyGraph();
      let after = null;
      for (;;) {
        const data = await gql(`query E($after: String) { entities(first: 500, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id name kind year } } } }`, { after });
        for (const e of data.entities.edges) addNode(graph, e.node);
        if (!data.entities.pageInfo.hasNextPage) break;
        after = data.entities.pageInfo.endCursor;
      }
      after = null;
      for (;;) {
        const data = await gql(`query R($after: String) { relations(first: 500, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id type since until source { id } target { id } } } } }`, { after });
        for (const e of data.relations.edges) {
          const r = e.node;
          addEdge(graph, { id: r.id, type: r.type, source: r.source.id, target: r.target.id, since: r.since, until: r.until });
        }
        if (!data.relations.pageInfo.hasNextPage) break;
        after = data.relations.pageInfo.endCursor;
      }
      recountDegrees(graph);
      layout(graph, { ideal: 45, iterations: 260 });
      const v = views.whole;
      v.graph = graph;
      v.exportSpec = {};
      fit();
      render();
      const summary = `${graph.nodes.size} entities, ${graph.edges.length} relations`;
      $('#whole-summary').textContent = summary;
      status.set(summary, 'quiet');
    } catch (error) {
      status.set(`Could not load the graph: ${error.message}`, 'error');
    }
  }

  // ------------------------------------------------------------------ tabs
  function switchView(name) {
    if (!views[name]) return;
    const changed = current !== name;
    current = name;
    if (changed) ui.selected = null;
    for (const tab of $$('.tabs [role="tab"]')) {
      const on = tab.dataset.view === name;
      tab.setAttribute('aria-selected', on ? 'true' : 'false');
      tab.tabIndex = on ? 0 : -1;
      $(`#${tab.getAttribute('aria-controls')}`).hidden = !on;
    }
    if (changed) {
      ui.hovered = null;
      ui.focused = null;
      selectNode(views[name].selected || null);
      if (name !== 'connection') {
        ui.highlightKeys = null;
        ui.highlightNodes = null;
      }
      render();
      if (name === 'partnerships' && !views.partnerships.graph.laidOut) {
        loadNetworkMeta().then(() => loadNetwork(true));
      } else if (name === 'whole' && !views.whole.graph.laidOut) {
        loadWhole();
      } else {
        status.set(view().graph.nodes.size ? `${view().graph.nodes.size} entities, ${view().graph.edges.length} links` : '', 'quiet');
      }
    }
  }

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

  // ---------------------------------------------------------------- exports
  function download(name, type, content) {
    const blob = content instanceof Blob ? content : new Blob([content], { type });
    const url = URL.createObjectURL(blob);
    const a = el('a', { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 5000);
  }

  const xmlEscape = (s) => String(s ?? '').replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]);

  // What is drawn, serialised here: used when the view is not one the
  // server's `export` can reproduce (expanded, partnership, paths).
  function clientExport(format) {
    const graph = view().graph;
    const nodes = Array.from(graph.nodes.values());
    const edges = graph.edges;
    if (format === 'CYTOSCAPE_JSON') {
      return JSON.stringify({
        elements: {
          nodes: nodes.map((n) => ({ data: { id: n.id, label: n.name, kind: n.kind, year: n.year ?? null }, position: { x: n.x, y: n.y } })),
          edges: edges.map((e, i) => ({ data: { id: e.id || `e${i}`, source: e.source, target: e.target, type: e.type, weight: e.weight ?? null, since: e.since ?? null, until: e.until ?? null } })),
        },
      }, null, 2);
    }
    if (format === 'GRAPHML') {
      const lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        '  <key id="name" for="node" attr.name="name" attr.type="string"/>',
        '  <key id="kind" for="node" attr.name="kind" attr.type="string"/>',
        '  <key id="year" for="node" attr.name="year" attr.type="int"/>',
        '  <key id="type" for="edge" attr.name="type" attr.type="string"/>',
        '  <key id="weight" for="edge" attr.name="weight" attr.type="int"/>',
        `  <graph id="govgraph" edgedefault="${edges.some((e) => e.weight !== undefined) ? 'undirected' : 'directed'}">`,
      ];
      for (const n of nodes) {
        lines.push(`    <node id="${xmlEscape(n.id)}"><data key="name">${xmlEscape(n.name)}</data><data key="kind">${n.kind}</data>${n.year != null ? `<data key="year">${n.year}</data>` : ''}</node>`);
      }
      edges.forEach((e, i) => {
        lines.push(`    <edge id="${xmlEscape(e.id || `e${i}`)}" source="${xmlEscape(e.source)}" target="${xmlEscape(e.target)}"><data key="type">${xmlEscape(e.type)}</data>${e.weight !== undefined ? `<data key="weight">${e.weight}</data>` : ''}</edge>`);
      });
      lines.push('  </graph>', '</graphml>', '');
      return lines.join('\n');
    }
    // GEXF 1.3
    const lines = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<gexf xmlns="http://gexf.net/1.3" version="1.3">',
      `  <graph defaultedgetype="${edges.some((e) => e.weight !== undefined) ? 'undirected' : 'directed'}">`,
      '    <attributes class="node"><attribute id="kind" title="kind" type="string"/><attribute id="year" title="year" type="integer"/></attributes>',
      '    <attributes class="edge"><attribute id="type" title="type" type="string"/></attributes>',
      '    <nodes>',
    ];
    for (const n of nodes) {
      lines.push(`      <node id="${xmlEscape(n.id)}" label="${xmlEscape(n.name)}"><attvalues><attvalue for="kind" value="${n.kind}"/>${n.year != null ? `<attvalue for="year" value="${n.year}"/>` : ''}</attvalues></node>`);
    }
    lines.push('    </nodes>', '    <edges>');
    edges.forEach((e, i) => {
      lines.push(`      <edge id="${xmlEscape(e.id || `e${i}`)}" source="${xmlEscape(e.source)}" target="${xmlEscape(e.target)}" weight="${e.weight ?? 1}"><attvalues><attvalue for="type" value="${xmlEscape(e.type)}"/></attvalues></edge>`);
    });
    lines.push('    </edges>', '  </graph>', '</gexf>', '');
    return lines.join('\n');
  }

  const EXTENSIONS = { GRAPHML: ['graphml', 'application/graphml+xml'], GEXF: ['gexf', 'application/gexf+xml'], CYTOSCAPE_JSON: ['cyjs.json', 'application/json'] };

  async function exportData(format) {
    const v = view();
    if (!v.graph.nodes.size) {
      status.set('Nothing to export yet: draw something first.', 'quiet');
      return;
    }
    const [ext, type] = EXTENSIONS[format];
    const base = `govgraph-${current}${v.center ? `-${v.center.replace(/[^a-z0-9]+/gi, '-')}` : ''}`;
    let text;
    if (caps.export && v.exportSpec) {
      try {
        const data = await gql(`query Export($format: ExportFormat!, $center: ID, $depth: Int) { export(format: $format, center: $center, depth: $depth) }`,
          { format, center: v.exportSpec.center ?? null, depth: v.exportSpec.depth ?? null });
        text = data.export;
      } catch (error) {
        status.set(`Server export failed (${error.message}); exporting the drawing instead.`, 'error');
      }
    }
    if (text === undefined) text = clientExport(format);
    download(`${base}.${ext}`, type, text);
    status.set(`Exported ${format.replace('_', ' ')}.`, 'quiet');
  }

  const EXPORT_CSS = `
    .edge { fill: none; stroke-opacity: .55 } .edge.hl { stroke: #1f5fbf; stroke-opacity: .95 }
    .dim { opacity: .18 } .arrowhead { fill: #8b96a3 }
    .node circle { stroke: #fff; stroke-width: 1.5 } .node.selected circle { stroke: #111; stroke-width: 3 }
    .node.center circle { stroke: #111; stroke-width: 2 }
    .label { fill: #1d232b; paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round;
      font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif }
    .edge-label { fill: #4b5663; font-style: italic }`;

  // The drawing as a standalone SVG document, with a legend drawn in.
  function svgDocument() {
    const { w, h } = stageSize();
    const clone = svgRoot.cloneNode(true);
    clone.removeAttribute('tabindex');
    clone.removeAttribute('role');
    clone.removeAttribute('aria-describedby');
    clone.removeAttribute('class');
    clone.setAttribute('xmlns', SVGNS);
    clone.setAttribute('width', String(Math.round(w)));
    clone.setAttribute('height', String(Math.round(h)));
    clone.setAttribute('viewBox', `0 0 ${Math.round(w)} ${Math.round(h)}`);
    const style = svg('style');
    style.textContent = EXPORT_CSS;
    clone.insertBefore(style, clone.firstChild);
    clone.insertBefore(svg('rect', { width: '100%', height: '100%', fill: '#ffffff' }), style.nextSibling);
    const counts = new Map();
    for (const node of view().graph.nodes.values()) counts.set(node.kind, (counts.get(node.kind) || 0) + 1);
    // The legend, where the page shows it: a strip along the bottom.
    const items = Object.keys(KINDS).filter((kind) => counts.has(kind)).map((kind) => {
      const text = `${kindInfo(kind).label} ${counts.get(kind)}`;
      return { kind, text, width: 16 + textWidth(text) * (11 / LABEL_FONT_PX) + 14 };
    });
    const maxWidth = w - 80;
    const rows = [[]];
    let rowWidth = 0;
    for (const item of items) {
      if (rowWidth + item.width > maxWidth && rows[rows.length - 1].length) {
        rows.push([]);
        rowWidth = 0;
      }
      rows[rows.length - 1].push(item);
      rowWidth += item.width;
    }
    const legendHeight = rows.length * 16 + 10;
    const legend = svg('g', { transform: `translate(10,${Math.round(h - legendHeight - 24)})`, class: 'legend' });
    legend.append(svg('rect', { width: maxWidth + 14, height: legendHeight, rx: 6, fill: '#ffffff', 'fill-opacity': 0.94, stroke: '#d5dae1' }));
    rows.forEach((row, r) => {
      let x = 8;
      for (const item of row) {
        legend.append(svg('circle', { cx: x + 5, cy: 13 + r * 16, r: 5, fill: kindInfo(item.kind).color }));
        const t = svg('text', { x: x + 14, y: 17 + r * 16, 'font-size': 11, class: 'label' });
        t.textContent = item.text;
        legend.append(t);
        x += item.width;
      }
    });
    clone.append(legend);
    return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`;
  }

  function exportPng() {
    const text = svgDocument();
    const { w, h } = stageSize();
    const img = new Image();
    const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
    img.onload = () => {
      const scale = 2;
      const canvas = el('canvas', { width: Math.round(w * scale), height: Math.round(h * scale) });
      const ctx = canvas.getContext('2d');
      ctx.scale(scale, scale);
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, w, h);
      ctx.drawImage(img, 0, 0, w, h);
      URL.revokeObjectURL(url);
      canvas.toBlob((blob) => {
        if (blob) {
          download(`govgraph-${current}.png`, 'image/png', blob);
          status.set('Exported PNG.', 'quiet');
        } else status.set('PNG export failed.', 'error');
      }, 'image/png');
    };
    img.onerror = () => {
      URL.revokeObjectURL(url);
      status.set('PNG export failed: the drawing could not be rasterised.', 'error');
    };
    img.src = url;
  }

  for (const button of $$('[data-export]')) {
    button.addEventListener('click', () => {
      const format = button.dataset.export;
      if (format === 'SVG') {
        if (!view().graph.nodes.size) return status.set('Nothing to export yet: draw something first.', 'quiet');
        download(`govgraph-${current}.svg`, 'image/svg+xml', svgDocument());
        status.set('Exported SVG.', 'quiet');
      } else if (format === 'PNG') {
        if (!view().graph.nodes.size) return status.set('Nothing to export yet: draw something first.', 'quiet');
        exportPng();
      } else exportData(format);
      return undefined;
    });
  }

  // -------------------------------------------------------------- URL state
  // The view and what it shows live in the query string, so that Back, a
  // reload and a shared link bring the same view back. A new subject (view,
  // centre, topic, path ends) is a new history entry; a new depth or year
  // replaces the current one.
  let restoring = false;
  const SUBJECT = ['view', 'id', 'topic', 'from', 'to'];
  function urlState() {
    const p = new URLSearchParams();
    p.set('view', current);
    if (current === 'neighbourhood' && views.neighbourhood.center) {
      p.set('id', views.neighbourhood.center);
      p.set('depth', $('#depth').value);
    } else if (current === 'partnerships') {
      if ($('#topic').value) p.set('topic', $('#topic').value);
      if ($('#use-year').checked) p.set('year', $('#year').value);
    } else if (current === 'connection') {
      if (endpoints.from) p.set('from', endpoints.from.id);
      if (endpoints.to) p.set('to', endpoints.to.id);
    }
    return p;
  }
  function syncUrl() {
    if (restoring) return;
    const next = urlState();
    const now = new URLSearchParams(window.location.search);
    if (next.toString() === now.toString()) return;
    const sameSubject = SUBJECT.every((key) => next.get(key) === now.get(key));
    const url = `${window.location.pathname}?${next}`;
    if (sameSubject) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
  }
  async function entityById(id) {
    const data = await gql(`query One($id: ID!) { entity(id: $id) { id name kind year } }`, { id });
    return data.entity;
  }
  async function applyUrl() {
    const p = new URLSearchParams(window.location.search);
    const view = p.get('view') || (p.get('id') ? 'neighbourhood' : null);
    if (!view || !views[view]) return;
    restoring = true;
    try {
      if (p.get('depth') && $(`#depth option[value="${CSS.escape(p.get('depth'))}"]`)) $('#depth').value = p.get('depth');
      if (view === 'neighbourhood' && p.get('id')) {
        await showNeighbourhood(p.get('id'));
      } else if (view === 'partnerships') {
        await loadNetworkMeta();
        $('#topic').value = p.get('topic') || '';
        const year = p.get('year');
        $('#use-year').checked = year != null;
        $('#year').disabled = year == null;
        if (year != null) {
          $('#year').value = year;
          $('#year-out').textContent = $('#year').value;
        }
        const laidOut = views.partnerships.graph.laidOut;
        switchView('partnerships');
        if (laidOut) await loadNetwork(true);
      } else if (view === 'connection') {
        for (const which of ['from', 'to']) {
          const id = p.get(which);
          const entity = id ? await entityById(id).catch(() => null) : null;
          setEndpoint(which, entity);
        }
        switchView('connection');
        if (endpoints.from && endpoints.to) await findPaths();
      } else {
        switchView(view);
      }
    } finally {
      restoring = false;
    }
  }
  window.addEventListener('popstate', () => { applyUrl(); });

  // ------------------------------------------------------------------ start
  picker('main', (entity) => showNeighbourhood(entity.id));
  picker('from', (entity) => setEndpoint('from', entity));
  picker('to', (entity) => setEndpoint('to', entity));
  $('#depth').addEventListener('change', () => {
    if (views.neighbourhood.center) showNeighbourhood(views.neighbourhood.center);
  });

  detectCapabilities().then(() => {
    document.body.dataset.ready = 'true';
    document.body.dataset.caps = ['paths', 'partnershipNetwork', 'export'].filter((c) => caps[c]).join(' ');
    applyUrl();
  });
  render();
})();
