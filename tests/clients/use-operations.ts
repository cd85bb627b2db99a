// Compiled by tsc against the types GraphQL Code Generator wrote from the live
// endpoint: it fails to compile if the generated types lose or change a field.
import type {
  ImplementersQuery,
  ImplementersQueryVariables,
  WhyConnectedQuery,
  WhyConnectedQueryVariables,
  EntityKind,
  RelationType,
} from './generated/operations';

export const variables: WhyConnectedQueryVariables = {
  from: 'institution:public-council',
  to: 'law:migration-code',
};

export function hops(answer: WhyConnectedQuery): string[] {
  return (answer.path?.relations ?? []).map(
    (r) => `${r.source.id} -${r.type}-> ${r.target.id}: ${r.evidence.map((e) => `"${e.quote}" (${e.section})`).join('; ')}`,
  );
}

export function implementers(answer: ImplementersQuery): Array<[string, RelationType]> {
  return (answer.entity?.relations.edges ?? []).map((e) => [e.node.source.name, e.node.type]);
}

export const kind: EntityKind = 'INSTITUTION';
export const instrument: ImplementersQueryVariables = { instrument: 'law:migration-code' };

export function length(answer: WhyConnectedQuery): number {
  // @ts-expect-error `nosuchfield` is not in the generated type
  return answer.path?.nosuchfield ?? answer.path?.length ?? -1;
}
