import { describe, expect, it } from 'vitest';
import { dataOf, onPostgres, type TestWorkspace, useTestWorkspace } from '../support/gateway.js';
import { changeTags, createCompany } from '../support/contacts.js';

const { t, ws } = useTestWorkspace();

const SEED = `id version gender website timeZone dateOfBirth doNotDisturb assignedTo lastActivityAt
  connections { company { id name } primary }
  externalRefs { namespace externalId remoteCreatedAt remoteUpdatedAt remoteDeleted }`;
const ERRORS = 'userErrors { code field }';

async function create(input: object) {
  return dataOf(await ws.gql(`mutation($input: CreateContactInput!) { createContact(input: $input) { contact { ${SEED} } ${ERRORS} } }`, { input })).createContact;
}
async function upsert(input: object, on: TestWorkspace = ws) {
  return dataOf(await on.gql(`mutation($input: UpsertContactInput!) { upsertContact(input: $input) { contact { ${SEED} } created ${ERRORS} } }`, { input })).upsertContact;
}
async function update(id: string, input: object) {
  return dataOf(await ws.gql(`mutation($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { contact { ${SEED} } ${ERRORS} } }`, { id, input })).updateContact;
}
async function read(id: string) {
  return dataOf(await ws.gql(`query($id: ID!) { contact(id: $id) { ${SEED} } }`, { id })).contact;
}
async function lastChange(on: TestWorkspace = ws): Promise<string[]> {
  let after: string | null = null;
  let fields: string[] = [];
  for (;;) {
    const feed: any = dataOf(await on.gql('query($after: String) { contactChanges(first: 100, after: $after) { edges { node { changedFields } } pageInfo { hasNextPage endCursor } } }', { after })).contactChanges;
    if (feed.edges.length > 0) fields = feed.edges[feed.edges.length - 1].node.changedFields;
    if (!feed.pageInfo.hasNextPage) return fields;
    after = feed.pageInfo.endCursor;
  }
}

const FULL = {
  gender: '  non-binary ',
  website: 'https://example.com/about',
  timeZone: 'america/chihuahua',
  dateOfBirth: '1990-02-28',
  doNotDisturb: ['SMS', 'CALL', 'SMS', 'EMAIL'],
  assignedTo: 'user-42',
  lastActivityAt: '2026-01-02T03:04:05.678Z',
};
const STORED = {
  gender: 'non-binary',
  website: 'https://example.com/about',
  timeZone: 'America/Chihuahua',
  dateOfBirth: '1990-02-28',
  doNotDisturb: ['CALL', 'EMAIL', 'SMS'],
  assignedTo: 'user-42',
  lastActivityAt: '2026-01-02T03:04:05.678Z',
};

