// On PostgreSQL with a pool of connections the races are real; PGlite runs one
// transaction at a time, so there these tests only pin the behaviour.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, startTestGateway, type TestGateway } from './support/gateway.js';
import { create, update, upsert } from './support/contacts.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t.close());

const N = 20;

describe(`concurrent upserts of one key leave one contact (API.md, upsertContact; store: ${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  const keys: [string, (i: number) => Record<string, unknown>][] = [
    ['a new external ref', (i) => ({ externalRef: { namespace: 'crm', externalId: 'RACE-1' }, firstName: `R${i}` })],
    ['a new email', (i) => ({ email: 'Race@X.test', firstName: `E${i}` })],
    ['a new phone', (i) => ({ phone: '+1 202 555 0177', firstName: `P${i}` })],
  ];
  for (const [name, input] of keys) {
    it(`${N} simultaneous upserts of ${name}: exactly one created, none failed`, async () => {
      const ws = await t.newWorkspace();
      const results = await Promise.all(Array.from({ length: N }, (_, i) => upsert(ws, input(i))));
      expect(results.filter((r) => r.userErrors.length > 0)).toEqual([]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.contact.id)).size).toBe(1);
      expect(await t.store.prisma.contact.count({ where: { workspaceId: ws.id } })).toBe(1);
      // Every one of them wrote: the version counts the create and each changing update.
      const final = results.map((r) => r.contact.version).sort((a, b) => b - a)[0];
      expect(final).toBeGreaterThanOrEqual(2);
    });
  }

  it(`${N} simultaneous updates with the same expectedVersion: exactly one wins`, async () => {
    const ws = await t.newWorkspace();
    const c = (await create(ws, { firstName: 'Base' })).contact;
    const results = await Promise.all(Array.from({ length: N }, (_, i) => update(ws, c.id, { firstName: `U${i}` }, 1)));
    expect(results.filter((r) => r.userErrors.length === 0)).toHaveLength(1);
    expect(results.filter((r) => r.userErrors[0]?.code === 'VERSION_CONFLICT')).toHaveLength(N - 1);
  });

  it(`${N} simultaneous tag additions lose none`, async () => {
    const ws = await t.newWorkspace();
    const c = (await create(ws, {})).contact;
    await Promise.all(
      Array.from({ length: N }, (_, i) => ws.gql('mutation($id: ID!, $t: [String!]!) { addContactTags(id: $id, tags: $t) { userErrors { code } } }', { id: c.id, t: [`t${String(i).padStart(2, '0')}`] })),
    );
    const final = await update(ws, c.id, {});
    expect(final.contact.tags).toHaveLength(N);
    expect(final.contact.version).toBe(N + 1);
  });
});
