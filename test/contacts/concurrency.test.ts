// On PostgreSQL with a pool of connections the races are real; PGlite runs one
// transaction at a time, so there these tests only pin the behaviour.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, startTestGateway, type TestGateway } from '../support/gateway.js';
import { create, getContact, update, upsert } from '../support/contacts.js';
import { idOf } from '../../src/schema/global-id.js';
import { loadContact, lockContact, type Tx } from '../../src/contacts/contact-store.js';
import { updateContactRows } from '../../src/contacts/contact-rows.js';

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

  it(`${N * 2} simultaneous writers: the change feed's occurredAt never goes back, positions count 1, 2, 3 in feed order`, async () => {
    const ws = await t.newWorkspace();
    const contacts = await Promise.all(Array.from({ length: N }, (_, i) => create(ws, { firstName: `F${i}` })));
    await Promise.all(
      contacts.flatMap(({ contact }, i) => [update(ws, contact.id, { lastName: `L${i}` }), upsert(ws, { email: `feed${i}@x.test` })]),
    );
    const feed = await t.store.prisma.contactChange.findMany({ where: { workspaceId: ws.id }, orderBy: { id: 'asc' } });
    expect(feed).toHaveLength(N * 3);
    const backwards = feed.filter((entry, i) => i > 0 && entry.occurredAt < feed[i - 1]!.occurredAt);
    expect(backwards).toEqual([]);
    // Cursors carry the position in the workspace's feed: 1, 2, 3, … in feed order, no gap, no repeat.
    expect(feed.map((entry) => Number(entry.position))).toEqual(Array.from({ length: N * 3 }, (_, i) => i + 1));
  });

  it(`${N} simultaneous feed inserts that do not take the feed lock themselves still get positions 1..${N}`, async () => {
    const ws = await t.newWorkspace();
    const contact = (await create(ws, {})).contact;
    const contactId = idOf('Contact', contact.id)!;
    // Each in a transaction that stays open a moment after its insert, so that
    // without the trigger's own lock they would all read the same last position.
    await Promise.all(
      Array.from({ length: N }, () =>
        t.store.prisma.$transaction(async (tx) => {
          await tx.$executeRaw`INSERT INTO "ContactChange" ("workspaceId", "contactId", kind, "changedFields") VALUES (${ws.id}::uuid, ${contactId}::uuid, 'UPDATED', '{}')`;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }, { timeout: 30_000, maxWait: 30_000 }),
      ),
    );
    const positions = (await t.store.prisma.contactChange.findMany({ where: { workspaceId: ws.id }, orderBy: { position: 'asc' } })).map((e) => Number(e.position));
    expect(positions).toEqual(Array.from({ length: N + 1 }, (_, i) => i + 1));
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

// A writer outside a transaction (upsertContact's update, updateContact)
// checks the version it read; a locked writer computes its whole next state
// from what it read under the contact's lock. The optimistic write must wait
// for that lock, else it could land between the locked writer's read and
// write, and be overwritten.
describe.runIf(onPostgres)('a write outside a transaction and a writer holding the contact lock', () => {
  it('the optimistic write waits for the lock, then finds the version moved and writes nothing', async () => {
    const ws = await t.newWorkspace();
    const made = (await create(ws, { firstName: 'Before', lastName: 'Before' })).contact;
    const id = idOf('Contact', made.id)!;
    const prisma = t.store.prisma;
    const read = (await loadContact(prisma as unknown as Tx, ws.id, id))!;
    let settled = false;
    let write: Promise<unknown> | undefined;
    await prisma.$transaction(async (tx) => {
      await lockContact(tx, ws.id, id);
      write = updateContactRows(prisma, ws.id, id, { ...read.state, lastName: 'Optimistic' }, ['lastName'], 'UPDATED', read.row.version);
      void write.finally(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(settled).toBe(false);
      // What the locked writer computed from its read: the old last name.
      await tx.$executeRaw`UPDATE "Contact" SET "firstName" = 'Holder', "lastName" = 'Before', version = version + 1 WHERE id = ${id}::uuid`;
    });
    expect(await write).toBeNull();
    const after = await getContact(ws, made.id);
    expect([after.firstName, after.lastName, after.version]).toEqual(['Holder', 'Before', 2]);
  });
});
