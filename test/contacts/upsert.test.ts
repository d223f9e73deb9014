import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { contactCount, create, mutateById, settings, update, upsert } from '../support/contacts.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t.close());

describe('upsertContact matches by external ref (API.md, upsertContact)', () => {
  it('creates a contact holding a new ref, then updates that contact', async () => {
    const ws = await t.newWorkspace();
    const first = await upsert(ws, { externalRef: { namespace: 'Salesforce', externalId: '003A' }, firstName: 'Ada' });
    expect(first).toMatchObject({ created: true, matchedBy: null, skippedFields: [], userErrors: [] });
    expect(first.contact).toMatchObject({ firstName: 'Ada', externalRefs: [{ namespace: 'salesforce', externalId: '003A' }], version: 1, source: 'API' });
    const second = await upsert(ws, { externalRef: { namespace: 'SALESFORCE', externalId: '003A' }, lastName: 'Lovelace' });
    expect(second).toMatchObject({ created: false, matchedBy: 'EXTERNAL_REF', userErrors: [] });
    expect(second.contact).toMatchObject({ id: first.contact.id, firstName: 'Ada', lastName: 'Lovelace', version: 2 });
  });

  it('treats the external id case-sensitively', async () => {
    const ws = await t.newWorkspace();
    const a = await upsert(ws, { externalRef: { namespace: 'hubspot', externalId: 'abc' } });
    const b = await upsert(ws, { externalRef: { namespace: 'hubspot', externalId: 'ABC' } });
    expect(b.created).toBe(true);
    expect(b.contact.id).not.toBe(a.contact.id);
  });

  it('creates a new contact for a ref even when its email matches another contact', async () => {
    const ws = await t.newWorkspace();
    const byEmail = await upsert(ws, { email: 'same@x.test' });
    const byRef = await upsert(ws, { externalRef: { namespace: 'crm', externalId: '1' }, email: 'same@x.test' });
    expect(byRef.created).toBe(true);
    expect(byRef.contact.id).not.toBe(byEmail.contact.id);
  });

  it('moves a ref held only by a deleted contact to the contact that claims it', async () => {
    const ws = await t.newWorkspace();
    const old = await upsert(ws, { externalRef: { namespace: 'crm', externalId: 'R1' }, firstName: 'Old' });
    await mutateById(ws, 'deleteContact', old.contact.id);
    const claimed = await upsert(ws, { externalRef: { namespace: 'crm', externalId: 'R1' }, firstName: 'New' });
    expect(claimed.created).toBe(true);
    expect(claimed.contact.externalRefs).toEqual([{ namespace: 'crm', externalId: 'R1' }]);
  });
});

describe('upsertContact matches by the duplicate sequence (API.md, upsertContact)', () => {
  it('matches any of a contact\'s emails, case-insensitively', async () => {
    const ws = await t.newWorkspace();
    const made = await upsert(ws, { emails: [{ address: 'first@x.test' }, { address: 'Second@X.test' }] });
    const again = await upsert(ws, { email: '  SECOND@x.TEST ', firstName: 'Sam' });
    expect(again).toMatchObject({ created: false, matchedBy: 'EMAIL' });
    expect(again.contact.id).toBe(made.contact.id);
    // email sets the primary; the old primary stays in the list.
    expect(again.contact.emails.map((e: { address: string }) => e.address)).toEqual(['second@x.test', 'first@x.test']);
  });

  it('matches any of a contact\'s phones on E.164, whatever the format', async () => {
    const ws = await t.newWorkspace();
    const made = await upsert(ws, { phones: [{ number: '+1 202-555-0100' }, { number: '+44 20 7946 0958' }] });
    const again = await upsert(ws, { phone: '+442079460958' });
    expect(again).toMatchObject({ created: false, matchedBy: 'PHONE' });
    expect(again.contact.id).toBe(made.contact.id);
  });

  it('creates when nothing matches, and when there is no match key at all', async () => {
    const ws = await t.newWorkspace();
    expect((await upsert(ws, { email: 'a@x.test' })).created).toBe(true);
    expect((await upsert(ws, { firstName: 'Nobody' })).created).toBe(true);
    expect((await upsert(ws, { firstName: 'Nobody' })).created).toBe(true);
  });

  it('never matches a deleted contact', async () => {
    const ws = await t.newWorkspace();
    const gone = await upsert(ws, { email: 'gone@x.test' });
    await mutateById(ws, 'deleteContact', gone.contact.id);
    const fresh = await upsert(ws, { email: 'gone@x.test' });
    expect(fresh.created).toBe(true);
    expect(fresh.contact.id).not.toBe(gone.contact.id);
  });

  it('when several live contacts hold the value, the oldest is updated, whichever of its emails or phones it is', async () => {
    const ws = await t.newWorkspace();
    // createContact never matches: three contacts share the address, the oldest as its second email.
    const oldest = (await create(ws, { email: 'first@x.test', emails: [{ address: 'first@x.test' }, { address: 'shared@x.test' }], phones: [{ number: '+12025550181' }] })).contact;
    const middle = (await create(ws, { email: 'shared@x.test', phones: [{ number: '+12025550181' }] })).contact;
    const newest = (await create(ws, { email: 'SHARED@x.test', phone: '+1 202 555 0181' })).contact;
    expect(new Set([oldest.id, middle.id, newest.id]).size).toBe(3);
    const byEmail = await upsert(ws, { email: 'Shared@X.test', firstName: 'Matched' });
    expect(byEmail).toMatchObject({ created: false, matchedBy: 'EMAIL', userErrors: [] });
    expect(byEmail.contact.id).toBe(oldest.id);
    const byPhone = await upsert(ws, { phone: '+1 (202) 555-0181', lastName: 'ByPhone', matchBy: ['PHONE'] });
    expect(byPhone).toMatchObject({ created: false, matchedBy: 'PHONE', userErrors: [] });
    expect(byPhone.contact.id).toBe(oldest.id);
    // Deleted, the oldest no longer matches: the next oldest does.
    await mutateById(ws, 'deleteContact', oldest.id);
    expect((await upsert(ws, { email: 'shared@x.test', firstName: 'Next' })).contact.id).toBe(middle.id);
  });

  it('matchBy overrides the sequence for one call, and [] always creates', async () => {
    const ws = await t.newWorkspace();
    const made = await upsert(ws, { email: 'm@x.test', phone: '+12025550101' });
    const byPhoneOnly = await upsert(ws, { email: 'other@x.test', phone: '+12025550101', matchBy: ['PHONE'] });
    expect(byPhoneOnly).toMatchObject({ created: false, matchedBy: 'PHONE' });
    expect(byPhoneOnly.contact.id).toBe(made.contact.id);
    const always = await upsert(ws, { email: 'm@x.test', matchBy: [] });
    expect(always.created).toBe(true);
  });

  it("follows the workspace's duplicate sequence", async () => {
    const ws = await t.newWorkspace();
    expect((await settings(ws, { duplicateMatching: ['PHONE'] })).userErrors).toEqual([]);
    await upsert(ws, { email: 's@x.test' });
    expect((await upsert(ws, { email: 's@x.test' })).created).toBe(true);
  });
});

