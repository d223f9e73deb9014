import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, startTestGateway, type TestGateway, type TestWorkspace } from '../support/gateway.js';
import { CONTACT_FIELDS, create, createCompany, getContact, mutateById, update, upsert } from '../support/contacts.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t.close());

async function merge(ws: TestWorkspace, targetId: string, sourceIds: string[]) {
  return dataOf(
    await ws.gql(
      `mutation($t: ID!, $s: [ID!]!) { mergeContacts(targetId: $t, sourceIds: $s) { contact { ${CONTACT_FIELDS} } userErrors { code field message } } }`,
      { t: targetId, s: sourceIds },
    ),
  ).mergeContacts;
}

describe('mergeContacts (API.md, Other mutations)', () => {
  it('moves emails, phones, refs, tags and connections into the target; sources become tombstones resolving to it', async () => {
    const ws = await t.newWorkspace();
    const acme = await createCompany(ws, 'Acme');
    const initech = await createCompany(ws, 'Initech');
    const target = (await create(ws, { firstName: 'T', email: 't@x.test', tags: ['a'], connections: [{ company: { id: acme } }] })).contact;
    const source = (
      await create(ws, {
        firstName: 'S', lastName: 'Source', emails: [{ address: 's@x.test' }, { address: 'T@x.test' }], phone: '+12025550160', tags: ['b'],
        connections: [{ company: { id: initech }, jobTitle: 'CTO' }], externalRefs: [{ namespace: 'crm', externalId: 'S1' }],
      })
    ).contact;
    const merged = await merge(ws, target.id, [source.id]);
    expect(merged.userErrors).toEqual([]);
    expect(merged.contact).toMatchObject({
      id: target.id, firstName: 'T', lastName: 'Source', email: 't@x.test', phone: '+12025550160', tags: ['a', 'b'],
      externalRefs: [{ namespace: 'crm', externalId: 'S1' }], version: target.version + 1,
    });
    expect(merged.contact.emails.map((e: { address: string }) => e.address)).toEqual(['t@x.test', 's@x.test']);
    expect(merged.contact.connections.map((c: { company: { name: string }; primary: boolean }) => [c.company.name, c.primary])).toEqual([['Acme', true], ['Initech', false]]);

    // The source's id now resolves to the target, by contact and by node.
    expect((await getContact(ws, source.id)).id).toBe(target.id);
    expect(dataOf(await ws.gql('query($id: ID!) { node(id: $id) { id } }', { id: source.id })).node).toEqual({ id: target.id });
    // Its ref and email now find the target.
    expect((await upsert(ws, { externalRef: { namespace: 'crm', externalId: 'S1' } })).contact.id).toBe(target.id);
    expect((await upsert(ws, { email: 's@x.test' })).contact.id).toBe(target.id);
  });

  it('follows chains: a contact merged into a contact that is merged later resolves to the last target', async () => {
    const ws = await t.newWorkspace();
    const [a, b, c] = await Promise.all(['A', 'B', 'C'].map(async (n) => (await create(ws, { firstName: n })).contact));
    await merge(ws, b.id, [a.id]);
    await merge(ws, c.id, [b.id]);
    expect((await getContact(ws, a.id)).id).toBe(c.id);
  });

  it('rejects unknown, deleted, foreign and self ids, writing nothing', async () => {
    const ws = await t.newWorkspace();
    const other = await t.newWorkspace();
    const target = (await create(ws, { firstName: 'T' })).contact;
    const deleted = (await create(ws, { firstName: 'D' })).contact;
    await mutateById(ws, 'deleteContact', deleted.id);
    const foreign = (await create(other, { firstName: 'F' })).contact;
    const live = (await create(ws, { firstName: 'L', email: 'l@x.test' })).contact;
    const result = await merge(ws, target.id, [live.id, deleted.id, foreign.id]);
    expect(result.contact).toBeNull();
    expect(result.userErrors.map((e: { code: string; field: string[] }) => [e.code, e.field])).toEqual([
      ['NOT_FOUND', ['sourceIds', '1']],
      ['NOT_FOUND', ['sourceIds', '2']],
    ]);
    expect(await getContact(ws, live.id)).toEqual(live);
    expect((await merge(ws, target.id, [target.id])).userErrors).toEqual([expect.objectContaining({ code: 'INVALID', field: ['sourceIds', '0'] })]);
    expect((await merge(ws, target.id, [])).userErrors).toEqual([expect.objectContaining({ code: 'INVALID', field: ['sourceIds'] })]);
  });
});

const FEED = `query($after: String, $first: Int) { contactChanges(after: $after, first: $first) {
  edges { cursor node { contactId kind changedFields occurredAt } } pageInfo { hasNextPage endCursor } } }`;

