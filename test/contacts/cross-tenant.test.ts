// Cross-tenant (docs/API.md, Transport and auth): generated operations that
// use workspace B's ids with workspace A's key read nothing of B and change
// nothing of B. The count of leaks must be 0.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway, type TestWorkspace } from '../support/gateway.js';
import { create, createCompany } from '../support/contacts.js';
import { plausibleContactInput } from '../support/arbitraries.js';

const RUNS = 300;
let t: TestGateway;
let a: TestWorkspace;
let b: TestWorkspace;
const ofB = { contacts: [] as string[], companies: [] as string[], deleted: '' };
const SECRET = 'b-secret-marker';
// Data of B that no request of A contains: finding it in a response is a leak.
const B_ONLY = ['Bfirst-zq', 'Bcorp-zq', 'btag-zq', 'bstrategy-zq'];

beforeAll(async () => {
  t = await startTestGateway();
  [a, b] = [await t.newWorkspace('A'), await t.newWorkspace('B')];
  ofB.companies.push(await createCompany(b, 'Bcorp-zq', 'b-secret.test'));
  for (let i = 0; i < 3; i++) {
    const c = await create(b, {
      firstName: `Bfirst-zq-${i}`,
      strategy: 'bstrategy-zq',
      email: `${SECRET}${i}@b.test`,
      phones: [{ number: `+1202555${3000 + i}` }],
      tags: ['btag-zq'],
      externalRef: { namespace: 'crm', externalId: `${SECRET}-${i}` },
      connections: [{ company: { id: ofB.companies[0] } }],
    });
    ofB.contacts.push(c.contact.id);
  }
  const gone = await create(b, { firstName: 'Bfirst-zq-deleted' });
  await b.gql('mutation($id: ID!) { deleteContact(id: $id) { userErrors { code } } }', { id: gone.contact.id });
  ofB.deleted = gone.contact.id;
  ofB.contacts.push(gone.contact.id);
});
afterAll(() => t.close());

/** Everything B has in the store, as one string. */
async function snapshotOfB(): Promise<string> {
  const [contacts, companies] = await Promise.all([
    t.store.prisma.contact.findMany({ where: { workspaceId: b.id }, orderBy: { id: 'asc' }, include: { emails: true, phones: true, employments: true, externalRefs: true, addresses: true } }),
    t.store.prisma.company.findMany({ where: { workspaceId: b.id }, orderBy: { id: 'asc' } }),
  ]);
  return JSON.stringify({ contacts, companies });
}

const U = 'userErrors { code }';
const C = 'contact { id firstName email tags connections { company { id name } } }';

function operation() {
  const contactId = fc.constantFrom(...ofB.contacts);
  const companyId = fc.constantFrom(...ofB.companies);
  return fc.oneof(
    contactId.map((id) => ({ q: `query($id: ID!) { contact(id: $id) { id firstName } node(id: $id) { id ... on Contact { email } } nodes(ids: [$id]) { id } }`, v: { id } })),
    companyId.map((id) => ({ q: `query($id: ID!) { company(id: $id) { id name contacts(first: 10) { totalCount edges { node { id email } } } } node(id: $id) { id } }`, v: { id } })),
    fc.nat(3).map((i) => ({ q: `{ contactByExternalRef(namespace: "crm", externalId: "${SECRET}-${i}") { id firstName } }`, v: {} })),
    fc.tuple(contactId, plausibleContactInput([])).map(([id, input]) => ({ q: `mutation($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { ${C} ${U} } }`, v: { id, input } })),
    fc.tuple(contactId, fc.constantFrom('deleteContact', 'restoreContact')).map(([id, m]) => ({ q: `mutation($id: ID!) { ${m}(id: $id) { ${C} ${U} } }`, v: { id } })),
    fc.tuple(contactId, fc.constantFrom('addContactTags', 'removeContactTags')).map(([id, m]) => ({ q: `mutation($id: ID!) { ${m}(id: $id, tags: ["x"]) { ${C} ${U} } }`, v: { id } })),
    fc.tuple(companyId, fc.constantFrom('upsertContact', 'createContact')).map(([id, m]) => ({
      q: `mutation($input: ${m === 'upsertContact' ? 'UpsertContactInput' : 'CreateContactInput'}!) { ${m}(input: $input) { ${C} ${U} } }`,
      v: { input: { firstName: 'A', connections: [{ company: { id } }] } },
    })),
    // B's email, phone and external ref as match keys: A's upsert must create in A, not update B.
    fc.nat(2).map((i) => ({ q: `mutation($input: UpsertContactInput!) { upsertContact(input: $input) { ${C} matchedBy ${U} } }`, v: { input: { email: `${SECRET}${i}@b.test`, phone: `+1202555${3000 + i}`, externalRef: { namespace: 'crm', externalId: `${SECRET}-${i}` } } } })),
    companyId.map((id) => ({ q: `mutation($id: ID!) { updateCompany(id: $id, input: { name: "taken over" }) { company { id name } ${U} } }`, v: { id } })),
  );
}

describe("workspace A's key with workspace B's ids reads and changes nothing of B", { timeout: 180_000 }, () => {
  it(`${RUNS} generated operations: 0 leaks`, async () => {
    const before = await snapshotOfB();
    const rawIdsOfB = [...(await t.store.prisma.contact.findMany({ where: { workspaceId: b.id } })).map((c) => c.id), ...(await t.store.prisma.company.findMany({ where: { workspaceId: b.id } })).map((c) => c.id)];
    const leaks: string[] = [];
    let lookupsChecked = 0;
    await fc.assert(
      fc.asyncProperty(operation(), async ({ q, v }) => {
        const response = await a.gql(q, v);
        expect(response.status).toBeLessThan(500);
        const text = JSON.stringify(response.body);
        // Echoing back an id the client itself sent is no leak; B's data is.
        const echoed = new Set(Object.values(v).flat().filter((x): x is string => typeof x === 'string'));
        const needles = [...B_ONLY, 'b-secret.test', ...rawIdsOfB, ...[...ofB.contacts, ...ofB.companies].filter((id) => !echoed.has(id))];
        const leaked = needles.filter((needle) => text.includes(needle));
        if (leaked.length > 0) leaks.push(`${leaked.join(',')}: ${q} → ${text.slice(0, 300)}`);
        // A lookup by B's id answers null, as for an id that does not exist.
        const data = response.body.data ?? {};
        const lookups = ['contact', 'node', 'company'].filter((key) => key in data);
        lookupsChecked += lookups.length;
        for (const key of lookups) expect(data[key]).toBeNull();
      }),
      { numRuns: RUNS, seed: 5 },
    );
    console.log(`cross-tenant: ${RUNS} operations, ${leaks.length} leaks`);
    expect(leaks).toEqual([]);
    expect(lookupsChecked, 'the generated operations include lookups by B ids').toBeGreaterThan(0);
    expect(await snapshotOfB()).toBe(before);
  });
});
