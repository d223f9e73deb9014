// Two gateway processes on one PostgreSQL: concurrent upserts of the
// same new keys through both leave exactly one contact per key, and one
// Idempotency-Key sent to both runs its mutation once. PostgreSQL only: a
// PGlite folder can be open in one process at a time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, testStoreUrl } from './support/gateway.js';
import { startServer, type GatewayProcess } from './support/process.js';

const ADMIN = 'multi-process-admin-token';
let servers: GatewayProcess[] = [];
let key: string;
let workspaceId: string;

async function post(url: string, authorization: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${authorization}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, text: await response.text() };
}

describe.skipIf(!onPostgres)('two gateway processes on one PostgreSQL', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    const env = { DATABASE_URL: testStoreUrl(), NODE_ENV: 'production', ADMIN_TOKEN: ADMIN, DATABASE_POOL_SIZE: '10' };
    servers = await Promise.all([startServer(env), startServer(env)]);
    const created = JSON.parse((await post(servers[0]!.url, ADMIN, 'mutation { createWorkspace(name: "two") { workspace { id } apiKey } }')).text);
    key = created.data.createWorkspace.apiKey;
    workspaceId = created.data.createWorkspace.workspace.id;
  });
  afterAll(async () => {
    for (const server of servers) server.child.kill('SIGTERM');
    await Promise.all(servers.map((s) => s.exit));
  });

  it('concurrent upserts of the same new keys through both: exactly one contact per key, none failed', async () => {
    const UPSERT = 'mutation($input: UpsertContactInput!) { upsertContact(input: $input) { created contact { id } userErrors { code } } }';
    const keys = Array.from({ length: 8 }, (_, k) => [
      { externalRef: { namespace: 'mp', externalId: `ref-${k}` } },
      { email: `mp-${k}@two.test` },
      { phone: `+1 202 555 ${String(4000 + k)}` },
    ]).flat();
    const requests = keys.flatMap((match, k) => Array.from({ length: 6 }, (_, i) => post(servers[i % 2]!.url, key, UPSERT, { input: { ...match, firstName: `K${k}-${i}` } })));
    const responses = await Promise.all(requests);
    const payloads = responses.map((r) => {
      expect(r.status, r.text).toBe(200);
      return JSON.parse(r.text).data.upsertContact;
    });
    expect(payloads.filter((p) => p.userErrors.length > 0)).toEqual([]);
    for (let k = 0; k < keys.length; k++) {
      const ofKey = payloads.slice(k * 6, k * 6 + 6);
      expect(ofKey.filter((p) => p.created)).toHaveLength(1);
      expect(new Set(ofKey.map((p) => p.contact.id)).size).toBe(1);
    }
    const ids = new Set(payloads.map((p) => p.contact.id));
    expect(ids.size).toBe(keys.length);
    // And the workspace holds exactly those contacts (asked through the API: the contacts' own ids).
    for (const id of ids) {
      const found = JSON.parse((await post(servers[0]!.url, key, 'query($id: ID!) { contact(id: $id) { id } }', { id })).text);
      expect(found.data.contact.id).toBe(id);
    }
    expect(workspaceId).toBeTruthy();
  });

  it('one Idempotency-Key sent to both processes at once runs the mutation once', async () => {
    const CREATE = 'mutation { createContact(input: { firstName: "Once", email: "once@two.test" }) { contact { id } userErrors { code } } }';
    const responses = await Promise.all(Array.from({ length: 8 }, (_, i) => post(servers[i % 2]!.url, key, CREATE, {}, { 'idempotency-key': 'mp-once' })));
    expect(new Set(responses.map((r) => r.status))).toEqual(new Set([200]));
    expect(new Set(responses.map((r) => r.text)).size).toBe(1);
  });
});
