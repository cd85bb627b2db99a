// Unit tests of the explorer's URL state (crates/server/src/explore/urlstate.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeState, encodeState, historyMode } from '../../crates/server/src/explore/urlstate.js';

const check = (state, expected) => {
  const encoded = encodeState(state);
  assert.equal(encoded, expected);
  return decodeState(`?${encoded}`);
};

test('each view round-trips through the query string', () => {
  assert.deepEqual(check({ view: 'neighbourhood', id: 'institution:state-migration-service', depth: 2 },
    'view=neighbourhood&id=institution%3Astate-migration-service&depth=2'),
  { view: 'neighbourhood', id: 'institution:state-migration-service', depth: 2 });
  assert.deepEqual(check({ view: 'partnerships', topic: 'topic:labour-migration', mode: 'partners', year: 2015 },
    'view=partnerships&topic=topic%3Alabour-migration&mode=partners&year=2015'),
  { view: 'partnerships', topic: 'topic:labour-migration', mode: 'partners', year: 2015 });
  assert.deepEqual(check({ view: 'connection', from: 'a', to: 'b', avoidHubs: true, types: ['IMPLEMENTS', 'PART_OF'], k: 3 },
    'view=connection&from=a&to=b&avoid=hubs&types=IMPLEMENTS%2CPART_OF&k=3'),
  { view: 'connection', from: 'a', to: 'b', avoidHubs: true, types: ['IMPLEMENTS', 'PART_OF'], k: 3 });
  assert.deepEqual(check({ view: 'whole' }, 'view=whole'), { view: 'whole' });
});

test('defaults are left out of the address', () => {
  assert.equal(encodeState({ view: 'partnerships', mode: 'coparty', year: null, topic: null }), 'view=partnerships');
  assert.equal(encodeState({ view: 'connection', from: null, to: null, avoidHubs: false, types: [], k: 10 }), 'view=connection');
});

test('hand-typed and damaged addresses decode to something sensible', () => {
  assert.equal(decodeState(''), null);
  assert.equal(decodeState('?view=nonsense'), null);
  assert.deepEqual(decodeState('?id=country%3AAZE'), { view: 'neighbourhood', id: 'country:AZE', depth: null });
  assert.deepEqual(decodeState('?view=neighbourhood&id=x&depth=99'), { view: 'neighbourhood', id: 'x', depth: null });
  assert.deepEqual(decodeState('?view=partnerships&year=20x5&mode=weird'), { view: 'partnerships', topic: null, mode: 'coparty', year: null });
  assert.deepEqual(decodeState('?view=connection&types=IMPLEMENTS,<script>,part_of&k=0'),
    { view: 'connection', from: null, to: null, avoidHubs: false, types: ['IMPLEMENTS'], k: 10 });
});

test('a new subject is a new history entry; a new depth or year replaces it', () => {
  assert.equal(historyMode('view=neighbourhood&id=a&depth=1', ''), 'push');
  assert.equal(historyMode('view=neighbourhood&id=a&depth=2', '?view=neighbourhood&id=a&depth=1'), 'replace');
  assert.equal(historyMode('view=neighbourhood&id=b&depth=1', '?view=neighbourhood&id=a&depth=1'), 'push');
  assert.equal(historyMode('view=partnerships&year=2010', '?view=partnerships&year=2011'), 'replace');
  assert.equal(historyMode('view=partnerships&mode=partners', '?view=partnerships'), 'push');
  assert.equal(historyMode('view=connection&from=a&to=b&k=3', '?view=connection&from=a&to=b'), 'push');
  assert.equal(historyMode('view=whole', '?view=whole'), 'none');
});
