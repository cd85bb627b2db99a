// graphql-request from Node against a live govgraph (GOVGRAPH_URL): runs two of
// the contract's operations and checks their answers. Exits 1 on failure.
import { GraphQLClient, gql } from 'graphql-request';
import { readFileSync } from 'node:fs';

const base = (process.env.GOVGRAPH_URL || '').replace(/\/+$/, '');
if (!base) {
  console.error('request.mjs: set GOVGRAPH_URL');
  process.exit(2);
}
const client = new GraphQLClient(`${base}/graphql`);
const contract = (name) => readFileSync(new URL(`../../contract/queries/${name}`, import.meta.url), 'utf8');

const path = await client.request(contract('why-connected.graphql'), {
  from: 'institution:public-council',
  to: 'law:migration-code',
});
if (path.path?.length !== 2 || !path.path.relations.every((r) => r.evidence.length > 0 && r.evidence.every((e) => e.quote.length > 0))) {
  console.error('unexpected path', JSON.stringify(path));
  process.exit(1);
}
console.log(`  ok   graphql-request: WhyConnected in ${path.path.length} hops, each with a quote`);

const implementers = await client.request(contract('implementers.graphql'), { instrument: 'law:migration-code' });
const names = implementers.entity.relations.edges.map((e) => e.node.source.name);
if (!names.includes('State Migration Service')) {
  console.error('unexpected implementers', names);
  process.exit(1);
}
console.log(`  ok   graphql-request: Implementers lists ${names.join(', ')}`);

try {
  await client.request(gql`{ entity(id: "law:migration-code") { nosuchfield } }`);
  console.error('an invalid query was answered');
  process.exit(1);
} catch (error) {
  if (!String(error.message).includes('nosuchfield')) {
    console.error('unexpected error', error);
    process.exit(1);
  }
  console.log('  ok   graphql-request: an invalid field comes back as a GraphQL error');
}
console.log('request.mjs: all checks passed');
