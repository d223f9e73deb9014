// upsertContacts gives each input the result of upserting the inputs one
// after the other, in order (API.md, upsertContacts), although inputs that
// cannot affect one another are written together.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, startTestGateway, type TestGateway, type TestWorkspace } from '../support/gateway.js';
import { CONTACT_FIELDS, contactCount, upsert } from '../support/contacts.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t.close());

interface Result {
  created: boolean;
  matchedBy: string | null;
  skippedFields: string[];
  changedFields: string[];
  contact: { id: string; version: number; [field: string]: unknown } | null;
  userErrors: { code: string; field: string[] }[];
}

async function upsertMany(ws: TestWorkspace, inputs: Record<string, unknown>[]): Promise<Result[]> {
  const response = await ws.gql(
    `mutation($inputs: [UpsertContactInput!]!) { upsertContacts(inputs: $inputs) {
      userErrors { code }
      results { created matchedBy skippedFields changedFields contact { ${CONTACT_FIELDS} } userErrors { code field } } } }`,
    { inputs },
  );
  const payload = dataOf(response).upsertContacts;
  expect(payload.userErrors).toEqual([]);
  return payload.results;
}

const FEED = `query { contactChanges(first: 100) { edges { node { contactId kind changedFields } } } }`;
const feedOf = async (ws: TestWorkspace) =>
  (dataOf(await ws.gql(FEED)).contactChanges.edges as { node: { contactId: string; kind: string; changedFields: string[] } }[]).map((e) => e.node);

