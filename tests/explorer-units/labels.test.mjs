// Unit tests of the explorer's label placement (crates/server/src/explore/labels.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placeLabels, spotsAround } from '../../crates/server/src/explore/labels.js';

// Every character 7 px wide: enough to reason about boxes by hand.
const measure = (text) => text.length * 7;
const overlap = (a, b) => a[0] < b[2] && a[2] > b[0] && a[1] < b[3] && a[3] > b[1];
const node = (id, x, y, extra) => ({ kind: 'node', id, x, y, r: 6, texts: [id], bold: false, level: 'normal', priority: 1, ...extra });
const stage = (candidates, extra) => placeLabels({
  width: 400, height: 300, lineHeight: 15, discs: candidates.filter((c) => c.kind === 'node').map((c) => [c.x, c.y, c.r, c.id]),
  overlays: [], candidates, measure, ...extra,
});

test('a lone label goes to the right of its node', () => {
  const [placed] = stage([node('alone', 100, 100)]);
  assert.equal(placed.text, 'alone');
  assert.equal(placed.x, 100 + 6 + 3);
  assert.ok(Math.abs(placed.y + 7.5 - 100) < 1e-9, 'vertically centred on the node');
});

test('placed labels never overlap one another', () => {
  const crowd = [];
  for (let i = 0; i < 40; i += 1) crowd.push(node(`entity number ${i}`, 150 + (i % 5) * 9, 120 + Math.floor(i / 5) * 7, { priority: i }));
  const placed = stage(crowd);
  assert.ok(placed.length > 3, `some labels fit (${placed.length})`);
  for (let i = 0; i < placed.length; i += 1) {
    for (let j = i + 1; j < placed.length; j += 1) {
      assert.ok(!overlap(placed[i].box, placed[j].box), `${placed[i].text} / ${placed[j].text}`);
    }
  }
});

test("a hub's label wins over a leaf's, whatever the order given", () => {
  const leaf = node('leaf label here', 200, 150, { priority: 1 });
  const hub = node('hub', 205, 150, { priority: 100, level: 'hub' });
  for (const order of [[leaf, hub], [hub, leaf]]) {
    const texts = stage(order).map((p) => p.text);
    assert.ok(texts.includes('hub'), `the hub is labelled (${texts})`);
  }
});

test('hub labels may cover a leaf disc; normal ones may not', () => {
  // A node ringed by eight discs where each of its spots would go.
  const centre = [200, 150];
  const ring = spotsAround(centre[0], centre[1], 9, 21, 15).map(([x, y], i) => node(`d${i}`, x + 10, y + 7, { texts: [], priority: 0 }));
  const discsOnly = ring.map((c) => [c.x, c.y, 12, c.id]);
  const run = (level) => placeLabels({
    width: 400, height: 300, lineHeight: 15, discs: discsOnly, overlays: [], measure,
    candidates: [node('abc', ...centre, { level })],
  });
  assert.equal(run('normal').length, 0, 'a normal label finds no free spot');
  assert.equal(run('hub').length, 1, 'a hub label is placed over the discs');
});

test('forced labels are always placed, shortened first if that fits', () => {
  const blocker = [0, 0, 400, 300];
  const forced = node('the selected entity', 200, 150, { level: 'forced', texts: ['the selected entity', 'the sel…'] });
  const placed = placeLabels({ width: 400, height: 300, lineHeight: 15, discs: [], overlays: [blocker], candidates: [forced], measure });
  assert.equal(placed.length, 1);
  assert.equal(placed[0].text, 'the sel…', 'the shortest form when nothing is free');
  const free = stage([forced]);
  assert.equal(free[0].text, 'the selected entity', 'the full name when there is room');
});

test('labels stay on the stage and off the overlays', () => {
  const overlay = [0, 0, 400, 40];
  const placed = placeLabels({ width: 400, height: 300, lineHeight: 15, discs: [], overlays: [overlay], measure,
    candidates: [node('near the top edge', 200, 30), node('right', 395, 200)] });
  for (const p of placed) {
    assert.ok(p.box[0] >= 0 && p.box[2] <= 400 && p.box[1] >= 0 && p.box[3] <= 300, `${p.text} inside`);
    assert.ok(!overlap(p.box, overlay), `${p.text} off the overlay`);
  }
  assert.equal(placed.find((p) => p.text === 'right').x < 395, true, 'a label at the right edge goes left');
});

test('edge labels sit at the middle of their edge and yield to node labels', () => {
  const n = node('node', 200, 150, { priority: 10 });
  const edge = { kind: 'edge', id: 'a|X|b', x: 200 + 6 + 3 + 10, y: 150, text: 'implements', level: 'normal', priority: 1 };
  const placed = stage([n, edge]);
  assert.deepEqual(placed.map((p) => p.text), ['node'], 'the edge label would cover the node label');
  const alone = stage([{ ...edge, x: 100, y: 100 }]);
  assert.equal(alone.length, 1);
  assert.ok(Math.abs((alone[0].box[0] + alone[0].box[2]) / 2 - 100) < 1e-9, 'centred on the edge');
});
