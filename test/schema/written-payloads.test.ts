// A mutation payload answered from what the mutation's one statement wrote,
// or from what it read when nothing changed (src/contacts/written-contact.ts),
// must be what a read of the contact returns afterwards, field for field and byte for byte (customFields keys in
// the order the database keeps them, timestamps to the millisecond).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, startTestGateway, type TestGateway, type TestWorkspace } from '../support/gateway.js';

// Every Contact field but connections (companies are never held by a write).
const FIELDS = `id firstName lastName displayName email phone
  emails { address type primary } phones { number e164 type primary country }
  externalRefs { namespace externalId }
  addresses { type street1 street2 city state countrySubdivision country postalCode }
  tags primaryLanguage strategy linkedInUrl blocked profilePictureId customFields source version createdAt updatedAt deletedAt`;

let t: TestGateway;
let ws: TestWorkspace;
beforeAll(async () => {
  t = await startTestGateway({ apiKeyCacheMs: 600_000 });
  ws = await t.newWorkspace();
  await ws.gql('{ __typename }'); // the key is looked up once, and then cached
});
afterAll(() => t.close());

/** Runs the mutation, and returns its payload's contact, the statements it ran, and the contact as read afterwards. */
async function writeThenRead(mutation: string, field: string, variables: Record<string, unknown>) {
  let payload: any;
  const statements = await t.statements(async () => {
    payload = dataOf(await ws.gql(mutation, variables))[field];
  });
  expect(payload.userErrors).toEqual([]);
  const read = dataOf(await ws.gql(`query($id: ID!) { contact(id: $id) { ${FIELDS} } }`, { id: payload.contact.id })).contact;
  return { written: payload.contact, statements, read };
}

const UPSERT = `mutation($input: UpsertContactInput!) { upsertContact(input: $input) { contact { ${FIELDS} } userErrors { code } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { contact { ${FIELDS} } userErrors { code } } }`;

const everything = {
  externalRef: { namespace: 'HubSpot', externalId: 'hs-Ünï-1' },
  firstName: '  Ada ',
  lastName: 'Lovelace',
  emails: [{ address: 'ADA@Example.com', type: 'WORK' }, { address: 'ada@home.example', type: 'PERSONAL' }],
  phones: [{ number: '+44 20 7946 0958', type: 'WORK' }, { number: '+1 202-555-0143' }],
  addresses: [{ type: 'home', street1: '12 St James’s Sq', city: 'London', country: 'GB', countrySubdivision: 'GB-LND' }, { city: 'Paris' }],
  tags: ['zeta', 'Alpha', 'alpha', 'mid'],
  customFields: { zeta: 1.5, a: { y: [1, 'two', null], b: true }, long_key_name: 'x', é: 'accent' },
  primaryLanguage: 'EN',
  strategy: 'Warm intro',
  linkedInUrl: 'linkedin.com/in/ada-lovelace',
  blocked: true,
  profilePictureId: 42,
};

describe('payloads answered from the write', () => {
  it('upsertContact that creates: one statement, and the payload is the contact as read afterwards', async () => {
    const { written, statements, read } = await writeThenRead(UPSERT, 'upsertContact', { input: everything });
    expect(statements).toHaveLength(1);
    expect(JSON.stringify(written)).toBe(JSON.stringify(read));
  });

  it('upsertContact that updates a match: lookup and write, and the payload is the contact as read afterwards', async () => {
    const input = { externalRef: everything.externalRef, lastName: 'Byron', phone: '+33 1 42 68 53 00', customFields: { b: 2, a: 1 } };
    const { written, statements, read } = await writeThenRead(UPSERT, 'upsertContact', { input });
    expect(statements).toHaveLength(2);
    expect(written.version).toBe(2);
    expect(JSON.stringify(written)).toBe(JSON.stringify(read));
  });

  it('updateContact: read and write, and the payload is the contact as read afterwards', async () => {
    const id = dataOf(await ws.gql(UPSERT, { input: { email: 'update-me@example.com', firstName: 'U' } })).upsertContact.contact.id;
    const input = { addresses: [{ city: 'Berlin', postalCode: '10115' }], email: null, tags: ['b', 'a'], customFields: { nested: { z: 1, a: 2 } } };
    const { written, statements, read } = await writeThenRead(UPDATE, 'updateContact', { id, input });
    expect(statements).toHaveLength(2);
    expect(JSON.stringify(written)).toBe(JSON.stringify(read));
  });

  it('upsertContact that changes nothing: its lookup alone, and the payload is the contact as read afterwards', async () => {
    const input = { externalRef: everything.externalRef, lastName: 'Byron' };
    const { written, statements, read } = await writeThenRead(UPSERT, 'upsertContact', { input });
    expect(statements).toHaveLength(1);
    expect(written.version).toBe(2);
    expect(JSON.stringify(written)).toBe(JSON.stringify(read));
  });

  it('updateContact that changes nothing: read only, and the payload is the contact as read afterwards', async () => {
    const id = dataOf(await ws.gql(UPSERT, { input: { email: 'same@example.com', firstName: 'Same', customFields: { z: 1, a: [2] } } })).upsertContact.contact.id;
    const { written, statements, read } = await writeThenRead(UPDATE, 'updateContact', { id, input: { firstName: 'Same' } });
    expect(statements).toHaveLength(1);
    expect(written.version).toBe(1);
    expect(JSON.stringify(written)).toBe(JSON.stringify(read));
  });

  it('updateContact under the locks (a new external ref): nothing read after COMMIT, and the payload is the contact as read afterwards', async () => {
    const id = dataOf(await ws.gql(UPSERT, { input: { email: 'locked@example.com', firstName: 'Locked' } })).upsertContact.contact.id;
    const input = { externalRefs: [{ namespace: 'crm', externalId: 'L-1' }], lastName: 'Path', customFields: { k: 'v', b: [1] } };
    const { written, statements, read } = await writeThenRead(UPDATE, 'updateContact', { id, input });
    expect(statements[0]).toBe('BEGIN');
    expect(statements.at(-1)).toBe('COMMIT');
    expect(written.version).toBe(2);
    expect(JSON.stringify(written)).toBe(JSON.stringify(read));
  });

  it('createContact (a transaction): nothing read after COMMIT, and the payload is the contact as read afterwards', async () => {
    const input = { ...everything, externalRef: undefined, externalRefs: [{ namespace: 'erp', externalId: 'E-9' }], emails: [{ address: 'created@example.com' }] };
    const { written, statements, read } = await writeThenRead(
      `mutation($input: CreateContactInput!) { createContact(input: $input) { contact { ${FIELDS} } userErrors { code } } }`,
      'createContact',
      { input },
    );
    expect(statements[0]).toBe('BEGIN');
    expect(statements.at(-1)).toBe('COMMIT');
    expect(written.version).toBe(1);
    expect(JSON.stringify(written)).toBe(JSON.stringify(read));
  });

  it('addContactTags: the payload is the contact as read afterwards', async () => {
    const id = dataOf(await ws.gql(UPSERT, { input: { email: 'tags@example.com', tags: ['one'] } })).upsertContact.contact.id;
    const { written, read } = await writeThenRead(
      `mutation($id: ID!) { addContactTags(id: $id, tags: ["Two", "three"]) { contact { ${FIELDS} } userErrors { code } } }`,
      'addContactTags',
      { id },
    );
    expect(JSON.stringify(written)).toBe(JSON.stringify(read));
  });
});
