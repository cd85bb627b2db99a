// Label placement in screen space, greedy by priority: each label takes the
// first of eight spots around its node (or the middle of its edge) where it
// overlaps no label placed before it and no obstacle it must respect. Pure: the
// caller measures text and draws, so node:test covers the placement itself.
//
// Levels: `forced` labels (the selected, hovered or focused node, the centre,
// the nodes of a highlighted path) are always placed, overlapping if nothing
// else fits; `hub` labels and the labels of highlighted edges may cover other
// nodes' discs (a halo keeps them legible) but never another label; the rest
// avoid both. A leaf's label can therefore never hide a hub's: hubs go first
// and leaves must keep clear of them.

const CELL = 48;

// A grid of occupied boxes, so each test looks at nearby boxes only.
export class Occupancy {
  constructor() {
    this.grid = new Map();
  }

  *cells(b) {
    for (let cx = Math.floor(b[0] / CELL); cx <= Math.floor(b[2] / CELL); cx += 1) {
      for (let cy = Math.floor(b[1] / CELL); cy <= Math.floor(b[3] / CELL); cy += 1) yield `${cx},${cy}`;
    }
  }

  // Whether `b` overlaps a box of another owner, of a layer in `layers`.
  collides(b, owner, layers) {
    for (const c of this.cells(b)) {
      for (const o of this.grid.get(c) || []) {
        if (o.owner === owner || !layers.has(o.layer)) continue;
        if (b[0] < o.b[2] && b[2] > o.b[0] && b[1] < o.b[3] && b[3] > o.b[1]) return true;
      }
    }
    return false;
  }

  add(b, owner, layer) {
    for (const c of this.cells(b)) {
      if (!this.grid.has(c)) this.grid.set(c, []);
      this.grid.get(c).push({ b, owner, layer });
    }
  }
}

const ALL = new Set(['label', 'disc', 'overlay']);
const NO_DISCS = new Set(['label', 'overlay']);

function inside(b, width, height) {
  return b[0] >= 0 && b[1] >= 0 && b[2] <= width && b[3] <= height;
}

// The eight spots around a disc at (x, y) of radius r for a label w wide and h
// high, as the top-left corners of the label's box: right, left, above,
// below, then the diagonals.
export function spotsAround(x, y, r, w, h) {
  const d = r * 0.7;
  return [
    [x + r, y - h / 2],
    [x - r - w, y - h / 2],
    [x - w / 2, y - r - h],
    [x - w / 2, y + r],
    [x + d, y - d - h],
    [x + d, y + d],
    [x - d - w, y - d - h],
    [x - d - w, y + d],
  ];
}

// Places `candidates` (sorted here by priority, highest first) on a stage of
// `width` × `height`. `discs` are [x, y, r, owner] of the drawn nodes,
// `overlays` boxes [x0, y0, x1, y1] that no label may cover, and
// `measure(text, bold)` a text's width. A node candidate is
// { kind: 'node', id, x, y, r, texts: [full, shorter…], bold, level, priority };
// an edge candidate { kind: 'edge', id, x, y, text, level, priority }.
// Returns the placed labels: { candidate, text, x, y, box } with (x, y) the
// box's top-left corner.
export function placeLabels({ width, height, lineHeight, discs, overlays, candidates, measure }) {
  const occupied = new Occupancy();
  for (const b of overlays) occupied.add(b, 'overlay', 'overlay');
  for (const [x, y, r, owner] of discs) {
    if (x < -50 || y < -50 || x > width + 50 || y > height + 50) continue;
    occupied.add([x - r, y - r, x + r, y + r], owner, 'disc');
  }
  const placed = [];
  const ordered = [...candidates].sort((a, b) => b.priority - a.priority);
  for (const c of ordered) {
    const layers = c.level === 'normal' ? ALL : NO_DISCS;
    if (c.kind === 'node') {
      if (c.x < -20 || c.y < -20 || c.x > width + 20 || c.y > height + 20) continue;
      let chosen = null;
      for (const text of c.texts) {
        const w = measure(text, c.bold);
        for (const [lx, ly] of spotsAround(c.x, c.y, c.r + 3, w, lineHeight)) {
          const b = [lx - 2, ly - 1, lx + w + 2, ly + lineHeight + 1];
          if (!inside(b, width, height) || occupied.collides(b, c.id, layers)) continue;
          chosen = { text, x: lx, y: ly, box: b };
          break;
        }
        if (chosen) break;
      }
      if (!chosen && c.level === 'forced') {
        // Nothing is free: the first spot that stays on the stage, overlapping.
        const text = c.texts[c.texts.length - 1];
        const w = measure(text, c.bold);
        const spots = spotsAround(c.x, c.y, c.r + 3, w, lineHeight);
        const [lx, ly] = spots.find(([sx, sy]) => inside([sx, sy, sx + w, sy + lineHeight], width, height)) || spots[0];
        chosen = { text, x: lx, y: ly, box: [lx - 2, ly - 1, lx + w + 2, ly + lineHeight + 1] };
      }
      if (!chosen) continue;
      occupied.add(chosen.box, c.id, 'label');
      placed.push({ candidate: c, ...chosen });
    } else {
      const w = measure(c.text, false) * 0.92;
      const b = [c.x - w / 2 - 2, c.y - lineHeight / 2, c.x + w / 2 + 2, c.y + lineHeight / 2];
      if (!inside(b, width, height) || occupied.collides(b, null, layers)) continue;
      occupied.add(b, `edge:${c.id}`, 'label');
      placed.push({ candidate: c, text: c.text, x: b[0] + 2, y: b[1], box: b });
    }
  }
  return placed;
}
