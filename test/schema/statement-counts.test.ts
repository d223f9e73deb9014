// How many SQL statements a request runs is behaviour: it is pinned here, and
// the benchmark (bench/) measures what it costs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway, type TestWorkspace } from '../support/gateway.js';
import { CONTACT_FIELDS, create, createCompany } from '../support/contacts.js';

let t: TestGateway;
let ws: TestWorkspace;
let contactId: string;
beforeAll(async () => {
  // A key cache that cannot expire during the file, so counts do not depend on its speed.
  t = await startTestGateway({ apiKeyCacheMs: 600_000 });
  ws = await t.newWorkspace();
  const company = await createCompany(ws, 'Acme');
  contactId = (
    await create(ws, {
      firstName: 'Count', email: 'count@x.test', emails: [{ address: 'count@x.test' }, { address: 'two@x.test' }], phone: '+12025550100',
      connections: [{ company: { id: company }, jobTitle: 'CTO' }], externalRefs: [{ namespace: 'crm', externalId: 'C1' }], addresses: [{ city: 'Paris' }],
    })
  ).contact.id;
});
afterAll(() => t.close());

/** The tables a statement writes, in the order its text names them (a data-modifying CTE writes several). */
const writesOf = (sql: string) => [...sql.matchAll(/\b(INSERT INTO|UPDATE|DELETE FROM) ("public"\.)?("\w+")/g)].map((m) => `${m[1]} ${m[3]}`);
const isWrite = (sql: string) => writesOf(sql).length > 0;

describe('SQL statements per request', () => {
  it('contact(id) with every nested field: one query (relation joins), the key being known to the process', async () => {
    const statements = await t.statements(() => ws.gql(`query($id: ID!) { contact(id: $id) { ${CONTACT_FIELDS} } }`, { id: contactId }));
    expect(statements).toHaveLength(1);
  });

  it('the nested rows of a read carry only the columns their fields show, and the row id', async () => {
    const [sql] = await t.statements(() => ws.gql(`query($id: ID!) { contact(id: $id) { ${CONTACT_FIELDS} } }`, { id: contactId }));
    const nestedKeys = [...sql!.matchAll(/JSONB_BUILD_OBJECT\(([^)]*)\)/g)].flatMap((m) => [...m[1]!.matchAll(/'(\w+)',/g)].map((k) => k[1]));
    expect(nestedKeys).toContain('address'); // the query has nested objects at all
    for (const unshown of ['workspaceId', 'contactId', 'live', 'createdAt', 'updatedAt']) expect(nestedKeys).not.toContain(unshown);
  });

  it('the first request of a key adds one API-key lookup; the next ones within API_KEY_CACHE_MS do not', async () => {
    const fresh = await t.newWorkspace();
    expect(await t.statements(() => fresh.gql('{ __typename }'))).toHaveLength(1);
    expect(await t.statements(() => fresh.gql('{ __typename }'))).toHaveLength(0);
  });

  // An upsert's first statement matches and creates only when nothing matched
  // (lock_and_match, then a conditional INSERT): its text names every table a
  // create writes, whether or not it created.
  const LOOKUP_OR_CREATE = ['INSERT INTO "Contact"', 'INSERT INTO "Email"', 'INSERT INTO "ContactChange"'];
  const feedLength = async () => {
    const response = await ws.gql('{ contactChanges(first: 100) { edges { cursor } } }');
    return response.body.data.contactChanges.edges.length as number;
  };

  it('an upsert that changes nothing writes nothing: one lookup that creates nothing, which also answers the payload', async () => {
    const feedBefore = await feedLength();
    const statements = await t.statements(() =>
      ws.gql('mutation { upsertContact(input: { email: "count@x.test", firstName: "Count" }) { created contact { version } userErrors { code } } }'),
    );
    expect(statements.filter(isWrite).map(writesOf)).toEqual([LOOKUP_OR_CREATE]);
    expect(statements).toHaveLength(1);
    expect(await feedLength()).toBe(feedBefore);
  });

  it('an upsert that changes one scalar: the lookup, and one statement writing the contact row and one feed entry that returns the payload', async () => {
    const feedBefore = await feedLength();
    const statements = await t.statements(() =>
      ws.gql('mutation { upsertContact(input: { email: "count@x.test", lastName: "Changed" }) { created contact { version } userErrors { code } } }'),
    );
    expect(statements.filter(isWrite).map(writesOf)).toEqual([LOOKUP_OR_CREATE, ['UPDATE "Contact"', 'INSERT INTO "ContactChange"']]);
    // No transaction: each statement is atomic, and the update checks the version it read.
    expect(statements).toHaveLength(2);
    expect(await feedLength()).toBe(feedBefore + 1);
  });

  it('an upsert of a new ref creates the contact, its lists and its feed entry in its one statement', async () => {
    const statements = await t.statements(() =>
      ws.gql('mutation { upsertContact(input: { externalRef: { namespace: "crm", externalId: "NEW-1" }, email: "new1@x.test", phone: "+12025550101" }) { created userErrors { code } } }'),
    );
    expect(statements.filter(isWrite).map(writesOf)).toEqual([
      ['INSERT INTO "Contact"', 'INSERT INTO "Email"', 'INSERT INTO "Phone"', 'INSERT INTO "ExternalRef"', 'INSERT INTO "ContactChange"'],
    ]);
    // The payload reads no contact here.
    expect(statements).toHaveLength(1);
  });

  it('updateContact of two scalar fields: no transaction; the read, and one write at the version read that returns the payload\'s columns', async () => {
    const statements = await t.statements(() =>
      ws.gql('mutation($id: ID!) { updateContact(id: $id, input: { firstName: "Two", lastName: "Fields" }) { contact { version updatedAt } userErrors { code } } }', { id: contactId }),
    );
    expect(statements.filter(isWrite).map(writesOf)).toEqual([['UPDATE "Contact"', 'INSERT INTO "ContactChange"']]);
    expect(statements).toHaveLength(2);
    expect(statements.some((sql) => /^(BEGIN|COMMIT)/.test(sql))).toBe(false);
  });

  it('a payload that asks for the lists the write holds reads nothing more', async () => {
    const statements = await t.statements(() =>
      ws.gql('mutation($id: ID!) { updateContact(id: $id, input: { firstName: "Three" }) { contact { version email displayName emails { address } phones { e164 } addresses { city } externalRefs { externalId } } userErrors { code } } }', { id: contactId }),
    );
    expect(statements).toHaveLength(2);
  });

  it('a payload that asks for companies reads the contact after the write', async () => {
    const statements = await t.statements(() =>
      ws.gql('mutation($id: ID!) { updateContact(id: $id, input: { firstName: "Four" }) { contact { version connections { company { name } } } userErrors { code } } }', { id: contactId }),
    );
    expect(statements).toHaveLength(3);
  });

  it('a payload that asks for two or more external refs reads them (their order is the database collation\'s)', async () => {
    const two = [{ namespace: 'crm', externalId: 'R2' }, { namespace: 'erp', externalId: 'E1' }];
    const other = (await create(ws, { firstName: 'Refs', externalRefs: two })).contact.id;
    const statements = await t.statements(() =>
      ws.gql('mutation($id: ID!) { updateContact(id: $id, input: { firstName: "Five" }) { contact { externalRefs { externalId } } userErrors { code } } }', { id: other }),
    );
    expect(statements).toHaveLength(3);
  });

  it('an update that replaces a list deletes and inserts that list only, in the same statement', async () => {
    const statements = await t.statements(() =>
      ws.gql('mutation($id: ID!) { updateContact(id: $id, input: { phones: [{ number: "+12025550102" }] }) { userErrors { code } } }', { id: contactId }),
    );
    expect(statements.filter(isWrite).map(writesOf)).toEqual([['UPDATE "Contact"', 'DELETE FROM "Phone"', 'INSERT INTO "Phone"', 'INSERT INTO "ContactChange"']]);
  });
});

