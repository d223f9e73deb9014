// Two gateway processes on one PostgreSQL: concurrent upserts of the
// same new keys through both leave exactly one contact per key, and one
// Idempotency-Key sent to both runs its mutation once, and a key whose process
// was killed mid-request is taken over by a retry within seconds. PostgreSQL
// only: a PGlite folder can be open in one process at a time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, testStoreUrl } from '../support/gateway.js';
import { postGraphQL as post, startServer, type GatewayProcess } from '../support/process.js';
import { openStore } from '../../src/db/store.js';

const ADMIN = 'multi-process-admin-token';
let servers: GatewayProcess[] = [];
let key: string;
let workspaceId: string;

describe.skipIf(!onPostgres)('two gateway processes on one PostgreSQL', { timeout: 180_000 }, () => {
  const env = () => ({ DATABASE_URL: testStoreUrl(), NODE_ENV: 'production', ADMIN_TOKEN: ADMIN, DATABASE_POOL_SIZE: '10' });
  beforeAll(async () => {
    servers = await Promise.all([startServer(env()), startServer(env())]);
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

  it('a key whose process was killed mid-request is taken over by the retry within seconds, and the mutation runs once', async () => {
    const doomed = await startServer(env());
    const probe = await openStore({ kind: 'postgres', url: testStoreUrl() });
    const CREATE = 'mutation { createContact(input: { firstName: "Doomed", email: "doomed@two.test" }) { contact { id } userErrors { code } } }';
    // The workspace's row id, as the IdempotentRequest table holds it.
    const rowId = Buffer.from(workspaceId, 'base64').toString('utf8').split(':')[1]!;
    let unlock = () => {};
    let held: Promise<void> = Promise.resolve();
    try {
      // Inserts into Contact wait while this transaction holds the table: the
      // doomed process's createContact stays in flight.
      let locked = () => {};
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      held = probe.prisma.$transaction(
        async (tx) => {
          await tx.$executeRawUnsafe('LOCK TABLE "Contact" IN SHARE MODE');
          locked();
          await new Promise<void>((resolve) => (unlock = resolve));
        },
        { maxWait: 10_000, timeout: 120_000 },
      );
      held.catch(() => {});
      await isLocked;
      void post(doomed.url, key, CREATE, {}, { 'idempotency-key': 'mp-doomed' }).catch(() => {});
      const pending = () =>
        probe.prisma.$queryRaw<{ fresh: boolean; old: boolean }[]>`
          SELECT CURRENT_TIMESTAMP - "heartbeatAt" < interval '5 seconds' AS fresh, CURRENT_TIMESTAMP - "createdAt" > interval '10 seconds' AS old
          FROM "IdempotentRequest" WHERE "workspaceId" = ${rowId}::uuid AND "key" = 'mp-doomed' AND "status" = 0`;
      await expect.poll(async () => (await pending()).length, { timeout: 10_000 }).toBe(1);
      // Still running after longer than a heartbeat may be stale: its process
      // keeps the heartbeat fresh.
      await new Promise((r) => setTimeout(r, 11_000));
      expect(await pending()).toEqual([{ fresh: true, old: true }]);

      doomed.child.kill('SIGKILL');
      await doomed.exit;
      unlock();
      await held;

      const started = Date.now();
      const retry = await post(servers[0]!.url, key, CREATE, {}, { 'idempotency-key': 'mp-doomed' });
      expect(retry.status, retry.text).toBe(200);
      expect(retry.replayed).toBeNull();
      expect(JSON.parse(retry.text).data.createContact.userErrors).toEqual([]);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(await probe.prisma.email.count({ where: { address: 'doomed@two.test', contact: { workspaceId: rowId } } })).toBe(1);
    } finally {
      unlock();
      await held.catch(() => {});
      doomed.child.kill('SIGKILL');
      await probe.close();
    }
  });
});