describe('seed fields round trip', () => {
  it('createContact stores them normalized, and a read shows the same', async () => {
    const made = await create(FULL);
    expect(made.userErrors).toEqual([]);
    expect(made.contact).toMatchObject(STORED);
    expect(await read(made.contact.id)).toMatchObject(STORED);
  });

  it('upsertContact creates with them, and resending them changes nothing', async () => {
    const first = await upsert({ ...FULL, email: 'seed-upsert@example.test' });
    expect(first.created).toBe(true);
    expect(first.contact).toMatchObject(STORED);
    const again = await upsert({ ...FULL, email: 'seed-upsert@example.test' });
    expect(again.created).toBe(false);
    expect(again.contact.version).toBe(first.contact.version);
  });

  it('defaults: doNotDisturb is [] and the rest null', async () => {
    const made = await create({ firstName: 'Plain' });
    expect(made.contact).toMatchObject({ gender: null, website: null, timeZone: null, dateOfBirth: null, doNotDisturb: [], assignedTo: null, lastActivityAt: null });
  });

  it('updateContact: a field left out is unchanged, null clears, blank text clears, doNotDisturb null is []', async () => {
    const { contact } = await create(FULL);
    const kept = await update(contact.id, { gender: 'female' });
    expect(kept.contact).toMatchObject({ ...STORED, gender: 'female' });
    const cleared = await update(contact.id, { website: null, timeZone: '  ', dateOfBirth: null, doNotDisturb: null, assignedTo: '', lastActivityAt: null });
    expect(cleared.userErrors).toEqual([]);
    expect(cleared.contact).toMatchObject({ gender: 'female', website: null, timeZone: null, dateOfBirth: null, doNotDisturb: [], assignedTo: null, lastActivityAt: null });
  });

  it('the change feed names each changed field', async () => {
    const { contact } = await create({ firstName: 'Feed' });
    await update(contact.id, { timeZone: 'Europe/Paris', doNotDisturb: ['WHATSAPP'] });
    expect((await lastChange()).sort()).toEqual(['doNotDisturb', 'timeZone']);
    await update(contact.id, { dateOfBirth: '2000-01-01', lastActivityAt: '2026-03-01T00:00:00Z', gender: 'x', website: 'http://a.test', assignedTo: 'u' });
    expect((await lastChange()).sort()).toEqual(['assignedTo', 'dateOfBirth', 'gender', 'lastActivityAt', 'website']);
    const same = await update(contact.id, { timeZone: 'EUROPE/PARIS', doNotDisturb: ['WHATSAPP', 'WHATSAPP'] });
    expect(same.contact.version).toBe(3);
  });
});

describe('seed field rules', () => {
  it.each([
    [{ gender: 'x'.repeat(31) }, 'TOO_LONG', 'gender'],
    [{ assignedTo: 'x'.repeat(256) }, 'TOO_LONG', 'assignedTo'],
    [{ website: 'example.com' }, 'INVALID_URL', 'website'],
    [{ website: 'ftp://example.com' }, 'INVALID_URL', 'website'],
    [{ website: `https://example.com/${'a'.repeat(2030)}` }, 'INVALID_URL', 'website'],
    [{ timeZone: 'Mars/Olympus' }, 'INVALID_TIME_ZONE', 'timeZone'],
    [{ dateOfBirth: '2999-01-01' }, 'INVALID_DATE', 'dateOfBirth'],
  ])('%j is %s at ["input", "%s"] on create, upsert and update, writing nothing', async (input, code, field) => {
    const made = await create(input);
    expect(made).toEqual({ contact: null, userErrors: [{ code, field: ['input', field] }] });
    const upserted = await upsert({ ...input, email: 'rules@example.test' });
    expect(upserted.userErrors).toEqual([{ code, field: ['input', field] }]);
    const { contact } = await create({ firstName: 'Target' });
    expect((await update(contact.id, input)).userErrors).toEqual([{ code, field: ['input', field] }]);
  });

  it('the bulk upsert names the entry', async () => {
    const response = await ws.gql('mutation($inputs: [UpsertContactInput!]!) { upsertContacts(inputs: $inputs) { results { userErrors { code field } } } }', {
      inputs: [{ firstName: 'Ok' }, { timeZone: 'nowhere' }],
    });
    const results = dataOf(response).upsertContacts.results;
    expect(results[1].userErrors).toEqual([{ code: 'INVALID_TIME_ZONE', field: ['inputs', '1', 'timeZone'] }]);
  });

  it('UTC is a time zone; a malformed date is a variable error', async () => {
    expect((await create({ timeZone: 'utc' })).contact.timeZone).toBe('UTC');
    const response = await ws.gql('mutation($input: CreateContactInput!) { createContact(input: $input) { contact { id } } }', { input: { dateOfBirth: '1990-02-30' } });
    expect(response.body.errors?.length).toBeGreaterThan(0);
    expect(response.body.data).toBeUndefined();
  });
});