describe('SQL statements of upsertContacts', () => {
  /** The statements of one upsertContacts call of n new contacts, each with an email (and a company name when given). */
  const bulk = async (n: number, contactFields: string, company?: string) => {
    const inputs = Array.from({ length: n }, (_, i) => ({
      email: `bulk${n}-${contactFields.length}-${company ? 'co' : ''}-${i}@x.test`,
      ...(company ? { connections: [{ company: { name: company } }] } : {}),
    }));
    return t.statements(async () => {
      const response = await ws.gql(
        `mutation($inputs: [UpsertContactInput!]!) { upsertContacts(inputs: $inputs) { results { created contact { ${contactFields} } userErrors { code } } } }`,
        { inputs },
      );
      const results = response.body.data.upsertContacts.results as { created: boolean; contact: { email: string } }[];
      expect(results.map((r) => [r.created, r.contact.email])).toEqual(inputs.map((i) => [true, i.email]));
    });
  };
  /** A statement's kind: the tables it writes, else its first words. */
  const shape = (sql: string) => (isWrite(sql) ? writesOf(sql).join(', ') : sql.trim().split(/\s+/).slice(0, 2).join(' '));

  it('writes all its contacts with their lists and feed entries in one statement, whatever their number', async () => {
    for (const n of [2, 10, 50]) {
      const statements = (await bulk(n, 'id email')).map(shape);
      // The transaction, the key locks, the match of every input, the write; the payloads are answered from it.
      expect(statements).toEqual([
        'BEGIN',
        'SELECT pg_advisory_xact_lock(hashtext(k))',
        'SELECT i.ordinal,',
        'INSERT INTO "Contact", INSERT INTO "Email", INSERT INTO "ContactChange"',
        'COMMIT',
      ]);
    }
  });

  it('looks up and creates the companies its inputs name once for the whole call', async () => {
    const statements = (await bulk(10, 'id email', 'Bulk Co')).map(shape);
    // Before the transaction, the lookup of the names; in it, one insert of the new ones and one read of their ids.
    expect(statements.filter((s) => /"Company"/.test(s) || s.startsWith('SELECT c.id,'))).toEqual(['SELECT c.id,', 'INSERT INTO "Company"', 'SELECT c.id,']);
    expect(statements).toHaveLength(8);
  });

  it('reads the contacts of all its results in one statement, whatever their number', async () => {
    for (const n of [2, 10]) {
      const statements = await bulk(n, 'id email connections { jobTitle }');
      expect(statements.filter((sql) => /FROM "public"\."Contact"/.test(sql) && !isWrite(sql))).toHaveLength(1);
    }
  });
});
