import { describe, expect, it } from 'vitest';
import { dataOf, useTestWorkspace } from '../support/gateway.js';
import { create, createCompany, getContact, update } from '../support/contacts.js';

const { t, ws } = useTestWorkspace();

const addresses = (c: { emails: { address: string; primary: boolean }[] }) => c.emails.map((e) => `${e.address}${e.primary ? '*' : ''}`);
const numbers = (c: { phones: { e164: string; primary: boolean }[] }) => c.phones.map((p) => `${p.e164}${p.primary ? '*' : ''}`);

let refs = 0;
async function fullContact() {
  const company = await createCompany(ws, `Acme ${++refs}`, 'acme.com');
  const made = await create(ws, {
    firstName: 'Grace',
    lastName: 'Hopper',
    emails: [{ address: 'grace@navy.test', type: 'WORK' }, { address: 'g@home.test', type: 'PERSONAL' }],
    phones: [{ number: '+1 202 555 0110', type: 'MOBILE' }],
    connections: [{ company: { id: company }, jobTitle: 'Rear Admiral' }],
    addresses: [{ city: 'Arlington', country: 'US' }],
    tags: ['navy', 'cobol'],
    primaryLanguage: 'en',
    strategy: 'Be brief.',
    linkedInUrl: 'linkedin.com/in/grace-hopper/',
    blocked: true,
    profilePictureId: 7,
    customFields: { rank: 'RADM' },
    source: 'IMPORT',
    externalRefs: [{ namespace: 'crm', externalId: `G${++refs}` }],
  });
  expect(made.userErrors).toEqual([]);
  return made.contact;
}

describe('a field left out is unchanged, a field set to null is cleared (API.md, updateContact)', () => {
  it('an empty input changes nothing, not even the version', async () => {
    const before = await fullContact();
    const after = await update(ws, before.id, {});
    expect(after).toEqual({ contact: before, userErrors: [] });
  });

  it('changes only the fields given', async () => {
    const before = await fullContact();
    const after = (await update(ws, before.id, { firstName: 'Amazing Grace' })).contact;
    expect(after).toEqual({ ...before, firstName: 'Amazing Grace', displayName: 'Amazing Grace Hopper', version: before.version + 1 });
  });

  it('clears every nullable field set to null', async () => {
    const before = await fullContact();
    const after = (
      await update(ws, before.id, {
        firstName: null, lastName: null, primaryLanguage: null, strategy: null, linkedInUrl: null, profilePictureId: null,
        customFields: null, blocked: null, emails: null, phones: null, connections: null, addresses: null, tags: null, externalRefs: null,
      })
    ).contact;
    expect(after).toMatchObject({
      firstName: null, lastName: null, primaryLanguage: null, strategy: null, linkedInUrl: null, profilePictureId: null,
      customFields: null, blocked: false, emails: [], phones: [], connections: [], addresses: [], tags: [], externalRefs: [],
      email: null, phone: null, displayName: 'Unnamed contact', version: before.version + 1, source: 'IMPORT',
    });
  });

  it('replaces a list given in full, and [] empties it like null', async () => {
    const before = await fullContact();
    const after = (await update(ws, before.id, { tags: [' b ', 'a', '', 'b'], addresses: [], phones: [{ number: '+44 20 7946 0000' }] })).contact;
    expect(after.tags).toEqual(['a', 'b']);
    expect(after.addresses).toEqual([]);
    expect(numbers(after)).toEqual(['+442079460000*']);
    expect(after.emails).toEqual(before.emails);
  });

  it('bumps the version by exactly one per write that changes the contact', async () => {
    const before = await fullContact();
    expect(before.version).toBe(1);
    const v2 = (await update(ws, before.id, { strategy: 'x', tags: ['z'], lastName: 'H' })).contact;
    expect(v2.version).toBe(2);
    const same = (await update(ws, before.id, { strategy: 'x' })).contact;
    expect(same.version).toBe(2);
  });
});

