// The explorer's only way to the server: GraphQL on the same origin, and the
// queries it sends.

export async function gql(query, variables) {
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

const RELATION_FIELDS = 'id type since until source { id name kind } target { id name kind } evidence { section quote profile { id } }';

export const SEARCH = `query Search($q: String!) { search(query: $q, first: 12) { id name kind year aliases } }`;
export const NEIGHBOURHOOD = `query Neighbourhood($id: ID!, $depth: Int) {
  neighborhood(id: $id, depth: $depth) {
    truncated
    entities { id name kind year }
    relations { id type since until source { id } target { id } }
  }
}`;
export const ENTITY = `query Entity($id: ID!) {
  entity(id: $id) {
    id kind name year aliases attributes { name value }
    relations(first: 500) { totalCount edges { node { ${RELATION_FIELDS} } } }
  }
}`;
export const RELATION = `query Relation($id: ID!) { relation(id: $id) { ${RELATION_FIELDS} } }`;
export const CONTEXT = `query Context($quote: String!, $section: String) { quoteContext(quote: $quote, section: $section) { section paragraph start end } }`;
export const PATHS = `query Paths($from: ID!, $to: ID!, $maxDepth: Int, $limit: Int, $types: [RelationType!], $avoid: [ID!]) {
  paths(from: $from, to: $to, maxDepth: $maxDepth, limit: $limit, types: $types, avoid: $avoid) {
    length entities { id name kind year } relations { ${RELATION_FIELDS} }
  }
}`;
export const ENTITY_BRIEF = `query One($id: ID!) { entity(id: $id) { id name kind year } }`;
