// Operation limits: every limit accepts a request exactly at it and
// rejects one just above it with HTTP 400/413, code OPERATION_LIMIT, and a
// message naming the limit's variable. The defaults let every query of the
// contract through.
import net from 'node:net';
import { getIntrospectionQuery, Lexer, Source, TokenKind } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, overNodeHttp, startTestGateway, type TestGateway, type TestWorkspace } from '../support/gateway.js';
import { CONTACT_FIELDS, create, createCompany } from '../support/contacts.js';
import { DEFAULT_LIMITS } from '../../src/config.js';

const SMALL = { maxDepth: 8, maxCost: 502, maxAliases: 5, maxTokens: 300, maxDirectives: 4, maxBodyBytes: 4096 };

let small: TestGateway;
let wsSmall: TestWorkspace;
let std: TestGateway;
let ws: TestWorkspace;
beforeAll(async () => {
  [small, std] = await Promise.all([startTestGateway({ limits: SMALL }), startTestGateway()]);
  wsSmall = await small.newWorkspace();
  ws = await std.newWorkspace();
});
afterAll(async () => {
  await Promise.all([small.close(), std.close()]);
});

const COMPANY = 'Q29tcGFueTowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA='; // a well-formed id that exists nowhere

function tokens(query: string): number {
  const lexer = new Lexer(new Source(query));
  let n = 0;
  while (lexer.advance().kind !== TokenKind.EOF) n++;
  return n;
}

/** A selection nested `depth` levels deep (the leaf is the last level), through Company/Contact cycles. */
function nested(depth: number): string {
  const cycle: [string, string][] = [
    ['connections', 'primary'],
    ['company', 'id'],
    ['contacts(first: 1)', 'totalCount'],
    ['edges', 'cursor'],
    ['node', 'id'],
  ];
  let query = 'id';
  // Build from the inside out: level 1 is company(id), then the cycle from contacts on.
  const levels: [string, string][] = [];
  for (let i = 0; levels.length < depth - 2; i++) levels.push(cycle[(i + 2) % cycle.length]!);
  for (const [field, leaf] of levels.reverse()) query = `${field} { ${query === 'id' ? leaf : query} }`;
  return `{ company(id: "${COMPANY}") { ${query} } }`;
}

function expectLimit(response: { status: number; body: { errors?: { message: string; extensions?: Record<string, unknown> }[] } }, limit: string, variable: string) {
  expect(response.status, JSON.stringify(response.body)).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  const error = response.body.errors?.[0];
  expect(error?.message).toContain(variable);
  if (limit !== 'tokens') expect(error?.extensions).toMatchObject({ code: 'OPERATION_LIMIT', limit });
}

function expectAccepted(response: { status: number; body: { errors?: unknown[] } }) {
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  expect(response.status).toBe(200);
}

