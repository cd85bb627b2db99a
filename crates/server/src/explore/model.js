// A drawing's graph: nodes by id and edges, each edge keyed by its relation
// (or by its pair of partners in the partnership view). Pure: no DOM.

export function emptyGraph() {
  return { nodes: new Map(), edges: [], laidOut: false };
}

// A stable pseudo-random number in [0, 1) from a string, so layouts repeat.
export function hashUnit(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return ((h >>> 0) % 100000) / 100000;
}

// Adds `entity` (or refreshes what is known of it); a new node next to
// `near` starts a short step from it, so an expansion grows in place.
export function addNode(graph, entity, near) {
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

export function edgeKey(source, type, target) {
  return `${source}|${type}|${target}`;
}

// Adds an edge between two drawn nodes, once.
export function addEdge(graph, edge) {
  const key = edge.key || edge.id || edgeKey(edge.source, edge.type, edge.target);
  if (graph.edges.some((e) => e.key === key)) return;
  if (!graph.nodes.has(edge.source) || !graph.nodes.has(edge.target)) return;
  graph.edges.push({ ...edge, key });
}

export function recountDegrees(graph) {
  for (const node of graph.nodes.values()) node.degree = 0;
  for (const edge of graph.edges) {
    graph.nodes.get(edge.source).degree += 1;
    graph.nodes.get(edge.target).degree += 1;
  }
}

// A relation as the drawing keeps it, from the API's shape.
export function relationEdge(r) {
  return { id: r.id, type: r.type, source: r.source.id, target: r.target.id, since: r.since, until: r.until, evidence: r.evidence };
}