describe('filters', () => {
  it('assignedTo (exact) and doNotDisturb (has the channel)', async () => {
    const other = await t.newWorkspace();
    const q = `query($f: ContactFilter) { contacts(filter: $f) { edges { node { id } } } }`;
    const ids = async (f: object) => dataOf(await other.gql(q, { f })).contacts.edges.map((e: { node: { id: string } }) => e.node.id).sort();
    const a = (await upsert({ firstName: 'A', assignedTo: 'owner-1', doNotDisturb: ['SMS'], matchBy: [] }, other)).contact.id;
    const b = (await upsert({ firstName: 'B', assignedTo: 'owner-2', doNotDisturb: ['SMS', 'FACEBOOK'], matchBy: [] }, other)).contact.id;
    expect(await ids({ assignedTo: 'owner-1' })).toEqual([a]);
    expect(await ids({ doNotDisturb: 'SMS' })).toEqual([a, b].sort());
    expect(await ids({ doNotDisturb: 'FACEBOOK', assignedTo: 'owner-2' })).toEqual([b]);
    expect(await ids({ doNotDisturb: 'CALL' })).toEqual([]);
  });
});

describe('external ref remote fields', () => {
  it('are stored, default to null/false, and a change of them is a change of externalRefs', async () => {
    const other = await t.newWorkspace();
    const ref = { namespace: 'crm', externalId: 'r-1' };
    const first = await upsert({ externalRef: ref, firstName: 'Remote' }, other);
    expect(first.contact.externalRefs).toEqual([{ ...ref, remoteCreatedAt: null, remoteUpdatedAt: null, remoteDeleted: false }]);
    const stamped = await upsert({ externalRef: { ...ref, remoteCreatedAt: '2025-01-01T00:00:00.000Z', remoteDeleted: true } }, other);
    expect(stamped.contact.externalRefs).toEqual([{ ...ref, remoteCreatedAt: '2025-01-01T00:00:00.000Z', remoteUpdatedAt: null, remoteDeleted: true }]);
    expect(stamped.contact.version).toBe(2);
    expect(await lastChange(other)).toEqual(['externalRefs']);
    // Left out in the match key: kept as stored.
    const kept = await upsert({ externalRef: ref, firstName: 'Remote' }, other);
    expect(kept.contact.version).toBe(2);
    expect(kept.contact.externalRefs[0].remoteDeleted).toBe(true);
  });

  it('externalRefs of createContact and updateContact carry them', async () => {
    const made = await create({ externalRefs: [{ namespace: 'hub', externalId: 'h-1', remoteUpdatedAt: '2025-06-01T12:00:00.000Z' }] });
    expect(made.contact.externalRefs[0]).toMatchObject({ remoteUpdatedAt: '2025-06-01T12:00:00.000Z', remoteDeleted: false });
    const changed = await update(made.contact.id, { externalRefs: [{ namespace: 'hub', externalId: 'h-1', remoteDeleted: true }] });
    expect(changed.contact.externalRefs[0]).toMatchObject({ remoteUpdatedAt: null, remoteDeleted: true });
    expect(await lastChange()).toEqual(['externalRefs']);
  });
});

