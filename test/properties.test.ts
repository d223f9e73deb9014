// Property tests (issue 5): generated hostile inputs produce only userErrors or
// GraphQL validation errors, never a 5xx, and a mutation that returns
// userErrors has written nothing (the stored contact stays byte-identical).
// Random valid queries never produce a 5xx. Case counts are in the README.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type GraphQLResponse, type TestGateway, type TestWorkspace } from './support/gateway.js';
import { create, createCompany } from './support/contacts.js';
import { anyString, contactInput, wrongTypeInput } from './support/arbitraries.js';
import { randomQuery } from './support/random-queries.js';
import { schema } from '../src/schema/index.js';
import { encodeGlobalId } from '../src/schema/global-id.js';

export const RUNS = { upsert: 500, update: 500, wrongTypes: 300, queries: 400 };

let t: TestGateway;
let ws: TestWorkspace;
let companyIds: string[];
let contactId: string;
beforeAll(async () => {
  t = await startTestGateway();
  ws = await t.newWorkspace();
  companyIds = [await createCompany(ws, 'Acme'), await createCompany(ws, 'Globex'), encodeGlobalId('Company', '00000000-0000-0000-0000-000000000000')];
  contactId = (await create(ws, { firstName: 'Base', email: 'base@x.test', phones: [{ number: '+12025550100' }], tags: ['a'], connections: [{ company: { id: companyIds[0] } }] })).contact.id;
});
afterAll(() => t.close());

const PAYLOAD = 'contact { id version } userErrors { code field message }';

/** The whole stored contact, every relation included, as one string. */
async function storedContact(globalId: string): Promise<string> {
  const id = Buffer.from(globalId, 'base64').toString().split(':')[1]!;
  const row = await t.store.prisma.contact.findUnique({
    where: { id },
    include: { emails: { orderBy: { position: 'asc' } }, phones: { orderBy: { position: 'asc' } }, employments: { orderBy: { position: 'asc' } }, externalRefs: { orderBy: { externalId: 'asc' } }, addresses: { orderBy: { position: 'asc' } } },
  });
  return JSON.stringify(row);
}

/** Never a 5xx; errors only of the kinds a client causes. */
function expectNoServerError(response: GraphQLResponse) {
  expect(response.status, JSON.stringify(response.body)).toBeLessThan(500);
  for (const error of response.body.errors ?? []) {
    expect(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE'], JSON.stringify(error)).not.toContain(error.extensions?.['code']);
  }
}

/** How the generated cases ended, printed after the run (README, Reliability). */
const tally: Record<string, number> = {};
const note = (what: string) => void (tally[what] = (tally[what] ?? 0) + 1);
afterAll(() => console.log(`property outcomes: ${JSON.stringify(tally)}`));

const counted = (n: number) => ({ numRuns: n, seed: Number(process.env.PROPERTY_SEED ?? 20261123), endOnFailure: true });

describe('hostile mutation inputs: only userErrors or validation errors, never a 5xx, never a partial write (issue 5)', { timeout: 180_000 }, () => {
  it(`upsertContact × ${RUNS.upsert}: a payload with userErrors created nothing`, async () => {
    await fc.assert(
      fc.asyncProperty(contactInput(companyIds), async (input) => {
        const before = await t.store.prisma.contact.count({ where: { workspaceId: ws.id } });
        // matchBy: [] always creates, so every input reaches the create path.
        const response = await ws.gql(`mutation($input: UpsertContactInput!) { upsertContact(input: $input) { ${PAYLOAD} } }`, { input: { ...input, matchBy: [] } });
        expectNoServerError(response);
        const payload = response.body.data?.upsertContact;
        note(payload === undefined ? 'upsert: rejected (4xx)' : payload.userErrors.length > 0 ? 'upsert: userErrors' : 'upsert: written');
        if (payload === undefined || payload.userErrors.length > 0) {
          expect(payload?.contact ?? null).toBeNull();
          expect(await t.store.prisma.contact.count({ where: { workspaceId: ws.id } })).toBe(before);
        }
      }),
      counted(RUNS.upsert),
    );
  });

  it(`updateContact × ${RUNS.update}: a payload with userErrors leaves the stored contact byte-identical`, async () => {
    await fc.assert(
      fc.asyncProperty(contactInput(companyIds), async (input) => {
        const before = await storedContact(contactId);
        const response = await ws.gql(`mutation($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { ${PAYLOAD} } }`, { id: contactId, input });
        expectNoServerError(response);
        const payload = response.body.data?.updateContact;
        note(payload === undefined ? 'update: rejected (4xx)' : payload.userErrors.length > 0 ? 'update: userErrors' : 'update: written');
        if (payload === undefined || payload.userErrors.length > 0) expect(await storedContact(contactId)).toBe(before);
      }),
      counted(RUNS.update),
    );
  });

  it(`fields of the wrong type × ${RUNS.wrongTypes}: a validation error (4xx) or a userError, nothing written`, async () => {
    await fc.assert(
      fc.asyncProperty(wrongTypeInput(), fc.constantFrom('upsert', 'update'), async (input, kind) => {
        const before = await storedContact(contactId);
        const count = await t.store.prisma.contact.count({ where: { workspaceId: ws.id } });
        const response =
          kind === 'upsert'
            ? await ws.gql(`mutation($input: UpsertContactInput!) { upsertContact(input: $input) { ${PAYLOAD} } }`, { input })
            : await ws.gql(`mutation($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { ${PAYLOAD} } }`, { id: contactId, input });
        expectNoServerError(response);
        const payload = response.body.data?.upsertContact ?? response.body.data?.updateContact;
        note(`wrong type: HTTP ${response.status}`);
        if (payload === undefined || payload === null || payload.userErrors.length > 0) {
          expect(await storedContact(contactId)).toBe(before);
          expect(await t.store.prisma.contact.count({ where: { workspaceId: ws.id } })).toBe(count);
        }
      }),
      counted(RUNS.wrongTypes),
    );
  });
});

describe('random valid queries from the schema never produce a 5xx (issue 5)', { timeout: 180_000 }, () => {
  it(`× ${RUNS.queries}`, async () => {
    const pools = {
      ids: [contactId, ...companyIds, encodeGlobalId('Workspace', ws.id), '', 'garbage', encodeGlobalId('Contact', 'not-a-uuid'), '\u0000'],
      strings: ['', 'salesforce', 'x'.repeat(300), '\u0000\u202e😀', "'; --"],
    };
    await fc.assert(
      fc.asyncProperty(randomQuery(schema, pools), async (query) => {
        const response = await ws.gql(query);
        expectNoServerError(response);
      }),
      counted(RUNS.queries),
    );
  });

  it('hostile strings as arguments of lookups', async () => {
    await fc.assert(
      fc.asyncProperty(anyString, anyString, async (a, b) => {
        const response = await ws.gql('query($a: ID!, $b: String!) { contact(id: $a) { id } node(id: $a) { id } contactByExternalRef(namespace: $b, externalId: $b) { id } }', { a, b });
        expectNoServerError(response);
      }),
      counted(100),
    );
  });
});