describe('email and phone set the primary entry (API.md, Rules shared by create, upsert and update)', () => {
  it('email alone on create becomes emails[0]', async () => {
    const c = (await create(ws, { email: ' Ada@Example.TEST ' })).contact;
    expect(c.email).toBe('ada@example.test');
    expect(addresses(c)).toEqual(['ada@example.test*']);
  });

  it('only emails given: its first entry is primary', async () => {
    const c = (await create(ws, { emails: [{ address: 'one@x.test' }, { address: 'two@x.test' }] })).contact;
    expect(addresses(c)).toEqual(['one@x.test*', 'two@x.test']);
  });

  it('both given: email is primary and joins the list when the list lacks it', async () => {
    const c = (await create(ws, { email: 'p@x.test', emails: [{ address: 'one@x.test' }, { address: 'two@x.test', type: 'WORK' }] })).contact;
    expect(addresses(c)).toEqual(['p@x.test*', 'one@x.test', 'two@x.test']);
    const d = (await create(ws, { email: 'two@x.test', emails: [{ address: 'one@x.test' }, { address: 'two@x.test', type: 'WORK' }] })).contact;
    expect(d.emails).toEqual([
      { address: 'two@x.test', type: 'WORK', primary: true },
      { address: 'one@x.test', type: 'OTHER', primary: false },
    ]);
  });

  it('email on update without emails adds it as the primary and keeps the others', async () => {
    const c = (await create(ws, { emails: [{ address: 'one@x.test' }, { address: 'two@x.test' }] })).contact;
    expect(addresses((await update(ws, c.id, { email: 'new@x.test' })).contact)).toEqual(['new@x.test*', 'one@x.test', 'two@x.test']);
    expect(addresses((await update(ws, c.id, { email: 'two@x.test' })).contact)).toEqual(['two@x.test*', 'new@x.test', 'one@x.test']);
  });

  it('email: null removes the primary and the next one becomes primary', async () => {
    const c = (await create(ws, { emails: [{ address: 'one@x.test' }, { address: 'two@x.test' }] })).contact;
    const after = (await update(ws, c.id, { email: null })).contact;
    expect(addresses(after)).toEqual(['two@x.test*']);
    expect(after.email).toBe('two@x.test');
  });

  it('the same address or E.164 number twice is stored once', async () => {
    const c = (
      await create(ws, {
        emails: [{ address: 'a@x.test' }, { address: 'A@X.test ' }],
        phones: [{ number: '+1 (202) 555-0120' }, { number: '+12025550120' }, { number: '+1 202 555 0121' }],
      })
    ).contact;
    expect(addresses(c)).toEqual(['a@x.test*']);
    expect(numbers(c)).toEqual(['+12025550120*', '+12025550121']);
    expect(c.phones[0].number).toBe('+1 (202) 555-0120');
  });

  it('phone and phones follow the same rules', async () => {
    const c = (await create(ws, { phone: '+1 202 555 0130', phones: [{ number: '+12025550131', type: 'WORK' }] })).contact;
    expect(numbers(c)).toEqual(['+12025550130*', '+12025550131']);
    expect(c.phone).toBe('+12025550130');
    const after = (await update(ws, c.id, { phone: null })).contact;
    expect(numbers(after)).toEqual(['+12025550131*']);
  });
});

