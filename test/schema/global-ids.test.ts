// A global id is base64 of "<Type>:<uuid>". Any id that does not name a live
// object of a Node type in the caller's workspace answers null (node, nodes,
// contact, company) or NOT_FOUND (mutations), never an error: odd type names
// ("__proto__", "constructor", types that are not Nodes, unknown ones)
// included (docs/API.md, Transport and auth).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway, type TestWorkspace } from '../support/gateway.js';
import { create } from '../support/contacts.js';

let t: TestGateway;
let ws: TestWorkspace;
let realUuid: string;
beforeAll(async () => {
  t = await startTestGateway();
  ws = await t.newWorkspace();
  const { contact } = await create(ws, { firstName: 'Real' });
  realUuid = Buffer.from(contact.id, 'base64').toString().split(':')[1]!;
});
afterAll(() => t.close());

const ODD_TYPES = ['Foo', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'Email', 'Phone', 'ContactChange', 'Query', 'Mutation', 'Node', 'contact', 'CONTACT', 'Contact ', ''];
const idOfType = (type: string, uuid: string) => Buffer.from(`${type}:${uuid}`).toString('base64');

describe('global ids of unknown or odd types', () => {
  it('node and nodes answer null, contact and company too, with HTTP 200 and no error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom(...ODD_TYPES), fc.string({ maxLength: 20 })), fc.boolean(), async (type, real) => {
        fc.pre(type !== 'Contact');
        const id = idOfType(type, real ? realUuid : '01939c3e-0000-7000-8000-000000000000');
        const response = await ws.gql('query($id: ID!) { node(id: $id) { id } nodes(ids: [$id, $id]) { id } contact(id: $id) { id } company(id: $id) { id } }', { id });
        expect(response.status, JSON.stringify(response.body)).toBe(200);
        expect(response.body.errors).toBeUndefined();
        expect(response.body.data).toEqual({ node: null, nodes: [null, null], contact: null, company: null });
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it('a mutation on such an id is NOT_FOUND', async () => {
    for (const type of ODD_TYPES) {
      const response = await ws.gql('mutation($id: ID!) { deleteContact(id: $id) { contact { id } userErrors { code field } } }', { id: idOfType(type, realUuid) });
      expect(response.status).toBe(200);
      expect(response.body.data.deleteContact).toEqual({ contact: null, userErrors: [{ code: 'NOT_FOUND', field: ['id'] }] });
    }
  });

  it('the same uuid as a Contact id finds the contact', async () => {
    const response = await ws.gql('query($id: ID!) { node(id: $id) { id } }', { id: idOfType('Contact', realUuid) });
    expect(response.body.data.node).toEqual({ id: idOfType('Contact', realUuid) });
  });
});
