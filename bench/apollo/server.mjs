// The Apollo Server 5 peer of bench/run: the govgraph contract's read paths
// (entity, relations of an entity, search, path, neighborhood, relation) over the
// same dataset exported to JSON, in one Node process.
//
//   NODE_ENV=production node server.mjs DATA.json PORT
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const [dataPath, portText] = process.argv.slice(2);
const data = JSON.parse(readFileSync(dataPath, 'utf8'));
const entities = data.entities.slice().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
const relations = data.relations.slice().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
const byId = new Map(entities.map((e) => [e.id, e]));
const relationById = new Map(relations.map((r) => [r.id, r]));
const out = new Map();
const inc = new Map();
for (const e of entities) { out.set(e.id, []); inc.set(e.id, []); }
for (const r of relations) {
  if (!byId.has(r.source) || !byId.has(r.target)) continue;
  out.get(r.source).push(r); // relations are visited in id order, so each list is sorted
  inc.get(r.target).push(r);
}

const typeDefs = `#graphql
  enum Direction { OUTGOING INCOMING BOTH }
  type Attribute { name: String! value: String! }
  type Evidence { section: String! quote: String! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type Entity {
    id: ID! kind: String! name: String! aliases: [String!]! year: Int attributes: [Attribute!]!
    relations(direction: Direction = BOTH, types: [String!], first: Int = 50, after: String, asOf: Int): RelationConnection!
  }
  type Relation { id: ID! type: String! source: Entity! target: Entity! since: Int until: Int evidence: [Evidence!]! }
  type RelationEdge { cursor: String! node: Relation! }
  type RelationConnection { totalCount: Int! pageInfo: PageInfo! edges: [RelationEdge!]! }
  type Path { length: Int! entities: [Entity!]! relations: [Relation!]! }
  type Subgraph { entities: [Entity!]! relations: [Relation!]! truncated: Boolean! }
  type Query {
    entity(id: ID!): Entity
    relation(id: ID!): Relation
    search(query: String!, first: Int = 10): [Entity!]!
    path(from: ID!, to: ID!, maxDepth: Int = 6, types: [String!], directed: Boolean = false): Path
    neighborhood(id: ID!, depth: Int = 1, types: [String!]): Subgraph!
  }
`;

const cursor = (id) => Buffer.from(`r:${id}`).toString('base64');

function relationsAt(id, direction, types) {
  const pick = (list) => (types ? list.filter((r) => types.includes(r.type)) : list);
  if (direction === 'OUTGOING') return pick(out.get(id));
  if (direction === 'INCOMING') return pick(inc.get(id));
  const a = pick(out.get(id));
  const b = pick(inc.get(id));
  const merged = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i].id < b[j].id) merged.push(a[i++]);
    else if (a[i].id > b[j].id) merged.push(b[j++]);
    else { merged.push(a[i++]); j++; }
  }
  while (i < a.length) merged.push(a[i++]);
  while (j < b.length) merged.push(b[j++]);
  return merged;
}

const admits = (types) => (r) => (types ? types.includes(r.type) : r.type !== 'NOT_RATIFIED');

function neighbours(id, directed, forward, keep) {
  const list = [];
  if (!directed || forward) for (const r of out.get(id)) if (keep(r)) list.push([r, r.target]);
  if (!directed || !forward) for (const r of inc.get(id)) if (keep(r)) list.push([r, r.source]);
  list.sort((x, y) => (x[0].id < y[0].id ? -1 : x[0].id > y[0].id ? 1 : 0));
  return list;
}

