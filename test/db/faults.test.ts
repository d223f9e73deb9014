// Faults: PostgreSQL restarts under a running gateway. While it is
// down requests fail fast with a clear 503, /health says 503; once it is back
// the gateway serves again by itself; no contact is half-written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRunOwnPostgres, startOwnPostgres, type OwnPostgres } from '../support/own-postgres.js';
import { openStore, type Store } from '../../src/db/store.js';
import { createGateway, type Gateway } from '../../src/http/gateway.js';
import { issueApiKey } from '../../src/auth/api-keys.js';

let pg: OwnPostgres;
let store: Store;
let gateway: Gateway;
let apiKey: string;
let workspaceId: string;
const logged: string[] = [];

beforeAll(async () => {
  if (!canRunOwnPostgres) return;
  pg = await startOwnPostgres();
  store = await openStore({ kind: 'postgres', url: pg.url }, { poolSize: 5 });
  await store.migrate();
  gateway = createGateway({ store, adminToken: null, production: true, logger: { error: (l) => logged.push(l) } });
  workspaceId = (await store.prisma.workspace.create({ data: { name: 'faults' } })).id;
  apiKey = await issueApiKey(store.prisma, workspaceId);
});
afterAll(async () => {
  if (!canRunOwnPostgres) return;
  await store?.close();
  pg?.destroy();
});

const CREATE = 'mutation($input: CreateContactInput!) { createContact(input: $input) { contact { id emails { address } phones { e164 } } userErrors { code } } }';

async function createOne(i: number) {
  const started = Date.now();
  const response = await gateway.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({
      query: CREATE,
      variables: { input: { firstName: `F${i}`, emails: [{ address: `a${i}@f.test` }, { address: `b${i}@f.test` }, { address: `c${i}@f.test` }], phones: [{ number: `+1202555${String(2000 + i)}` }, { number: `+1202555${String(5000 + i)}` }] } },
    }),
  });
  return { status: response.status, body: await response.json(), ms: Date.now() - started };
}

const health = async () => (await gateway.fetch('http://gateway.test/health')).status;

describe.skipIf(!canRunOwnPostgres)('PostgreSQL restarts under the gateway (Faults)', { timeout: 120_000 }, () => {
  it('fails fast with 503 while down, /health says 503, recovers by itself, and writes nothing by halves', async () => {
    expect((await createOne(0)).status).toBe(200);
    expect(await health()).toBe(200);

    // Writes keep coming while the server stops.
    let acknowledged = 0;
    const during = Array.from({ length: 40 }, (_, i) =>
      new Promise((r) => setTimeout(r, i * 25))
        .then(() => createOne(100 + i))
        .then((o) => {
          if (o.status === 200) acknowledged++;
          return o;
        }),
    );
    // Stop the server once some writes went through and others are in flight.
    while (acknowledged < 3) await new Promise((r) => setTimeout(r, 5));
    await pg.stop();
    const outcomes = await Promise.all(during);
    // Some were acknowledged before the stop, some refused during or after it.
    expect(outcomes.some((o) => o.status === 200)).toBe(true);
    expect(outcomes.some((o) => o.status === 503)).toBe(true);

    // Down: a clear error, fast, never a hang or a stack.
    const down = await createOne(1);
    expect(down.status).toBe(503);
    expect(down.ms).toBeLessThan(10_000);
    expect(down.body.errors[0]).toMatchObject({ message: expect.stringMatching(/database is unavailable/), extensions: { code: 'SERVICE_UNAVAILABLE' } });
    expect(JSON.stringify(down.body)).not.toMatch(/stack|prisma|127\.0\.0\.1|ECONNREFUSED/i);
    expect(await health()).toBe(503);
    // A keyed mutation too: 503 with Retry-After and a GraphQL error body; the key stays usable.
    const keyed = () =>
      gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, 'idempotency-key': 'while-down' },
        body: JSON.stringify({
          query: CREATE,
          variables: { input: { firstName: 'Keyed', emails: [{ address: 'k1@f.test' }, { address: 'k2@f.test' }, { address: 'k3@f.test' }], phones: [{ number: '+12025559001' }, { number: '+12025559002' }] } },
        }),
      });
    const keyedDown = await keyed();
    expect(keyedDown.status).toBe(503);
    expect(keyedDown.headers.get('retry-after')).toBe('2');
    const keyedBody = await keyedDown.text();
    expect(JSON.parse(keyedBody).errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    expect(keyedBody).not.toMatch(/stack|prisma|127\.0\.0\.1|ECONNREFUSED/i);
    for (const outcome of outcomes) expect([200, 503]).toContain(outcome.status);

    // Back: no restart of the gateway needed.
    await pg.start();
    const deadline = Date.now() + 30_000;
    while ((await health()) !== 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await health()).toBe(200);
    const after = await createOne(2);
    expect(after.status).toBe(200);
    expect(after.body.data.createContact.userErrors).toEqual([]);
    const keyedBack = await keyed();
    expect(keyedBack.status).toBe(200);
    expect((await keyed()).headers.get('idempotent-replayed')).toBe('true');

    // Every acknowledged create is there, and no contact has only part of its emails or phones.
    const contacts = await store.prisma.contact.findMany({ where: { workspaceId }, include: { emails: true, phones: true } });
    for (const c of contacts) expect([c.emails.length, c.phones.length]).toEqual([3, 2]);
    const ids = new Set(contacts.map((c) => c.id));
    const acknowledgedIds = outcomes.filter((o) => o.status === 200).map((o) => o.body.data.createContact.contact.id as string);
    const decoded = acknowledgedIds.map((id) => Buffer.from(id, 'base64').toString().split(':')[1]);
    for (const id of decoded) expect(ids.has(id!)).toBe(true);
    expect(logged.some((l) => l.includes('SERVICE_UNAVAILABLE'))).toBe(true);
  });
});
