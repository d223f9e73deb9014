// Errors a client causes carry an extensions.code, and with introspection off
// (production's default) none suggests a name of the schema; the alias limit
// counts every alias, __typename and fragments spread many times included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway, type TestWorkspace } from '../support/gateway.js';

let open: TestGateway;
let closed: TestGateway;
let wsOpen: TestWorkspace;
let wsClosed: TestWorkspace;
beforeAll(async () => {
  open = await startTestGateway({ introspection: true });
  closed = await startTestGateway({ introspection: false, production: true });
  wsOpen = await open.newWorkspace();
  wsClosed = await closed.newWorkspace();
});
afterAll(async () => {
  await open.close();
  await closed.close();
});

const TYPOS: [string, Record<string, unknown>][] = [
  ['query($o: ContactOrder) { contacts(orderBy: $o) { totalCount } }', { o: { field: 'LAST_NAM', direction: 'ASC' } }],
  ['mutation($i: UpsertContactInput!) { upsertContact(input: $i) { created } }', { i: { firstNam: 'x' } }],
  ['{ contacts(orderBy: { field: LAST_NAM, direction: ASC }) { totalCount } }', {}],
  ['{ contacts(filter: { serch: "x" }) { totalCount } }', {}],
  ['{ contacts(first: 1) { totalCont } }', {}],
  ['{ contacs(first: 1) { totalCount } }', {}],
];

describe('client errors', () => {
  it.each(TYPOS)('%s: a code, and a suggestion only where introspection is on', async (query, variables) => {
    const hidden = await wsClosed.gql(query, variables);
    const shown = await wsOpen.gql(query, variables);
    for (const response of [hidden, shown]) {
      expect(response.status).toBeLessThan(500);
      expect(response.body.errors?.length).toBeGreaterThan(0);
      for (const error of response.body.errors!) expect(error.extensions?.code, JSON.stringify(error)).toMatch(/^(BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED)$/);
    }
    expect(JSON.stringify(hidden.body)).not.toMatch(/Did you mean|LAST_NAME"|firstName|totalCount"\?|"search"|contacts"\?/);
    expect(JSON.stringify(shown.body)).toMatch(/Did you mean/);
  });

  it('counts __typename aliases against the alias limit', async () => {
    const query = `{ ${Array.from({ length: 2000 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const response = await wsClosed.gql(query);
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'OPERATION_LIMIT', limit: 'aliases' });
    expect(response.body.data).toBeUndefined();
  });

  it('counts the aliases of a fragment once per spread', async () => {
    const fragment = `fragment F on Query { ${Array.from({ length: 5 }, (_, i) => `f${i}: __typename`).join(' ')} }`;
    const spreads = (n: number) => Array.from({ length: n }, (_, i) => `s${i}: contacts(first: 1) { __typename } ...F`).join(' ');
    // 6 spreads of 5 aliases plus 6 aliased fields: 36, over the default 30; 4 spreads: 24, under it.
    const over = await wsClosed.gql(`{ ${spreads(6)} } ${fragment}`);
    expect(over.body.errors?.[0]?.extensions).toMatchObject({ code: 'OPERATION_LIMIT', limit: 'aliases' });
    const under = await wsClosed.gql(`{ ${spreads(4)} } ${fragment}`);
    expect(under.body.errors).toBeUndefined();
  });
});
