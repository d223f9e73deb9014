// Property tests: generated hostile inputs produce only userErrors or GraphQL
// validation errors, never a 5xx; a mutation that returns userErrors has
// written nothing (the stored contact stays byte-identical), and one that
// returns no userErrors has written exactly what it answers. Every case checks
// its outcome, and each run must have seen both outcomes. Random valid queries
// never produce a 5xx.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type GraphQLResponse, type TestGateway, type TestWorkspace } from '../support/gateway.js';
import { create, createCompany } from '../support/contacts.js';
import { anyString, contactInput, wrongTypeInput } from '../support/arbitraries.js';
import { randomQuery } from '../support/random-queries.js';
import { schema } from '../../src/schema/index.js';
import { encodeGlobalId } from '../../src/schema/global-id.js';

/** PROPERTY_SCALE multiplies every count: a long fuzz run is the same file (docs/security.md, Tested). */
const SCALE = Math.max(1, Number(process.env.PROPERTY_SCALE ?? 1) || 1);
export const RUNS = { upsert: 500 * SCALE, update: 500 * SCALE, wrongTypes: 300 * SCALE, queries: 400 * SCALE };

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

/** How the generated cases ended, printed after the run and checked for both outcomes. */
const tally: Record<string, number> = {};
const note = (what: string) => void (tally[what] = (tally[what] ?? 0) + 1);
afterAll(() => console.log(`property outcomes: ${JSON.stringify(tally)}`));

const counted = (n: number) => ({ numRuns: n, seed: Number(process.env.PROPERTY_SEED ?? 20261123), endOnFailure: true });

describe('hostile mutation inputs: only userErrors or validation errors, never a 5xx, never a partial write', { timeout: 180_000 * SCALE }, () => {
  it(`upsertContact × ${RUNS.upsert}: a payload with userErrors created nothing, one without created exactly one`, async () => {
    await fc.assert(
      fc.asyncProperty(contactInput(companyIds), async (input) => {
        const before = await t.store.prisma.contact.count({ where: { workspaceId: ws.id } });
        // matchBy: [] always creates, so every input reaches the create path.
        const response = await ws.gql(`mutation($input: UpsertContactInput!) { upsertContact(input: $input) { ${PAYLOAD} } }`, { input: { ...input, matchBy: [] } });
        expectNoServerError(response);
        const payload = response.body.data?.upsertContact;
        note(payload === undefined ? 'upsert: rejected (4xx)' : payload.userErrors.length > 0 ? 'upsert: userErrors' : 'upsert: written');
        const refused = payload === undefined || payload.userErrors.length > 0;
        expect(payload?.contact ?? null, 'a refused upsert answers no contact; a written one answers it').toEqual(refused ? null : expect.objectContaining({ version: 1 }));
        expect(await t.store.prisma.contact.count({ where: { workspaceId: ws.id } })).toBe(refused ? before : before + 1);
      }),
      counted(RUNS.upsert),
    );
    expect(tally['upsert: written'] ?? 0).toBeGreaterThan(0);
    expect((tally['upsert: userErrors'] ?? 0) + (tally['upsert: rejected (4xx)'] ?? 0)).toBeGreaterThan(0);
  });

  it(`updateContact × ${RUNS.update}: a payload with userErrors leaves the stored contact byte-identical, one without answers the stored version`, async () => {
    await fc.assert(
      fc.asyncProperty(contactInput(companyIds), async (input) => {
        const before = await storedContact(contactId);
        const response = await ws.gql(`mutation($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { ${PAYLOAD} } }`, { id: contactId, input });
        expectNoServerError(response);
        const payload = response.body.data?.updateContact;
        note(payload === undefined ? 'update: rejected (4xx)' : payload.userErrors.length > 0 ? 'update: userErrors' : 'update: written');
        const refused = payload === undefined || payload.userErrors.length > 0;
        const after = await storedContact(contactId);
        if (refused) expect(after).toBe(before);
        else expect(JSON.parse(after).version, 'a written update answers the stored version').toBe(payload.contact.version);
      }),
      counted(RUNS.update),
    );
    expect(tally['update: written'] ?? 0).toBeGreaterThan(0);
    expect((tally['update: userErrors'] ?? 0) + (tally['update: rejected (4xx)'] ?? 0)).toBeGreaterThan(0);
  });

  it(`fields of any type × ${RUNS.wrongTypes}: refused with a validation error (4xx) or userErrors and nothing written, or written as answered`, async () => {
    await fc.assert(
      fc.asyncProperty(wrongTypeInput(), fc.constantFrom('upsert', 'update'), async (input, kind) => {
        const before = await storedContact(contactId);
        const count = await t.store.prisma.contact.count({ where: { workspaceId: ws.id } });
        const response =
          kind === 'upsert'
            ? await ws.gql(`mutation($input: UpsertContactInput!) { upsertContact(input: $input) { ${PAYLOAD} } }`, { input: { ...input, matchBy: [] } })
            : await ws.gql(`mutation($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { ${PAYLOAD} } }`, { id: contactId, input });
        expectNoServerError(response);
        const payload = response.body.data?.upsertContact ?? response.body.data?.updateContact;
        const refused = payload === undefined || payload === null || payload.userErrors.length > 0;
        note(refused ? `any type: refused (HTTP ${response.status})` : 'any type: written');
        const written = kind === 'upsert' ? { contacts: count + 1, stored: before } : { contacts: count, stored: expect.stringContaining(`"version":${payload?.contact?.version}`) };
        expect(await t.store.prisma.contact.count({ where: { workspaceId: ws.id } })).toBe(refused ? count : written.contacts);
        expect(await storedContact(contactId)).toEqual(refused ? before : written.stored);
      }),
      counted(RUNS.wrongTypes),
    );
    expect(tally['any type: refused (HTTP 400)'] ?? 0, 'values of the wrong type are refused by validation').toBeGreaterThan(0);
  });
});

describe('random valid queries from the schema never produce a 5xx', { timeout: 180_000 * SCALE }, () => {
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
