import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, startTestGateway, type TestGateway, type TestWorkspace } from '../support/gateway.js';
import { seedContact } from '../support/seed.js';
import { encodeGlobalId } from '../../src/schema/global-id.js';

let t: TestGateway;
let a: TestWorkspace;
let b: TestWorkspace;
let contactOfB: Awaited<ReturnType<typeof seedContact>>;
let companyOfB: string;

beforeAll(async () => {
  t = await startTestGateway();
  a = await t.newWorkspace('A');
  b = await t.newWorkspace('B');
  contactOfB = await seedContact(t.store.prisma, b.id, {
    firstName: 'Bea',
    email: 'bea@b.test',
    ref: { namespace: 'salesforce', externalId: '003B' },
  });
  const company = await t.store.prisma.company.create({ data: { workspaceId: b.id, name: 'B Corp' } });
  companyOfB = encodeGlobalId('Company', company.id);
});
afterAll(() => t.close());

describe("no query sees another workspace's data (API.md, Transport and auth)", () => {
  it("workspace B reads its own contact by contact, node and contactByExternalRef", async () => {
    const data = dataOf(
      await b.gql(
        `query($id: ID!) {
          contact(id: $id) { id firstName email displayName }
          node(id: $id) { id ... on Contact { firstName } }
          contactByExternalRef(namespace: "SalesForce", externalId: "003B") { id }
        }`,
        { id: contactOfB.globalId },
      ),
    );
    expect(data.contact).toEqual({ id: contactOfB.globalId, firstName: 'Bea', email: 'bea@b.test', displayName: 'Bea' });
    expect(data.node).toEqual({ id: contactOfB.globalId, firstName: 'Bea' });
    expect(data.contactByExternalRef).toEqual({ id: contactOfB.globalId });
  });

  it("workspace A gets null for B's contact by contact, node, nodes and contactByExternalRef", async () => {
    const data = dataOf(
      await a.gql(
        `query($id: ID!, $company: ID!) {
          contact(id: $id) { id }
          node(id: $id) { id }
          nodes(ids: [$id, $company]) { id }
          company(id: $company) { id }
          companyNode: node(id: $company) { id }
          contactByExternalRef(namespace: "salesforce", externalId: "003B") { id }
        }`,
        { id: contactOfB.globalId, company: companyOfB },
      ),
    );
    expect(data).toEqual({ contact: null, node: null, nodes: [null, null], company: null, companyNode: null, contactByExternalRef: null });
  });

  it('a key reads its own workspace by the workspace query and by node; another workspace\'s id is null', async () => {
    const ownId = encodeGlobalId('Workspace', b.id);
    const data = dataOf(
      await b.gql(
        `query($own: ID!, $other: ID!) {
          workspace { id name duplicateMatching defaultCountry }
          own: node(id: $own) { id ... on Workspace { name } }
          other: node(id: $other) { id }
          nodes(ids: [$own, $other]) { id }
        }`,
        { own: ownId, other: encodeGlobalId('Workspace', a.id) },
      ),
    );
    expect(data.workspace).toEqual({ id: ownId, name: 'B', duplicateMatching: ['EMAIL', 'PHONE'], defaultCountry: null });
    expect(data.own).toEqual({ id: ownId, name: 'B' });
    expect(data.other).toBeNull();
    expect(data.nodes).toEqual([{ id: ownId }, null]);
  });

  it('answers null, not an error, for malformed and unknown ids', async () => {
    for (const id of ['', 'nope', '!!!', encodeGlobalId('Contact', 'not-a-uuid'), encodeGlobalId('Company', contactOfB.id), 'Q29udGFjdDo=']) {
      const response = await b.gql('query($id: ID!) { contact(id: $id) { id } node(id: $id) { id } }', { id });
      expect(response.status).toBe(200);
      expect(dataOf(response)).toEqual({ contact: null, node: null });
    }
  });

  it('hides a deleted contact and lets it block no external ref lookup', async () => {
    const deleted = await seedContact(t.store.prisma, b.id, { ref: { namespace: 'hubspot', externalId: 'gone' }, deleted: true });
    const data = dataOf(
      await b.gql(
        'query($id: ID!) { contact(id: $id) { id } contactByExternalRef(namespace: "hubspot", externalId: "gone") { id } }',
        { id: deleted.globalId },
      ),
    );
    expect(data).toEqual({ contact: null, contactByExternalRef: null });
  });

  it('refuses a ref with a NUL character, which no contact can hold, as BAD_USER_INPUT', async () => {
    const response = await b.gql('query($id: String!) { contactByExternalRef(namespace: "salesforce", externalId: $id) { id } }', { id: '003B\u0000' });
    expect(response.status).toBeLessThan(500);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('matches the external id case-sensitively', async () => {
    const data = dataOf(await b.gql('{ contactByExternalRef(namespace: "salesforce", externalId: "003b") { id } }'));
    expect(data.contactByExternalRef).toBeNull();
  });

  it('nodes takes at most 100 ids: more is a clear error, not a 500', async () => {
    const ids = Array.from({ length: 101 }, () => contactOfB.globalId);
    const response = await b.gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids });
    expect(response.status).toBeLessThan(500);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const atLimit = dataOf(await b.gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ids.slice(1) }));
    expect(atLimit.nodes).toHaveLength(100);
  });
});