function shortestPath(from, to, maxDepth, types, directed) {
  if (from === to) return { entities: [from], relations: [] };
  const keep = admits(types);
  const sides = [
    { parent: new Map([[from, null]]), frontier: [from], depth: 0, forward: true },
    { parent: new Map([[to, null]]), frontier: [to], depth: 0, forward: false },
  ];
  while (sides[0].depth + sides[1].depth < maxDepth) {
    if (!sides[0].frontier.length || !sides[1].frontier.length) return null;
    const g = sides[1].frontier.length < sides[0].frontier.length ? 1 : 0;
    const side = sides[g];
    const other = sides[1 - g];
    const next = [];
    let meet = null;
    for (const node of side.frontier) {
      for (const [r, n] of neighbours(node, directed, side.forward, keep)) {
        if (side.parent.has(n)) continue;
        side.parent.set(n, [node, r]);
        next.push(n);
        if (meet === null && other.parent.has(n)) meet = n;
      }
    }
    side.frontier = next;
    side.depth += 1;
    if (meet !== null) {
      const walk = (s, n) => {
        const steps = [];
        for (let p = s.parent.get(n); p; p = s.parent.get(p[0])) steps.push(p);
        return steps;
      };
      const back = walk(sides[0], meet).reverse();
      const ents = back.map((p) => p[0]).concat([meet]);
      const rels = back.map((p) => p[1]);
      for (const [n, r] of walk(sides[1], meet)) { rels.push(r); ents.push(n); }
      return { entities: ents, relations: rels };
    }
  }
  return null;
}

const fold = (s) => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
const folded = entities.map((e) => [e, [e.name, ...(e.aliases || [])].map(fold)]);

const resolvers = {
  Query: {
    entity: (_, { id }) => byId.get(id) ?? null,
    relation: (_, { id }) => relationById.get(id) ?? null,
    search: (_, { query, first }) => {
      const q = fold(query.trim());
      const words = q.split(/\s+/).filter(Boolean);
      const hits = [];
      for (const [e, names] of folded) {
        let best = 0;
        for (const n of names) {
          const score = n === q ? 2 : words.filter((w) => n.includes(w)).length / words.length;
          if (score > best) best = score;
        }
        if (best > 0) hits.push([best, e]);
      }
      hits.sort((a, b) => b[0] - a[0] || (a[1].id < b[1].id ? -1 : 1));
      return hits.slice(0, first).map((h) => h[1]);
    },
    path: (_, { from, to, maxDepth, types, directed }) => {
      if (!byId.has(from) || !byId.has(to)) throw new Error('unknown entity');
      const p = shortestPath(from, to, maxDepth, types, directed);
      return p && { length: p.relations.length, entities: p.entities.map((id) => byId.get(id)), relations: p.relations };
    },
    neighborhood: (_, { id, depth, types }) => {
      if (!byId.has(id)) throw new Error('unknown entity');
      const keep = types ? (r) => types.includes(r.type) : () => true;
      const dist = new Map([[id, 0]]);
      const order = [id];
      let truncated = false;
      for (let head = 0; head < order.length && !truncated; head++) {
        const node = order[head];
        const d = dist.get(node);
        if (d === depth) continue;
        for (const [, n] of neighbours(node, false, true, keep)) {
          if (dist.has(n)) continue;
          if (order.length >= 2000) { truncated = true; break; }
          dist.set(n, d + 1);
          order.push(n);
        }
      }
      const rels = [];
      for (const n of order) for (const r of out.get(n)) if (keep(r) && dist.has(r.target)) rels.push(r);
      return { entities: order.map((n) => byId.get(n)), relations: rels, truncated };
    },
  },
  Entity: {
    aliases: (e) => e.aliases || [],
    attributes: (e) => Object.entries(e.attributes || {}).map(([name, value]) => ({ name, value })),
    relations: (e, { direction, types, first, after }) => {
      const items = relationsAt(e.id, direction, types);
      let start = 0;
      if (after) {
        const id = Buffer.from(after, 'base64').toString().slice(2);
        while (start < items.length && items[start].id <= id) start++;
      }
      const page = items.slice(start, start + first);
      return {
        totalCount: items.length,
        pageInfo: { hasNextPage: start + page.length < items.length, endCursor: page.length ? cursor(page[page.length - 1].id) : null },
        edges: page.map((r) => ({ cursor: cursor(r.id), node: r })),
      };
    },
  },
  Relation: {
    source: (r) => byId.get(r.source),
    target: (r) => byId.get(r.target),
    since: (r) => r.since ?? null,
    until: (r) => r.until ?? null,
  },
};

const server = new ApolloServer({ typeDefs, resolvers });
const { url } = await startStandaloneServer(server, { listen: { port: Number(portText || 4000), host: '127.0.0.1' } });
console.log(`apollo serving on ${url}`);