describe('upsertContacts: the results of upserting one after the other', () => {
  it('an input naming the email of an earlier input updates the contact that input created', async () => {
    const ws = await t.newWorkspace();
    const [first, second, third] = await upsertMany(ws, [
      { email: 'same@x.test', firstName: 'Ada' },
      { email: 'SAME@x.test', lastName: 'Lovelace' },
      { email: 'other@x.test', firstName: 'Bob' },
    ]);
    expect(first).toMatchObject({ created: true, userErrors: [] });
    expect(second).toMatchObject({ created: false, matchedBy: 'EMAIL', changedFields: ['lastName'], userErrors: [] });
    expect(second!.contact).toMatchObject({ id: first!.contact!.id, firstName: 'Ada', lastName: 'Lovelace', version: 2 });
    expect(third).toMatchObject({ created: true, userErrors: [] });
    expect(await contactCount(t.store.prisma, ws.id)).toBe(2);
  });

  it('one ref named three times in a call is one contact, the last input winning each field', async () => {
    const ref = { namespace: 'crm', externalId: 'R1' };
    const ws = await t.newWorkspace();
    const results = await upsertMany(ws, [
      { externalRef: ref, firstName: 'One' },
      { externalRef: ref, firstName: 'Two', lastName: 'Last' },
      { externalRef: ref, firstName: 'Three' },
    ]);
    expect(results.map((r) => [r.created, r.matchedBy, r.changedFields.filter((f) => f.endsWith('Name'))])).toEqual([
      [true, null, ['firstName']], [false, 'EXTERNAL_REF', ['firstName', 'lastName']], [false, 'EXTERNAL_REF', ['firstName']],
    ]);
    expect(new Set(results.map((r) => r.contact!.id)).size).toBe(1);
    // Each payload's contact is the contact as it is once the call is done.
    expect(results[0]!.contact).toMatchObject({ firstName: 'Three', lastName: 'Last', version: 3 });
  });

  it('a call mixing new, changed, unchanged and invalid inputs answers each as it would alone', async () => {
    const ws = await t.newWorkspace();
    const kept = await upsert(ws, { externalRef: { namespace: 'crm', externalId: 'K' }, firstName: 'Kept', phone: '+12025550100' });
    const changed = await upsert(ws, { email: 'changed@x.test', firstName: 'Before' });
    const results = await upsertMany(ws, [
      { externalRef: { namespace: 'crm', externalId: 'K' }, firstName: 'Kept', phone: '+1 202 555 0100' },
      { email: 'changed@x.test', firstName: 'After', connections: [{ company: { name: 'Acme' } }] },
      { email: 'not an email' },
      { externalRef: { namespace: 'crm', externalId: 'N' }, email: 'new@x.test', tags: ['b', 'a'] },
    ]);
    expect(results[0]).toMatchObject({ created: false, matchedBy: 'EXTERNAL_REF', changedFields: [], userErrors: [] });
    expect(results[0]!.contact).toMatchObject({ id: kept.contact.id, version: 1 });
    expect(results[1]).toMatchObject({ created: false, matchedBy: 'EMAIL', changedFields: ['firstName', 'connections'], userErrors: [] });
    expect(results[1]!.contact).toMatchObject({ id: changed.contact.id, firstName: 'After', version: 2, connections: [{ company: { name: 'Acme' } }] });
    expect(results[2]).toMatchObject({ created: false, contact: null, userErrors: [{ code: 'INVALID_EMAIL', field: ['inputs', '2', 'email'] }] });
    expect(results[3]).toMatchObject({ created: true, userErrors: [] });
    expect(results[3]!.contact).toMatchObject({ email: 'new@x.test', tags: ['a', 'b'], externalRefs: [{ namespace: 'crm', externalId: 'N' }], version: 1 });
    // The feed: the changed contact, then the new one, in input order; nothing for the unchanged one.
    const feed = (await feedOf(ws)).slice(2);
    expect(feed).toEqual([
      { contactId: changed.contact.id, kind: 'UPDATED', changedFields: ['firstName', 'connections'] },
      { contactId: results[3]!.contact!.id, kind: 'CREATED', changedFields: expect.arrayContaining(['email', 'emails', 'tags', 'externalRefs']) },
    ]);
  });

  it('an input matching a contact an earlier input matched by another key sees that input\'s write', async () => {
    const ws = await t.newWorkspace();
    const one = await upsert(ws, { email: 'a@x.test', phone: '+12025550111', firstName: 'One' });
    const [byEmail, byPhone] = await upsertMany(ws, [
      { email: 'a@x.test', lastName: 'Email' },
      { phone: '+12025550111', firstName: 'Phone' },
    ]);
    expect(byEmail).toMatchObject({ matchedBy: 'EMAIL', changedFields: ['lastName'] });
    expect(byPhone).toMatchObject({ matchedBy: 'PHONE', changedFields: ['firstName'] });
    expect(byPhone!.contact).toMatchObject({ id: one.contact.id, firstName: 'Phone', lastName: 'Email', version: 3 });
  });

  it('an input rejected as ambiguous writes nothing, not even the company it names, and the others are written', async () => {
    const ws = await t.newWorkspace();
    await upsert(ws, { email: 'e@x.test' });
    await upsert(ws, { phone: '+12025550102' });
    const [rejected, fine] = await upsertMany(ws, [
      { email: 'e@x.test', phone: '+12025550102', onAmbiguous: 'REJECT', connections: [{ company: { name: 'Only Here' } }] },
      { email: 'fine@x.test', connections: [{ company: { name: 'Fine Co' } }] },
    ]);
    expect(rejected).toMatchObject({ contact: null, userErrors: [{ code: 'AMBIGUOUS_MATCH', field: ['inputs', '0'] }] });
    expect(fine).toMatchObject({ created: true, userErrors: [] });
    const companies = await t.store.prisma.company.findMany({ where: { workspaceId: ws.id }, select: { name: true } });
    expect(companies.map((c) => c.name)).toEqual(['Fine Co']);
  });

  it('many inputs naming one new company create it once', async () => {
    const ws = await t.newWorkspace();
    const results = await upsertMany(ws, Array.from({ length: 20 }, (_, i) => ({ email: `p${i}@x.test`, connections: [{ company: { name: i % 2 ? 'ACME' : 'acme ' } }] })));
    expect(results.every((r) => r.created && r.userErrors.length === 0)).toBe(true);
    expect(await t.store.prisma.company.count({ where: { workspaceId: ws.id } })).toBe(1);
    expect(new Set(results.map((r) => (r.contact!.connections as { company: { id: string } }[])[0]!.company.id)).size).toBe(1);
  });
});

describe('upsertContacts under concurrency', () => {
  it('calls racing on the same keys in opposite orders create one contact per key, and none fails', async () => {
    const ws = await t.newWorkspace();
    const inputs = Array.from({ length: 40 }, (_, i) => ({ externalRef: { namespace: 'crm', externalId: `K${i}` }, email: `k${i}@x.test`, firstName: `K${i}` }));
    const calls = await Promise.all([
      upsertMany(ws, inputs),
      upsertMany(ws, [...inputs].reverse()),
      upsertMany(ws, inputs.slice(10, 30)),
      upsertMany(ws, [...inputs.slice(20), ...inputs.slice(0, 20)]),
    ]);
    for (const results of calls) expect(results.every((r) => r.userErrors.length === 0 && r.contact !== null)).toBe(true);
    expect(await contactCount(t.store.prisma, ws.id)).toBe(40);
    const created = calls.flat().filter((r) => r.created).map((r) => r.contact!.id);
    expect(new Set(created).size).toBe(40);
    expect(created).toHaveLength(40);
  });
});
