// search reads the contact's search columns (names and emails; phones), which
// triggers keep: every writer of a name, an email or a phone must leave search
// answering as if it read the rows themselves.
import { describe, expect, it } from 'vitest';
import { dataOf, useTestWorkspace } from '../support/gateway.js';
import { create, update, upsert } from '../support/contacts.js';

const { t, ws } = useTestWorkspace();

async function found(search: string): Promise<string[]> {
  const data = dataOf(await ws.gql('query($s: String!) { contacts(first: 50, filter: { search: $s }) { edges { node { id } } } }', { s: search }));
  return data.contacts.edges.map((e: { node: { id: string } }) => e.node.id).sort();
}

describe('search follows every write of names, emails and phones', () => {
  it('finds a new contact by name, by any email and by phone, exactly or by its ending', async () => {
    const { contact } = await create(ws, { firstName: 'Quentin', lastName: 'Zorro', emails: [{ address: 'qz@one.test' }, { address: 'second@two.test' }], phones: [{ number: '+14155550123' }] });
    for (const text of ['quent', 'ZORR', 'one.test', 'SECOND@', '+1 415 555 0123', '4155550123']) expect(await found(text), text).toEqual([contact.id]);
    // No match spans two values: the end of the first name with the start of the last.
    expect(await found('ntinzor')).toEqual([]);
    expect(await found('quentin zorro')).toEqual([]);
  });

  it('forgets replaced emails and phones and learns the new ones (update, upsert)', async () => {
    const { contact } = await create(ws, { firstName: 'Wilma', emails: [{ address: 'old-wilma@x.test' }], phones: [{ number: '+14155550177' }] });
    await update(ws, contact.id, { emails: [{ address: 'new-wilma@x.test' }], phones: [{ number: '+14155550188' }], firstName: 'Wilhelmina' });
    expect(await found('old-wilma')).toEqual([]);
    expect(await found('new-wilma')).toEqual([contact.id]);
    expect(await found('+14155550177')).toEqual([]);
    expect(await found('+14155550188')).toEqual([contact.id]);
    expect(await found('helmina')).toEqual([contact.id]);
    const upserted = await upsert(ws, { email: 'new-wilma@x.test', phone: '+14155550199', lastName: 'Flintstone' });
    expect(upserted.contact.id).toBe(contact.id);
    expect(await found('flintst')).toEqual([contact.id]);
    expect(await found('+1 415 555 0199')).toEqual([contact.id]);
  });

  it('moves with a merge: the target is found by the source emails, the source no longer', async () => {
    const target = (await create(ws, { firstName: 'Target', emails: [{ address: 'target-only@m.test' }] })).contact;
    const source = (await create(ws, { firstName: 'Source', emails: [{ address: 'source-moved@m.test' }], phones: [{ number: '+14155550155' }] })).contact;
    const merged = dataOf(
      await ws.gql('mutation($t: ID!, $s: [ID!]!) { mergeContacts(targetId: $t, sourceIds: $s) { contact { id } userErrors { code } } }', { t: target.id, s: [source.id] }),
    ).mergeContacts;
    expect(merged.userErrors).toEqual([]);
    expect(await found('source-moved')).toEqual([target.id]);
    expect(await found('4155550155')).toEqual([target.id]);
  });

  it('drops a removed email and phone', async () => {
    const { contact } = await create(ws, { firstName: 'Remy', email: 'remy@gone.test', phone: '+14155550166' });
    await update(ws, contact.id, { email: null, phone: null });
    expect(await found('remy@gone')).toEqual([]);
    expect(await found('+14155550166')).toEqual([]);
    expect(await found('remy')).toEqual([contact.id]);
  });
});

