// Error masking: no stack, SQL, Prisma message or file path in any
// response; unexpected errors are logged with a request id that the response
// carries in extensions.requestId and in the x-request-id header.
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, onPostgres, startTestGateway } from '../support/gateway.js';
import { CONTACT_FIELDS } from '../support/contacts.js';
import { openPrivateStore } from '../support/private-store.js';
import { createGateway } from '../../src/http/gateway.js';
import { issueApiKey } from '../../src/auth/api-keys.js';
import { encodeGlobalId } from '../../src/schema/global-id.js';

const LEAKS = /stack|prisma|pglite|invalid `|\bselect\b|\binsert\b|relation "|\/work\/|node_modules|\.ts:\d+|\bat \w+ \(/i;

/** A production gateway over a private store (support/private-store.ts), with a captured log. */
async function privateGateway() {
  const lines: string[] = [];
  const own = await openPrivateStore();
  const gateway = createGateway({ store: own.store, adminToken: ADMIN_TOKEN, production: true, logger: { error: (line) => lines.push(line) } });
  const workspace = await own.store.prisma.workspace.create({ data: { name: 'private' } });
  const apiKey = await issueApiKey(own.store.prisma, workspace.id);
  const gql = async (query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const response = await gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as { errors?: { message: string; extensions?: Record<string, unknown> }[] } };
  };
  return { own, gateway, workspace, gql, lines };
}

async function withLog(production = true) {
  const lines: string[] = [];
  const t = await startTestGateway({ production, logger: { error: (line) => lines.push(line) } });
  return { t, lines };
}

describe('unexpected errors are masked and logged with a request id', () => {
  it.skipIf(onPostgres)('the store closed under the gateway: 5xx, a fixed message, the request id, nothing of the cause', async () => {
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
    // The log has what the response hides, under the same id.
    expect(lines.join('\n')).toContain(requestId!);
    expect(lines.join('\n')).toMatch(/closed/i);
  });

  it('the database dropped under the gateway: 503 SERVICE_UNAVAILABLE, the request id, no host, SQL or driver text', async () => {
    const p = await privateGateway();
    if (onPostgres) {
      await p.own.destroy();
    } else {
      await p.own.store.close();
    }
    const response = await p.gql(`{ contact(id: "x") { ${CONTACT_FIELDS} } }`);
    expect(response.status).toBeGreaterThanOrEqual(500);
    const text = JSON.stringify(response.body);
    expect(text).not.toMatch(LEAKS);
    expect(text).not.toMatch(/127\.0\.0\.1|5433|hardening_private/);
    const requestId = response.headers.get('x-request-id')!;
    expect(response.body.errors?.[0]?.extensions?.['requestId']).toBe(requestId);
    expect(p.lines.join('\n')).toContain(requestId);
    if (onPostgres) {
      expect(response.status).toBe(503);
      expect(response.body.errors?.[0]?.extensions?.['code']).toBe('SERVICE_UNAVAILABLE');
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    }
    await p.own.destroy().catch(() => {});
  });

  it('a database error inside a resolver (a missing table): 500 with no SQL or Prisma text', async () => {
    const p = await privateGateway();
    try {
      const contact = await p.own.store.prisma.contact.create({ data: { workspaceId: p.workspace.id, firstName: 'A', emails: { create: [{ workspaceId: p.workspace.id, address: 'a@x.test', position: 0 }] } } });
      await p.own.store.prisma.$executeRawUnsafe('ALTER TABLE "Email" RENAME TO "EmailGone"');
      const response = await p.gql(`query($id: ID!) { contact(id: $id) { ${CONTACT_FIELDS} } }`, { id: encodeGlobalId('Contact', contact.id) }, { 'x-request-id': 'lb-trace.42' });
      expect(response.status).toBe(500);
      expect(JSON.stringify(response.body)).not.toMatch(LEAKS);
      expect(response.body.errors?.[0]).toMatchObject({
        message: expect.stringContaining('Unexpected error'),
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'lb-trace.42' },
      });
      expect(response.headers.get('x-request-id')).toBe('lb-trace.42');
      expect(p.lines.some((line) => line.includes('lb-trace.42') && /Email/.test(line))).toBe(true);
    } finally {
      await p.own.destroy();
    }
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
