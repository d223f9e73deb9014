// Error masking (issue 5): no stack, SQL, Prisma message or file path in any
// response; unexpected errors are logged with a request id that the response
// carries in extensions.requestId and in the x-request-id header.
import { describe, expect, it } from 'vitest';
import { onPostgres, startTestGateway } from './support/gateway.js';
import { CONTACT_FIELDS, create } from './support/contacts.js';

const LEAKS = /stack|prisma|pglite|invalid `|\bselect\b|\binsert\b|relation "|\/work\/|node_modules|\.ts:\d+|\bat \w+ \(/i;

async function withLog(production = true) {
  const lines: string[] = [];
  const t = await startTestGateway({ production, logger: { error: (line) => lines.push(line) } });
  return { t, lines };
}

describe('unexpected errors are masked and logged with a request id (issue 5)', () => {
  it('the store closed under the gateway: 5xx, a fixed message, the request id, nothing of the cause', async () => {
    const { t, lines } = await withLog();
    const ws = await t.newWorkspace();
    await t.store.close();
    const response = await ws.gql(`{ contact(id: "x") { ${CONTACT_FIELDS} } }`);
    expect(response.status).toBeGreaterThanOrEqual(500);
    const text = JSON.stringify(response.body);
    expect(text).not.toMatch(LEAKS);
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ requestId });
    expect(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE']).toContain(response.body.errors?.[0]?.extensions?.code);
    // The log has what the response hides, under the same id.
    expect(lines.join('\n')).toContain(requestId!);
    expect(lines.join('\n').length).toBeGreaterThan(text.length / 4);
  });

  // Renaming a table breaks every other test using the store: only on a private PGlite.
  it.skipIf(onPostgres)('a database error inside a resolver (a missing table): 500 with no SQL or Prisma text', async () => {
    const { t, lines } = await withLog();
    const ws = await t.newWorkspace();
    const id = (await create(ws, { firstName: 'A', email: 'a@x.test' })).contact.id;
    await t.store.prisma.$executeRawUnsafe('ALTER TABLE "Email" RENAME TO "EmailGone"');
    const response = await ws.gql(`query($id: ID!) { contact(id: $id) { ${CONTACT_FIELDS} } }`, { id }, { 'x-request-id': 'lb-trace.42' });
    expect(response.status).toBe(500);
    expect(JSON.stringify(response.body)).not.toMatch(LEAKS);
    expect(response.body.errors?.[0]).toMatchObject({
      message: expect.stringContaining('Unexpected error'),
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'lb-trace.42' },
    });
    expect(response.headers.get('x-request-id')).toBe('lb-trace.42');
    expect(lines.some((line) => line.includes('lb-trace.42') && /EmailGone|Email|does not exist/i.test(line))).toBe(true);
    await t.close();
  });

  it('keeps deliberate errors as they are, with a request id header on every response', async () => {
    const { t, lines } = await withLog();
    const response = await t.gql(null, '{ __typename }', undefined, { 'x-request-id': 'bad id with spaces' });
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // An incoming id that does not look like one is replaced, not echoed.
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines).toEqual([]);
    await t.close();
  });

  it('a body that is not JSON: 400 without the parser\'s own message', async () => {
    const { t } = await withLog();
    const ws = await t.newWorkspace();
    const response = await t.gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${ws.apiKey}` },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors[0].extensions?.originalError).toBeUndefined();
    await t.close();
  });
});