describe('normalization (API.md, Rules shared by create, upsert and update)', () => {
  it('stores phones with country, e164 and the number as sent', async () => {
    const c = (await create(ws, { phones: [{ number: '+44 20 7946 0958', type: 'WORK' }] })).contact;
    expect(c.phones).toEqual([{ number: '+44 20 7946 0958', e164: '+442079460958', type: 'WORK', primary: true, country: 'GB' }]);
  });

  it("reads numbers without + in the workspace's default country", async () => {
    const local = await t.newWorkspace();
    const before = await create(local, { phone: '(202) 555-0140' });
    expect(before.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_PHONE', field: ['input', 'phone'] })]);
    await local.gql('mutation { updateWorkspaceSettings(input: { defaultCountry: "US" }) { userErrors { code } } }');
    const after = await create(local, { phone: '(202) 555-0140' });
    expect(after.contact.phone).toBe('+12025550140');
  });

  it('canonicalizes LinkedIn URLs', async () => {
    for (const url of [
      'https://www.linkedin.com/in/ada-l',
      'http://linkedin.com/in/ada-l/',
      'www.linkedin.com/in/ada-l?trk=profile',
      'https://uk.linkedin.com/in/ada-l#about',
    ]) {
      expect((await create(ws, { linkedInUrl: url })).contact.linkedInUrl).toBe('https://www.linkedin.com/in/ada-l');
    }
  });

  it('lowercases the language and the ref namespace, and sorts tags', async () => {
    const c = (await create(ws, { primaryLanguage: 'FR', tags: ['zeta', ' alpha', 'Beta'], externalRefs: [{ namespace: 'HubSpot', externalId: 'Id-1' }] })).contact;
    expect(c).toMatchObject({ primaryLanguage: 'fr', tags: ['Beta', 'alpha', 'zeta'], externalRefs: [{ namespace: 'hubspot', externalId: 'Id-1' }] });
  });

  it('connections: a single connection is primary; the primary is listed first', async () => {
    const a = await createCompany(ws, 'A');
    const b = await createCompany(ws, 'B');
    const single = (await create(ws, { connections: [{ company: { id: a } }] })).contact;
    expect(single.connections).toEqual([{ company: { id: a, name: 'A' }, jobTitle: null, primary: true }]);
    const two = (await create(ws, { connections: [{ company: { id: a }, primary: false }, { company: { id: b }, primary: true, jobTitle: 'CTO' }] })).contact;
    expect(two.connections.map((c: { company: { name: string }; primary: boolean }) => [c.company.name, c.primary])).toEqual([['B', true], ['A', false]]);
  });

  it('displayName falls back to email, then phone, then "Unnamed contact"', async () => {
    expect((await create(ws, { lastName: 'Solo' })).contact.displayName).toBe('Solo');
    expect((await create(ws, { email: 'd@x.test', phone: '+12025550150' })).contact.displayName).toBe('d@x.test');
    expect((await create(ws, { phone: '+1 202 555 0150' })).contact.displayName).toBe('+12025550150');
    expect((await create(ws, {})).contact.displayName).toBe('Unnamed contact');
  });
});

describe('the payload of updateContact', () => {
  it('answers every field as a read of the contact afterwards does (its columns come from the write itself)', async () => {
    const made = await create(ws, { firstName: 'Ada', customFields: { tier: 'gold', n: 1 }, tags: ['b', 'a'], profilePictureId: 7 });
    const columns = 'id firstName lastName tags primaryLanguage strategy linkedInUrl blocked profilePictureId customFields source version createdAt updatedAt deletedAt';
    const response = await ws.gql(`mutation($id: ID!) { updateContact(id: $id, input: { lastName: "Lovelace", strategy: "Write first." }) { contact { ${columns} } userErrors { code } } }`, { id: made.contact.id });
    const payload = dataOf(response).updateContact;
    expect(payload.userErrors).toEqual([]);
    expect(payload.contact.lastName).toBe('Lovelace');
    expect(payload.contact.version).toBe(made.contact.version + 1);
    const read = dataOf(await ws.gql(`query($id: ID!) { contact(id: $id) { ${columns} } }`, { id: made.contact.id })).contact;
    expect(payload.contact).toEqual(read);
  });
});

describe('optimistic concurrency and ids (API.md, updateContact)', () => {
  it('VERSION_CONFLICT when expectedVersion is not the stored version, writing nothing', async () => {
    const c = (await create(ws, { firstName: 'V' })).contact;
    const stale = await update(ws, c.id, { firstName: 'W' }, 2);
    expect(stale).toEqual({ contact: null, userErrors: [expect.objectContaining({ code: 'VERSION_CONFLICT', field: ['expectedVersion'] })] });
    expect(await getContact(ws, c.id)).toEqual(c);
    const fresh = await update(ws, c.id, { firstName: 'W' }, 1);
    expect(fresh.contact).toMatchObject({ firstName: 'W', version: 2 });
  });

  it('NOT_FOUND for an unknown, malformed, deleted or foreign id', async () => {
    const other = await t.newWorkspace();
    const foreign = (await create(other, { firstName: 'F' })).contact;
    const deleted = (await create(ws, { firstName: 'D' })).contact;
    await ws.gql('mutation($id: ID!) { deleteContact(id: $id) { userErrors { code } } }', { id: deleted.id });
    const unknown = Buffer.from('Contact:00000000-0000-7000-8000-000000000000').toString('base64');
    for (const id of [unknown, 'garbage', foreign.id, deleted.id]) {
      const result = await update(ws, id, { firstName: 'X' });
      expect(result).toEqual({ contact: null, userErrors: [expect.objectContaining({ code: 'NOT_FOUND', field: ['id'] })] });
    }
    expect(await getContact(other, foreign.id)).toEqual(foreign);
  });

  it('TAKEN when another live contact holds a ref, writing nothing', async () => {
    const holder = (await create(ws, { externalRefs: [{ namespace: 'crm', externalId: 'HELD' }] })).contact;
    const c = (await create(ws, { firstName: 'C' })).contact;
    const result = await update(ws, c.id, { firstName: 'Changed', externalRefs: [{ namespace: 'crm', externalId: 'free' }, { namespace: 'CRM', externalId: 'HELD' }] });
    expect(result).toEqual({ contact: null, userErrors: [expect.objectContaining({ code: 'TAKEN', field: ['input', 'externalRefs', '1'] })] });
    expect(await getContact(ws, c.id)).toEqual(c);
    expect(await update(ws, holder.id, { externalRefs: [{ namespace: 'crm', externalId: 'HELD' }] })).toMatchObject({ userErrors: [] });
  });
});