describe('contactChanges (API.md, Change feed)', () => {
  it('lists every create, update, delete, restore and merge, oldest first, resumable from a cursor', async () => {
    const ws = await t.newWorkspace();
    const a = (await create(ws, { firstName: 'A' })).contact;
    await update(ws, a.id, { lastName: 'Z', tags: ['x'] });
    await update(ws, a.id, { lastName: 'Z' }); // no change: no feed entry
    await mutateById(ws, 'deleteContact', a.id);
    await mutateById(ws, 'restoreContact', a.id);
    const b = (await create(ws, { firstName: 'B' })).contact;
    await merge(ws, a.id, [b.id]);

    const page1 = dataOf(await ws.gql(FEED, { first: 3 })).contactChanges;
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = dataOf(await ws.gql(FEED, { first: 100, after: page1.pageInfo.endCursor })).contactChanges;
    expect(page2.pageInfo.hasNextPage).toBe(false);
    const all = [...page1.edges, ...page2.edges].map((e: { node: { contactId: string; kind: string; changedFields: string[] } }) => [
      e.node.contactId === a.id ? 'a' : 'b', e.node.kind, e.node.changedFields,
    ]);
    expect(all).toEqual([
      ['a', 'CREATED', ['firstName']],
      ['a', 'UPDATED', ['lastName', 'tags']],
      ['a', 'DELETED', ['deletedAt']],
      ['a', 'RESTORED', ['deletedAt']],
      ['b', 'CREATED', ['firstName']],
      ['b', 'MERGED', ['deletedAt']],
      ['a', 'MERGED', []],
    ]);
    // Nothing new: the same cursor comes back, so the client keeps its place.
    const idle = dataOf(await ws.gql(FEED, { after: page2.pageInfo.endCursor })).contactChanges;
    expect(idle).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: page2.pageInfo.endCursor } });
  });

  it('names email and phone when the primary address or number changes, not when only the list does', async () => {
    const ws = await t.newWorkspace();
    const a = (await create(ws, { email: 'a@x.test', phone: '+14155552671' })).contact;
    await update(ws, a.id, { emails: [{ address: 'a@x.test' }, { address: 'b@x.test' }] });
    await update(ws, a.id, { email: 'b@x.test' });
    await update(ws, a.id, { phone: null });
    const changes = dataOf(await ws.gql(FEED, { first: 10 })).contactChanges.edges.map(
      (e: { node: { kind: string; changedFields: string[] } }) => [e.node.kind, e.node.changedFields],
    );
    expect(changes).toEqual([
      ['CREATED', ['email', 'emails', 'phone', 'phones']],
      ['UPDATED', ['emails']],
      ['UPDATED', ['email', 'emails']],
      ['UPDATED', ['phone', 'phones']],
    ]);
  });

  it("cursors tell nothing of other workspaces: they count this workspace's changes only", async () => {
    const busy = await t.newWorkspace();
    const [one, two] = [await t.newWorkspace(), await t.newWorkspace()];
    await create(one, { firstName: 'One' });
    for (let i = 0; i < 5; i++) await create(busy, { firstName: `Busy ${i}` });
    await create(two, { firstName: 'Two' });
    const cursorOf = async (ws: typeof one) => dataOf(await ws.gql(FEED, {})).contactChanges.pageInfo.endCursor;
    // The same place in two feeds, whatever was written elsewhere in between.
    expect(await cursorOf(one)).toBe(await cursorOf(two));
  });

  it('refuses an unsigned cursor holding a global feed id: probing with it would count the other workspaces\' changes', async () => {
    const ws = await t.newWorkspace();
    for (const name of ['A', 'B', 'C']) await create(ws, { firstName: name });
    const entries = await t.store.prisma.contactChange.findMany({ where: { workspaceId: ws.id }, orderBy: { id: 'asc' } });
    expect(entries.map((e) => e.position)).toEqual([1n, 2n, 3n]);
    for (const unsigned of [`change:${entries[0]!.id}`, 'feed:1']) {
      const response = await ws.gql(FEED, { after: Buffer.from(unsigned).toString('base64') });
      expect(response.status).toBe(200);
      expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it("shows no other workspace's changes and rejects a bad cursor or page size", async () => {
    const ws = await t.newWorkspace();
    const other = await t.newWorkspace();
    await create(other, { firstName: 'Other' });
    expect(dataOf(await ws.gql(FEED, {})).contactChanges.edges).toEqual([]);
    for (const variables of [{ after: 'bogus' }, { first: 101 }, { first: -1 }]) {
      const response = await ws.gql(FEED, variables);
      expect(response.status).toBeLessThan(500);
      expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});