describe('each limit accepts a request at it and rejects one just above', () => {
  it(`depth: ${SMALL.maxDepth} levels pass, ${SMALL.maxDepth + 1} get GRAPHQL_MAX_DEPTH`, async () => {
    expectAccepted(await wsSmall.gql(nested(SMALL.maxDepth)));
    expectLimit(await wsSmall.gql(nested(SMALL.maxDepth + 1)), 'depth', 'GRAPHQL_MAX_DEPTH');
  });

  it('depth does not count fragments as levels', async () => {
    const query = `{ company(id: "${COMPANY}") { ...C } } fragment C on Company { contacts(first: 1) { ...E } } fragment E on ContactConnection { edges { node { connections { company { contacts(first: 1) { totalCount } } } } } }`;
    expectAccepted(await wsSmall.gql(query));
  });

  it(`cost: ${SMALL.maxCost} passes, ${SMALL.maxCost + 1} gets GRAPHQL_MAX_COST, with first given as a variable`, async () => {
    // company 1 + contacts (1 + 100 × (edges 1 + node (1 + 3 leaves))) = 502
    const at = `query($n: Int) { company(id: "${COMPANY}") { contacts(first: $n) { edges { node { id firstName lastName } } } } }`;
    const above = at.replace('{ contacts', '{ id contacts');
    expectAccepted(await wsSmall.gql(at, { n: 100 }));
    const rejected = await wsSmall.gql(above, { n: 100 });
    expectLimit(rejected, 'cost', 'GRAPHQL_MAX_COST');
    expect(rejected.body.errors?.[0]?.message).toContain(`${SMALL.maxCost + 1}`);
    // The same query with a small page is cheap: the variable counts, not just literals.
    expectAccepted(await wsSmall.gql(above, { n: 10 }));
  });

  it(`aliases: ${SMALL.maxAliases} pass, ${SMALL.maxAliases + 1} get GRAPHQL_MAX_ALIASES`, async () => {
    const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: company(id: "${COMPANY}") { id }`).join(' ')} }`;
    expectAccepted(await wsSmall.gql(aliased(SMALL.maxAliases)));
    expectLimit(await wsSmall.gql(aliased(SMALL.maxAliases + 1)), 'aliases', 'GRAPHQL_MAX_ALIASES');
  });

  it(`directives: ${SMALL.maxDirectives} pass, ${SMALL.maxDirectives + 1} get GRAPHQL_MAX_DIRECTIVES`, async () => {
    const directed = (n: number) => `{ company(id: "${COMPANY}") { ${Array.from({ length: n }, () => 'id @include(if: true)').join(' ')} } }`;
    expectAccepted(await wsSmall.gql(directed(SMALL.maxDirectives)));
    expectLimit(await wsSmall.gql(directed(SMALL.maxDirectives + 1)), 'directives', 'GRAPHQL_MAX_DIRECTIVES');
  });

  it(`tokens: ${SMALL.maxTokens} pass, ${SMALL.maxTokens + 1} get GRAPHQL_MAX_TOKENS`, async () => {
    const padded = (n: number) => `{ company(id: "${COMPANY}") { id ${'__typename '.repeat(n - 11)}} }`;
    expect(tokens(padded(SMALL.maxTokens))).toBe(SMALL.maxTokens);
    expectAccepted(await wsSmall.gql(padded(SMALL.maxTokens)));
    expectLimit(await wsSmall.gql(padded(SMALL.maxTokens + 1)), 'tokens', 'GRAPHQL_MAX_TOKENS');
  });

  describe(`body: ${SMALL.maxBodyBytes} bytes pass, ${SMALL.maxBodyBytes + 1} get 413 MAX_BODY_BYTES`, () => {
    const body = (bytes: number) => {
      const base = JSON.stringify({ query: '{ __typename }', variables: { pad: '' } });
      return JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(bytes - base.length) } });
    };
    const send = (payload: BodyInit, headers: Record<string, string> = {}) =>
      small.gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${wsSmall.apiKey}`, ...headers },
        body: payload,
        ...(payload instanceof ReadableStream ? { duplex: 'half' } : {}),
      } as RequestInit);
    const chunked = (text: string) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          const bytes = new TextEncoder().encode(text);
          for (let i = 0; i < bytes.length; i += 1000) controller.enqueue(bytes.slice(i, i + 1000));
          controller.close();
        },
      });

    it('with Content-Length', async () => {
      expect(Buffer.byteLength(body(SMALL.maxBodyBytes))).toBe(SMALL.maxBodyBytes);
      const at = await send(body(SMALL.maxBodyBytes), { 'content-length': String(SMALL.maxBodyBytes) });
      expect(at.status).toBe(200);
      const above = await send(body(SMALL.maxBodyBytes + 1), { 'content-length': String(SMALL.maxBodyBytes + 1) });
      expect(above.status).toBe(413);
      expect((await above.json()).errors[0]).toMatchObject({ message: expect.stringContaining('MAX_BODY_BYTES'), extensions: { code: 'OPERATION_LIMIT', limit: 'body' } });
    });

    it('over node:http, a declared body ends at its Content-Length: bytes past it are never read as the body', async () => {
      await overNodeHttp(small.gateway, async (port) => {
      const payload = body(SMALL.maxBodyBytes);
      const head = [
        'POST /graphql HTTP/1.1',
        'host: 127.0.0.1',
        'content-type: application/json',
        `authorization: Bearer ${wsSmall.apiKey}`,
        `content-length: ${SMALL.maxBodyBytes}`,
      ].join('\r\n');
      // Past the declared body: a second request, which would make the first body invalid JSON if it were read as part of it.
      const next = `GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n`;
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1');
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString('utf8')));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
        socket.write(`${head}\r\n\r\n${payload}${next}`);
      });
      expect(answer.match(/HTTP\/1\.1 \d{3} [A-Za-z ]+/g)).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK']);
      expect(answer).toContain('{"data":{"__typename":"Query"}}');
      expect(answer).toContain('{"status":"ok","database":"ok"}');
      });
    });

    it('chunked, without Content-Length', async () => {
      expect((await send(chunked(body(SMALL.maxBodyBytes)))).status).toBe(200);
      expect((await send(chunked(body(SMALL.maxBodyBytes + 1)))).status).toBe(413);
    });
  });

  it('batching is off: a JSON array body is refused', async () => {
    const response = await small.gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${wsSmall.apiKey}` },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(response.status).toBe(400);
  });
});