describe('the search columns as stored', () => {
  /** The workspace's contacts whose stored search columns differ from what the database computes from their rows. */
  async function stale(): Promise<unknown[]> {
    return t.store.prisma.$queryRaw`SELECT id, "searchText", "phoneKeys" FROM "Contact"
      WHERE "workspaceId" = ${ws.id}::uuid
        AND ("searchText" IS DISTINCT FROM contact_search_text("firstName", "lastName", id) OR "phoneKeys" IS DISTINCT FROM contact_phone_keys(id))`;
  }

  it('equal what the database computes from the rows, after creates, batches, updates and merges', async () => {
    const { contact } = await create(ws, { lastName: 'Only-Last', emails: [{ address: 'a1@cols.test' }, { address: 'a2@cols.test' }], phones: [{ number: '+14155550101' }, { number: '+14155550102' }] });
    await create(ws, { firstName: 'Nameless-Email' });
    await create(ws, { emails: [{ address: 'no-name@cols.test' }] });
    await upsert(ws, { firstName: 'Single', email: 'single@cols.test', phone: '+14155550103' });
    const batch = dataOf(
      await ws.gql('mutation($inputs: [UpsertContactInput!]!) { upsertContacts(inputs: $inputs) { results { created userErrors { code } } } }', {
        inputs: [
          { firstName: 'Batch', lastName: 'One', email: 'b1@cols.test', phone: '+14155550104' },
          { firstName: 'Batch', emails: [{ address: 'b2@cols.test' }, { address: 'b3@cols.test' }], phones: [{ number: '+14155550105' }, { number: '+14155550106' }] },
          { lastName: 'Batch-Three' },
          { email: 'single@cols.test', lastName: 'Matched' },
        ],
      }),
    ).upsertContacts;
    expect(batch.results.map((r: { created: boolean; userErrors: unknown[] }) => [r.created, r.userErrors.length])).toEqual([[true, 0], [true, 0], [true, 0], [false, 0]]);
    await update(ws, contact.id, { firstName: 'Now-First', emails: [{ address: 'a2@cols.test' }], phones: [] });
    expect(await stale()).toEqual([]);
  });

  it('are written with the contact, and the triggers still correct a writer that gives them wrong', async () => {
    dataOf(await ws.gql('mutation($inputs: [UpsertContactInput!]!) { upsertContacts(inputs: $inputs) { results { created } } }', {
      inputs: [{ firstName: 'Versions', email: 'versions@cols.test', phone: '+14155550107' }],
    }));
    const [row] = await t.store.prisma.$queryRaw<{ searchText: string; phoneKeys: string }[]>`
      SELECT "searchText", "phoneKeys" FROM "Contact" WHERE "workspaceId" = ${ws.id}::uuid AND "firstName" = 'Versions'`;
    expect(row).toEqual({ searchText: 'Versions\u0001versions@cols.test', phoneKeys: '\u0001+14155550107\u0001' });

    // A writer outside the gateway: no search text given, then a wrong one, then rows added.
    const [plain, wrong] = [crypto.randomUUID(), crypto.randomUUID()];
    await t.store.prisma.$executeRaw`INSERT INTO "Contact" (id, "workspaceId", "firstName", "updatedAt") VALUES (${plain}::uuid, ${ws.id}::uuid, 'Plain', now())`;
    await t.store.prisma.$executeRaw`INSERT INTO "Contact" (id, "workspaceId", "firstName", "searchText", "phoneKeys", "updatedAt")
      VALUES (${wrong}::uuid, ${ws.id}::uuid, 'Wrong', 'not this', 'nor this', now())`;
    await t.store.prisma.$executeRaw`INSERT INTO "Email" (id, "workspaceId", "contactId", address, type, position)
      VALUES (${crypto.randomUUID()}::uuid, ${ws.id}::uuid, ${wrong}::uuid, 'wrong@cols.test', 'WORK', 0)`;
    await t.store.prisma.$executeRaw`INSERT INTO "Phone" (id, "workspaceId", "contactId", number, e164, type, position)
      VALUES (${crypto.randomUUID()}::uuid, ${ws.id}::uuid, ${wrong}::uuid, '+14155550109', '+14155550109', 'MOBILE', 0)`;
    const written = await t.store.prisma.$queryRaw<{ first: string; searchText: string; phoneKeys: string | null }[]>`
      SELECT "firstName" AS first, "searchText", "phoneKeys" FROM "Contact" WHERE id IN (${plain}::uuid, ${wrong}::uuid) ORDER BY "firstName"`;
    expect(written).toEqual([
      { first: 'Plain', searchText: 'Plain', phoneKeys: null },
      { first: 'Wrong', searchText: 'Wrong\u0001wrong@cols.test', phoneKeys: '\u0001+14155550109\u0001' },
    ]);
    expect(await stale()).toEqual([]);
  });
});