describe('companies by name', () => {
  const companies = async (on: TestWorkspace) =>
    dataOf(await on.gql('{ companies(first: 100) { edges { node { id name } } } }')).companies.edges.map((e: { node: object }) => e.node);

  it('finds the company case-insensitively, trimming, or creates it once', async () => {
    const other = await t.newWorkspace();
    const acme = await createCompany(other, 'Acme Corp');
    const byName = await upsert({ firstName: 'N', matchBy: [], connections: [{ company: { name: '  acme CORP ' } }] }, other);
    expect(byName.contact.connections).toEqual([{ company: { id: acme, name: 'Acme Corp' }, primary: true }]);
    const fresh = await upsert({ firstName: 'M', matchBy: [], connections: [{ company: { name: ' Initech ' } }] }, other);
    expect(fresh.contact.connections[0].company.name).toBe('Initech');
    await upsert({ firstName: 'O', matchBy: [], connections: [{ company: { name: 'INITECH' } }] }, other);
    expect((await companies(other)).map((c: { name: string }) => c.name).sort()).toEqual(['Acme Corp', 'Initech']);
  });

  it('a name that is too long, blank, or both id and name is refused at its path, creating nothing', async () => {
    const other = await t.newWorkspace();
    const long = await upsert({ connections: [{ company: { name: 'x'.repeat(201) } }] }, other);
    expect(long.userErrors).toEqual([{ code: 'TOO_LONG', field: ['input', 'connections', '0', 'company', 'name'] }]);
    const blank = await upsert({ connections: [{ company: { name: '  ' } }] }, other);
    expect(blank.userErrors).toEqual([{ code: 'INVALID', field: ['input', 'connections', '0', 'company', 'name'] }]);
    const both = await other.gql('mutation { upsertContact(input: { connections: [{ company: { id: "x", name: "y" } }] }) { contact { id } } }');
    expect(both.body.errors?.length).toBeGreaterThan(0);
    // A write that fails after naming a new company leaves no company behind.
    const failed = await upsert({ timeZone: 'nowhere', connections: [{ company: { name: 'Ghost' } }] }, other);
    expect(failed.userErrors).toEqual([{ code: 'INVALID_TIME_ZONE', field: ['input', 'timeZone'] }]);
    expect(await companies(other)).toEqual([]);
  });

  it('createCompany refuses a name the workspace has (TAKEN)', async () => {
    const other = await t.newWorkspace();
    await createCompany(other, 'Globex');
    const again = dataOf(await other.gql('mutation { createCompany(input: { name: " globex " }) { company { id } userErrors { code field } } }')).createCompany;
    expect(again).toEqual({ company: null, userErrors: [{ code: 'TAKEN', field: ['input', 'name'] }] });
  });

  it('createContact and updateContact connect by name', async () => {
    const made = await create({ connections: [{ company: { name: 'Umbrella Inc' }, jobTitle: 'CEO' }] });
    expect(made.contact.connections[0].company.name).toBe('Umbrella Inc');
    const changed = await update(made.contact.id, { connections: [{ company: { name: 'umbrella inc' } }, { company: { name: 'Hooli' }, primary: false }, ] });
    expect(changed.userErrors).toEqual([{ code: 'PRIMARY_CONNECTION', field: ['input', 'connections'] }]);
    const ok = await update(made.contact.id, { connections: [{ company: { name: 'umbrella inc' }, primary: true }, { company: { name: 'Hooli' }, primary: false }] });
    expect(ok.contact.connections.map((c: { company: { id: string } }) => c.company.id)[0]).toBe(made.contact.connections[0].company.id);
  });

  it('concurrent upserts naming one new company create it once, and none fails', async () => {
    const other = await t.newWorkspace();
    const results = await Promise.all(
      Array.from({ length: onPostgres ? 12 : 4 }, (_, i) => upsert({ firstName: `C${i}`, matchBy: [], connections: [{ company: { name: i % 2 ? 'Newco' : 'NEWCO ' } }] }, other)),
    );
    expect(results.map((r) => r.userErrors)).toEqual(results.map(() => []));
    const ids = new Set(results.map((r) => r.contact.connections[0].company.id));
    expect(ids.size).toBe(1);
    expect(await companies(other)).toHaveLength(1);
  });
});

describe('addContactTags error paths', () => {
  it('name the tag by its index as sent', async () => {
    const { contact } = await create({ firstName: 'Tags' });
    const result = await changeTags(ws, 'addContactTags', contact.id, ['zzz', 'a'.repeat(121)]);
    expect(result.userErrors.map((e: { code: string; field: string[] }) => [e.code, e.field])).toEqual([['TOO_LONG', ['tags', '1']]]);
  });
});
