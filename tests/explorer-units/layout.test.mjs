// Unit tests of the explorer's force layout (crates/server/src/explore/layout.js)
// and of the graph model it lays out (model.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layout } from '../../crates/server/src/explore/layout.js';
import { addEdge, addNode, emptyGraph, recountDegrees } from '../../crates/server/src/explore/model.js';

function star(leaves) {
  const g = emptyGraph();
  addNode(g, { id: 'hub', name: 'Hub', kind: 'COUNTRY' });
  for (let i = 0; i < leaves; i += 1) {
    addNode(g, { id: `leaf${i}`, name: `Leaf ${i}`, kind: 'LAW' });
    addEdge(g, { id: `r${i}`, type: 'IMPLEMENTS', source: `leaf${i}`, target: 'hub' });
  }
  recountDegrees(g);
  return g;
}

const distance = (a, b) => Math.hypot(a.x - b.x, a.y - b.y);
const positions = (g) => Array.from(g.nodes.values(), (n) => [n.id, n.x, n.y]);

test('the same graph is laid out the same way twice', () => {
  const a = star(12);
  const b = star(12);
  layout(a);
  layout(b);
  assert.deepEqual(positions(a), positions(b));
  assert.ok(positions(a).every(([, x, y]) => Number.isFinite(x) && Number.isFinite(y)));
});

test('the hub of a star ends up in the middle, leaves around it, none on top of another', () => {
  const g = star(16);
  layout(g, { ideal: 60 });
  const nodes = Array.from(g.nodes.values());
  const hub = g.nodes.get('hub');
  const cx = nodes.reduce((s, n) => s + n.x, 0) / nodes.length;
  const cy = nodes.reduce((s, n) => s + n.y, 0) / nodes.length;
  assert.ok(Math.hypot(hub.x - cx, hub.y - cy) < 20, 'the hub sits near the centre of mass');
  for (let i = 0; i < nodes.length; i += 1) {
    for (let j = i + 1; j < nodes.length; j += 1) {
      assert.ok(distance(nodes[i], nodes[j]) > 10, `${nodes[i].id} and ${nodes[j].id} apart`);
    }
  }
  const leafDistances = nodes.filter((n) => n !== hub).map((n) => distance(n, hub));
  assert.ok(Math.max(...leafDistances) < 3 * Math.min(...leafDistances), 'leaves ring the hub');
});

test('placed nodes barely move when a node is added next to one', () => {
  const g = star(10);
  layout(g);
  const before = new Map(Array.from(g.nodes.values(), (n) => [n.id, { x: n.x, y: n.y }]));
  const near = g.nodes.get('leaf3');
  addNode(g, { id: 'new', name: 'New', kind: 'TOPIC' }, near);
  addEdge(g, { id: 'rn', type: 'ADDRESSES', source: 'leaf3', target: 'new' });
  recountDegrees(g);
  layout(g, { iterations: 160, settled: 0.05 });
  const moved = Array.from(before, ([id, p]) => distance(g.nodes.get(id), p));
  assert.ok(Math.max(...moved) < 40, `the old nodes stay nearly still (max ${Math.max(...moved).toFixed(1)})`);
  assert.ok(distance(g.nodes.get('new'), g.nodes.get('leaf3')) < 150, 'the new node lands near its neighbour');
});

test('edges are added once and only between drawn nodes', () => {
  const g = star(2);
  addEdge(g, { id: 'r0', type: 'IMPLEMENTS', source: 'leaf0', target: 'hub' });
  addEdge(g, { id: 'x', type: 'IMPLEMENTS', source: 'leaf0', target: 'missing' });
  assert.equal(g.edges.length, 2);
  recountDegrees(g);
  assert.equal(g.nodes.get('hub').degree, 2);
});
