// Unit tests of the explorer's visual vocabulary (crates/server/src/explore/vocabulary.js):
// six families, every kind of the schema in one, the same colours and shapes as
// the exports (crates/export/src/style.rs), and readable relation phrases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FAMILIES, KINDS, kindInfo, relationPhrase, shapePath, typeLabel } from '../../crates/server/src/explore/vocabulary.js';

const root = new URL('../../', import.meta.url);
const schema = readFileSync(new URL('crates/api/schema.graphql', root), 'utf8');
const enumValues = (name) => {
  const body = schema.match(new RegExp(`enum ${name} \\{([\\s\\S]*?)\\n\\}`))[1];
  return body.replace(/"""[\s\S]*?"""/g, '').split(/\s+/).filter((w) => /^[A-Z_]+$/.test(w));
};

test('every entity kind of the schema has a family, and there are six', () => {
  assert.equal(Object.keys(FAMILIES).length, 6);
  for (const kind of enumValues('EntityKind')) {
    assert.ok(KINDS[kind], `${kind} has a family`);
    assert.ok(FAMILIES[KINDS[kind].family], `${kind}'s family exists`);
  }
  const shapes = new Set(Object.values(FAMILIES).map((f) => f.shape));
  const colours = new Set(Object.values(FAMILIES).map((f) => f.color));
  assert.equal(shapes.size, 6, 'each family its own shape');
  assert.equal(colours.size, 6, 'each family its own colour');
});

test('the exports colour and shape each kind as the explorer does', () => {
  const style = readFileSync(new URL('crates/export/src/style.rs', root), 'utf8');
  const rows = [...style.matchAll(/([A-Za-z |]+) => \("(\w+)", \(0x(\w\w), 0x(\w\w), 0x(\w\w)\), "(\w+)"\)/g)];
  assert.equal(rows.length, 6, 'style.rs names six families');
  for (const [, kinds, family, r, g, b, shape] of rows) {
    const f = FAMILIES[family];
    assert.ok(f, `${family} is an explorer family`);
    assert.equal(f.color.toUpperCase(), `#${r}${g}${b}`.toUpperCase(), `${family}'s colour`);
    assert.equal(f.shape, shape, `${family}'s shape`);
    for (const rust of kinds.split('|').map((k) => k.trim())) {
      const kind = rust.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
      assert.equal(KINDS[kind].family, family, `${kind} is in ${family} on both sides`);
    }
  }
});

test('unknown kinds draw grey with a readable label', () => {
  const info = kindInfo('SOMETHING_NEW');
  assert.equal(info.label, 'something new');
  assert.equal(info.family, null);
});

test('relation types read as words, from either end', () => {
  for (const type of enumValues('RelationType')) {
    assert.match(relationPhrase(type, true), /^[a-z ]+$/, type);
    assert.match(relationPhrase(type, false), /^[a-z ←]+/, type);
    assert.notEqual(relationPhrase(type, false), relationPhrase(type, true).replace('coordinates with', 'x'), type);
  }
  assert.equal(typeLabel('PARTY_TO'), 'party to');
  assert.equal(relationPhrase('IMPLEMENTS', false), 'implemented by');
  assert.equal(relationPhrase('ISSUED_BY', false), 'issued');
});

test('every shape is a closed path around its centre', () => {
  for (const { shape } of Object.values(FAMILIES)) {
    const d = shapePath(shape, 50, 40, 6);
    assert.match(d, /^M.*Z$/, shape);
    // The end point of each command (the last pair of numbers in it).
    const ends = d.split(/[MLAZ]/).map((part) => part.match(/(-?[\d.]+),(-?[\d.]+)\s*$/)).filter(Boolean)
      .map((m) => [Number(m[1]), Number(m[2])]);
    assert.ok(ends.length >= 2, shape);
    for (const [x, y] of ends) {
      assert.ok(Math.hypot(x - 50, y - 40) <= 6 * 1.4, `${shape}: (${x}, ${y}) lies on the outline`);
    }
  }
});