describe('the default limits let every query of the contract through', () => {
  const FULL_CONTACT = CONTACT_FIELDS.replace('connections { company { id name } jobTitle primary }', 'connections { company { id name domain } jobTitle primary }') + ' createdAt updatedAt';

  it('a full page of 100 contacts with every field, connections { company }, pageInfo and totalCount', async () => {
    const companyId = await createCompany(ws, 'Acme', 'acme.test');
    for (let i = 0; i < 3; i++) {
      await create(ws, { firstName: `F${i}`, email: `f${i}@acme.test`, phones: [{ number: '+12025550100' }], connections: [{ company: { id: companyId }, jobTitle: 'CTO' }], addresses: [{ city: 'X' }], externalRefs: undefined });
    }
    const page = `contacts(first: 100) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ${FULL_CONTACT} } } }`;
    const byCompany = dataOf(await ws.gql(`query($id: ID!) { company(id: $id) { id name domain ${page} } }`, { id: companyId }));
    expect(byCompany.company.contacts.totalCount).toBe(3);
    const byNode = dataOf(await ws.gql(`query($id: ID!) { node(id: $id) { id ... on Company { name ${page} } } }`, { id: companyId }));
    expect(byNode.node.contacts.edges).toHaveLength(3);
    expect(byNode.node.contacts.edges[0].node.connections[0].company.name).toBe('Acme');
  });

  it('a contact by id with every field, twice through fragments, and nodes()', async () => {
    const id = (await create(ws, { firstName: 'Solo' })).contact.id;
    const data = dataOf(
      await ws.gql(`query($id: ID!) { contact(id: $id) { ...F } node(id: $id) { ...F } nodes(ids: [$id, $id]) { ...F } } fragment F on Contact { ${FULL_CONTACT} }`, { id }),
    );
    expect(data.contact.firstName).toBe('Solo');
    expect(data.nodes).toHaveLength(2);
  });

  it("GraphiQL's introspection query", async () => {
    const response = await ws.gql(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true }));
    expectAccepted(response);
  });

  it('and still refuse abuse: nested pages of 100 under pages of 100', async () => {
    const response = await ws.gql(
      `{ company(id: "${COMPANY}") { contacts(first: 100) { edges { node { connections { company { contacts(first: 100) { edges { node { id } } } } } } } } } }`,
    );
    expectLimit(response, 'cost', 'GRAPHQL_MAX_COST');
  });

  it('names the defaults that docs/operations.md documents', () => {
    expect(DEFAULT_LIMITS).toEqual({ maxDepth: 12, maxCost: 10_000, maxAliases: 30, maxTokens: 20_000, maxDirectives: 30, maxBodyBytes: 4 * 1024 * 1024 });
  });
});
