// Four gateway processes on one PostgreSQL (in CI also through one PgBouncer in
// transaction mode): a mixed load of racing upserts, reads and keyed retries
// spread over all four ends with no error and no duplicate; an Idempotency-Key
// runs its mutation once whichever gateway each retry reaches; and the rate
// limit counts one key's requests across all of them. PostgreSQL only: a
// PGlite folder can be open in one process at a time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { behindPooler, onPostgres, testStoreUrl } from '../support/gateway.js';
import { postGraphQL as post, startServer, type GatewayProcess } from '../support/process.js';

const ADMIN = 'many-gateways-admin-token';
const GATEWAYS = 4;
const RATE_LIMIT = 400;
let servers: GatewayProcess[] = [];

async function newWorkspace(name: string): Promise<string> {
  const created = JSON.parse((await post(servers[0]!.url, ADMIN, 'mutation($name: String!) { createWorkspace(name: $name) { apiKey } }', { name })).text);
  return created.data.createWorkspace.apiKey;
}

const on = (i: number) => servers[i % GATEWAYS]!.url;

describe.skipIf(!onPostgres)(`${GATEWAYS} gateway processes on one PostgreSQL${behindPooler ? ' behind PgBouncer' : ''}`, { timeout: 180_000 }, () => {
  beforeAll(async () => {
    // A window of an hour: the test's requests fall in one window.
    const env = { DATABASE_URL: testStoreUrl(), NODE_ENV: 'production', ADMIN_TOKEN: ADMIN, DATABASE_POOL_SIZE: '5', RATE_LIMIT_MAX: String(RATE_LIMIT), RATE_LIMIT_WINDOW_SECONDS: '3600' };
    servers = await Promise.all(Array.from({ length: GATEWAYS }, () => startServer(env)));
  });
  afterAll(async () => {
    for (const server of servers) server.child.kill('SIGTERM');
    await Promise.all(servers.map((s) => s.exit));
  });

  it('a mixed load over all of them: no error, one contact per key, each keyed mutation run once', async () => {
    const key = await newWorkspace('load');
    const UPSERT = 'mutation($input: UpsertContactInput!) { upsertContact(input: $input) { created contact { id } userErrors { code } } }';
    const READ = '{ contacts(first: 20) { totalCount edges { node { id displayName emails { address } } } } }';
    const CREATE = 'mutation($n: String!) { createContact(input: { firstName: $n }) { contact { id } userErrors { code } } }';
    const matches = Array.from({ length: 10 }, (_, k) => [
      { externalRef: { namespace: 'load', externalId: `r-${k}` } },
      { email: `load-${k}@many.test` },
      { phone: `+1 202 555 ${String(6000 + k)}` },
    ]).flat();
    const upserts = matches.flatMap((match, k) => Array.from({ length: 4 }, (_, i) => ({ k, i, match })));
    const keyed = Array.from({ length: 6 }, (_, n) => n);
    const requests: Promise<{ kind: string; k: number; status: number; text: string; replayed: string | null }>[] = [
      ...upserts.map(({ k, i, match }) => post(on(k + i), key, UPSERT, { input: { ...match, firstName: `K${k}-${i}` } }).then((r) => ({ kind: 'upsert', k, ...r }))),
      ...Array.from({ length: 40 }, (_, i) => post(on(i), key, READ).then((r) => ({ kind: 'read', k: i, ...r }))),
      // Each keyed createContact sent twice to every gateway at once.
      ...keyed.flatMap((n) => Array.from({ length: 2 * GATEWAYS }, (_, i) => post(on(i), key, CREATE, { n: `Keyed ${n}` }, { 'idempotency-key': `many-${n}` }).then((r) => ({ kind: 'keyed', k: n, ...r })))),
    ];
    const responses = await Promise.all(requests);
    expect(requests.length).toBeLessThan(RATE_LIMIT);
    const failed = responses.filter((r) => r.status !== 200 || JSON.parse(r.text).errors !== undefined);
    expect(failed.map((r) => `${r.kind} ${r.status} ${r.text.slice(0, 200)}`)).toEqual([]);

    for (const [k] of matches.entries()) {
      const ofKey = responses.filter((r) => r.kind === 'upsert' && r.k === k).map((r) => JSON.parse(r.text).data.upsertContact);
      expect(ofKey.flatMap((p) => p.userErrors)).toEqual([]);
      expect(ofKey.filter((p) => p.created)).toHaveLength(1);
      expect(new Set(ofKey.map((p) => p.contact.id)).size).toBe(1);
    }
    for (const n of keyed) {
      const ofKey = responses.filter((r) => r.kind === 'keyed' && r.k === n);
      expect(new Set(ofKey.map((r) => r.text)).size, `one response for Idempotency-Key many-${n}`).toBe(1);
      expect(ofKey.filter((r) => r.replayed === null)).toHaveLength(1);
    }
    // Every contact is there once: one per match key, one per Idempotency-Key.
    const total = JSON.parse((await post(on(1), key, '{ contacts(first: 1) { totalCount } }')).text).data.contacts.totalCount;
    expect(total).toBe(matches.length + keyed.length);
  });

  it(`the rate limit counts one key's requests across all ${GATEWAYS} gateways: ${RATE_LIMIT} pass, the rest get 429`, async () => {
    const key = await newWorkspace('limited');
    const extra = 24;
    const responses = await Promise.all(Array.from({ length: RATE_LIMIT + extra }, (_, i) => post(on(i), key, '{ __typename }')));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(RATE_LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(extra);
  });
});
