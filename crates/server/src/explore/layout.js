// Force-directed layout (Fruchterman–Reingold with gravity) in the graph's own
// coordinates. Pure: no DOM, so node:test covers it. Written here rather than
// taken from a library because it must keep placed nodes nearly still (an
// expansion or a year change moves little) and run in a page with no bundler.

import { hashUnit } from './model.js';

// Fruchterman–Reingold with gravity. Nodes that already had a position move
// little (so "expand" and year changes keep the picture stable).
export function layout(graph, options) {
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
