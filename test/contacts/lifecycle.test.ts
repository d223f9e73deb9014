import { describe, expect, it } from 'vitest';
import { dataOf, useTestWorkspace } from '../support/gateway.js';
import { changeTags, create, createCompany, getContact, mutateById, settings, upsert } from '../support/contacts.js';

const { t, ws } = useTestWorkspace();

describe('deleteContact and restoreContact (API.md, Other mutations)', () => {
  it('soft-deletes: deletedAt is set, version goes up, the contact is hidden, and restore brings it back', async () => {
    const c = (await create(ws, { firstName: 'Del', externalRefs: [{ namespace: 'crm', externalId: 'D1' }] })).contact;
    const deleted = await mutateById(ws, 'deleteContact', c.id);
    expect(deleted.userErrors).toEqual([]);
    expect(deleted.contact.deletedAt).not.toBeNull();
    expect(deleted.contact.version).toBe(2);
    expect(await getContact(ws, c.id)).toBeNull();
    expect(dataOf(await ws.gql('{ contactByExternalRef(namespace: "crm", externalId: "D1") { id } }')).contactByExternalRef).toBeNull();

    const restored = await mutateById(ws, 'restoreContact', c.id);
    expect(restored.userErrors).toEqual([]);
    expect(restored.contact).toMatchObject({ deletedAt: null, version: 3, externalRefs: [{ namespace: 'crm', externalId: 'D1' }] });
    expect(dataOf(await ws.gql('{ contactByExternalRef(namespace: "crm", externalId: "D1") { id } }')).contactByExternalRef).toEqual({ id: c.id });
  });

  it('restore answers TAKEN and writes nothing when a live contact now holds one of its refs', async () => {
    const c = (await create(ws, { externalRefs: [{ namespace: 'crm', externalId: 'D2' }] })).contact;
    await mutateById(ws, 'deleteContact', c.id);
    const claimer = await upsert(ws, { externalRef: { namespace: 'crm', externalId: 'D2' } });
    expect(claimer.created).toBe(true);
    const restored = await mutateById(ws, 'restoreContact', c.id);
    expect(restored).toEqual({ contact: null, userErrors: [expect.objectContaining({ code: 'TAKEN', field: ['id'] })] });
    const stored = await t.store.prisma.contact.findUniqueOrThrow({ where: { id: Buffer.from(c.id, 'base64').toString().split(':')[1] } });
    expect(stored.deletedAt).not.toBeNull();
    expect(stored.version).toBe(2);
  });

  it('NOT_FOUND when deleting twice or an unknown id', async () => {
    const c = (await create(ws, {})).contact;
    await mutateById(ws, 'deleteContact', c.id);
    expect((await mutateById(ws, 'deleteContact', c.id)).userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND', field: ['id'] })]);
    expect((await mutateById(ws, 'restoreContact', 'junk')).userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND', field: ['id'] })]);
  });
});

describe('addContactTags and removeContactTags (API.md, Rules)', () => {
  it('add keeps existing tags, remove keeps the others; both sort and dedupe, and bump the version', async () => {
    const c = (await create(ws, { tags: ['b'] })).contact;
    const added = (await changeTags(ws, 'addContactTags', c.id, [' a ', 'b', '', 'c'])).contact;
    expect(added).toMatchObject({ tags: ['a', 'b', 'c'], version: 2 });
    const removed = (await changeTags(ws, 'removeContactTags', c.id, ['b', 'zz'])).contact;
    expect(removed).toMatchObject({ tags: ['a', 'c'], version: 3 });
    const noop = (await changeTags(ws, 'removeContactTags', c.id, ['zz'])).contact;
    expect(noop.version).toBe(3);
  });

  it('names a too-long tag by its index in the list as sent, not in the sorted list, and writes nothing', async () => {
    const c = (await create(ws, { tags: ['keep'] })).contact;
    const result = await changeTags(ws, 'addContactTags', c.id, ['zzz', 'a'.repeat(121)]);
    expect(result.contact).toBeNull();
    expect(result.userErrors).toEqual([expect.objectContaining({ code: 'TOO_LONG', field: ['tags', '1'] })]);
    expect(await getContact(ws, c.id)).toMatchObject({ tags: ['keep'], version: 1 });
  });
});

describe('upsertContacts (API.md, Other mutations)', () => {
  it('returns one result per input, in order, with paths under inputs.<index>, and bad inputs do not stop the others', async () => {
    const response = await ws.gql(
      `mutation($inputs: [UpsertContactInput!]!) { upsertContacts(inputs: $inputs) {
        results { created matchedBy contact { email } userErrors { code field } } userErrors { code field } } }`,
      { inputs: [{ email: 'bulk1@x.test' }, { email: 'not-an-email' }, { email: 'BULK1@x.test', firstName: 'Again' }] },
    );
    const payload = dataOf(response).upsertContacts;
    expect(payload.userErrors).toEqual([]);
    expect(payload.results).toEqual([
      { created: true, matchedBy: null, contact: { email: 'bulk1@x.test' }, userErrors: [] },
      { created: false, matchedBy: null, contact: null, userErrors: [{ code: 'INVALID_EMAIL', field: ['inputs', '1', 'email'] }] },
      { created: false, matchedBy: 'EMAIL', contact: { email: 'bulk1@x.test' }, userErrors: [] },
    ]);
  });

  it('refuses more than 100 inputs with LIMIT_EXCEEDED and writes nothing', async () => {
    const other = await t.newWorkspace();
    const inputs = Array.from({ length: 101 }, (_, i) => ({ email: `n${i}@x.test` }));
    const payload = dataOf(await other.gql('mutation($inputs: [UpsertContactInput!]!) { upsertContacts(inputs: $inputs) { results { created } userErrors { code field } } }', { inputs })).upsertContacts;
    expect(payload).toEqual({ results: [], userErrors: [{ code: 'LIMIT_EXCEEDED', field: ['inputs'] }] });
    expect(await t.store.prisma.contact.count({ where: { workspaceId: other.id } })).toBe(0);
  });
});

describe('companies and workspace settings (API.md, Other mutations)', () => {
  it('createCompany and updateCompany validate and normalize', async () => {
    const id = await createCompany(ws, ' Initech ', 'https://www.Initech.com/about');
    const company = dataOf(await ws.gql('query($id: ID!) { company(id: $id) { name domain } }', { id })).company;
    expect(company).toEqual({ name: 'Initech', domain: 'initech.com' });
    const bad = dataOf(
      await ws.gql('mutation($id: ID!) { updateCompany(id: $id, input: { name: "", domain: "not a domain" }) { company { id } userErrors { code field } } }', { id }),
    ).updateCompany;
    expect(bad).toEqual({ company: null, userErrors: [{ code: 'INVALID', field: ['input', 'name'] }, { code: 'INVALID', field: ['input', 'domain'] }] });
    const cleared = dataOf(await ws.gql('mutation($id: ID!) { updateCompany(id: $id, input: { domain: null }) { company { name domain } userErrors { code } } }', { id })).updateCompany;
    expect(cleared).toEqual({ company: { name: 'Initech', domain: null }, userErrors: [] });
    const other = await t.newWorkspace();
    const foreign = dataOf(await other.gql('mutation($id: ID!) { updateCompany(id: $id, input: { name: "Mine" }) { userErrors { code field } } }', { id })).updateCompany;
    expect(foreign.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['id'] }]);
  });

  it('updateWorkspaceSettings sets and validates the sequence and the default country', async () => {
    const own = await t.newWorkspace('settings');
    const initial = await settings(own, {});
    expect(initial.workspace).toMatchObject({ name: 'settings', duplicateMatching: ['EMAIL', 'PHONE'], defaultCountry: null });
    expect((await settings(own, { duplicateMatching: ['PHONE', 'EMAIL'], defaultCountry: 'gb' })).workspace).toMatchObject({
      duplicateMatching: ['PHONE', 'EMAIL'],
      defaultCountry: 'GB',
    });
    expect((await settings(own, { defaultCountry: 'XX' })).userErrors).toEqual([expect.objectContaining({ code: 'INVALID', field: ['input', 'defaultCountry'] })]);
    expect((await settings(own, { defaultCountry: null, duplicateMatching: null })).workspace).toMatchObject({ duplicateMatching: ['EMAIL', 'PHONE'], defaultCountry: null });
  });

  it('keeps connections to a company a contact references', async () => {
    const id = await createCompany(ws, 'Umbrella');
    const c = (await create(ws, { connections: [{ company: { id }, jobTitle: 'CEO' }] })).contact;
    expect(c.connections).toEqual([{ company: { id, name: 'Umbrella' }, jobTitle: 'CEO', primary: true }]);
  });
});