describe('upsertContact when email and phone match different contacts (API.md, upsertContact)', () => {
  async function twoContacts() {
    const ws = await t.newWorkspace();
    const byEmail = await upsert(ws, { email: 'e@x.test', firstName: 'E' });
    const byPhone = await upsert(ws, { phone: '+12025550102', firstName: 'P' });
    return { ws, byEmail: byEmail.contact, byPhone: byPhone.contact };
  }

  it('updates the contact of the first key, skips the other key\'s field, and says so', async () => {
    const { ws, byEmail, byPhone } = await twoContacts();
    const result = await upsert(ws, { email: 'e@x.test', phone: '+1 202 555 0102', lastName: 'Both' });
    expect(result).toMatchObject({ created: false, matchedBy: 'EMAIL', skippedFields: ['phone'], userErrors: [] });
    expect(result.contact.id).toBe(byEmail.id);
    expect(result.contact.lastName).toBe('Both');
    expect(result.contact.phones).toEqual([]);
    const untouched = await upsert(ws, { phone: '+12025550102', matchBy: ['PHONE'] });
    expect(untouched.contact.id).toBe(byPhone.id);
  });

  it('names the list field when the value came in a list', async () => {
    const { ws } = await twoContacts();
    const result = await upsert(ws, { emails: [{ address: 'e@x.test' }], phones: [{ number: '+12025550102' }, { number: '+12025550199' }] });
    expect(result.skippedFields).toEqual(['phones']);
    expect(result.contact.phones).toEqual([]);
  });

  it('follows the sequence order: PHONE first picks the phone contact', async () => {
    const { ws, byPhone } = await twoContacts();
    const result = await upsert(ws, { email: 'e@x.test', phone: '+12025550102', matchBy: ['PHONE', 'EMAIL'] });
    expect(result).toMatchObject({ matchedBy: 'PHONE', skippedFields: ['email'] });
    expect(result.contact.id).toBe(byPhone.id);
  });

  it('with onAmbiguous: REJECT returns AMBIGUOUS_MATCH and writes nothing', async () => {
    const { ws, byEmail } = await twoContacts();
    const before = await contactCount(t.store.prisma, ws.id);
    const result = await upsert(ws, { email: 'e@x.test', phone: '+12025550102', lastName: 'No', onAmbiguous: 'REJECT' });
    expect(result.contact).toBeNull();
    expect(result.userErrors).toEqual([expect.objectContaining({ code: 'AMBIGUOUS_MATCH', field: ['input'] })]);
    expect(await contactCount(t.store.prisma, ws.id)).toBe(before);
    const stored = await update(ws, byEmail.id, {});
    expect(stored.contact).toMatchObject({ lastName: null, version: 1 });
  });
});

describe('upsertContact keeps the version honest (API.md, updateContact)', () => {
  it('does not bump the version when nothing changes', async () => {
    const ws = await t.newWorkspace();
    const made = await upsert(ws, { email: 'v@x.test', firstName: 'V' });
    const same = await upsert(ws, { email: 'v@x.test', firstName: 'V' });
    expect(same.contact.version).toBe(made.contact.version);
  });
});

describe('createContact always creates (API.md, Other mutations)', () => {
  it('creates a second contact with the same email, and TAKEN for a held ref', async () => {
    const ws = await t.newWorkspace();
    const a = await create(ws, { email: 'dup@x.test', externalRef: { namespace: 'crm', externalId: 'X' } });
    const b = await create(ws, { email: 'dup@x.test' });
    expect(b.contact.id).not.toBe(a.contact.id);
    const before = await contactCount(t.store.prisma, ws.id);
    const taken = await create(ws, { firstName: 'T', externalRef: { namespace: 'CRM', externalId: 'X' } });
    expect(taken).toEqual({ contact: null, userErrors: [expect.objectContaining({ code: 'TAKEN', field: ['input', 'externalRef'] })] });
    expect(await contactCount(t.store.prisma, ws.id)).toBe(before);
  });
});
