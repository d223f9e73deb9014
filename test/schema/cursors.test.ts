// A cursor is signed and checked field by field (docs/behaviour.md, Paging;
// docs/security.md, Cursors): whatever a client does to one, decoding it,
// editing a field and encoding it again, with or without a valid signature,
// the answer is a GraphQL error with BAD_USER_INPUT, never an HTTP 500, on
// every connection: contacts, Company.contacts, companies and contactChanges.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, startTestGateway, type GraphQLResponse, type TestGateway, type TestWorkspace } from '../support/gateway.js';
import { create, createCompany } from '../support/contacts.js';
import { sealCursor } from '../../src/contacts/cursor-seal.js';
import { keyFromSecret, storedCursorKey } from '../../src/db/cursor-secret.js';
import { createGateway } from '../../src/http/gateway.js';
import { MIN_CURSOR_SECRET_LENGTH } from '../../src/config.js';

let t: TestGateway;
let ws: TestWorkspace;
let companyId: string;
/** The key the gateway signs with (no CURSOR_SECRET in tests: the one kept in the database). */
let signing: Buffer;

beforeAll(async () => {
  t = await startTestGateway();
  ws = await t.newWorkspace();
  const company = await createCompany(ws, 'Acme');
  await createCompany(ws, 'Beta');
  await createCompany(ws, 'Gamma');
  companyId = company;
  for (const lastName of ['Adams', 'Baker', null]) {
    await create(ws, { firstName: 'F', ...(lastName === null ? {} : { lastName }), connections: [{ company: { id: company } }] });
  }
  signing = await storedCursorKey(t.store.prisma);
});
afterAll(() => t.close());

const EDGES = 'edges { cursor } pageInfo { endCursor }';

/** One connection: how to page it after (or before) a cursor, and where its edges are in the answer. */
interface Connection {
  name: string;
  page(cursor: string | null, direction?: 'after' | 'before'): Promise<GraphQLResponse>;
  edgesOf(data: any): { cursor: string }[];
}

const connections: Connection[] = [
  {
    name: 'contacts by CREATED_AT',
    page: (cursor, direction = 'after') =>
      ws.gql(`query($c: String) { contacts(${direction === 'after' ? 'first' : 'last'}: 2, ${direction}: $c) { ${EDGES} } }`, { c: cursor }),
    edgesOf: (data) => data.contacts.edges,
  },
  {
    name: 'contacts by LAST_NAME',
    page: (cursor, direction = 'after') =>
      ws.gql(
        `query($c: String) { contacts(${direction === 'after' ? 'first' : 'last'}: 2, ${direction}: $c, orderBy: { field: LAST_NAME, direction: ASC }) { ${EDGES} } }`,
        { c: cursor },
      ),
    edgesOf: (data) => data.contacts.edges,
  },
  {
    name: 'Company.contacts',
    page: (cursor, direction = 'after') =>
      ws.gql(
        `query($id: ID!, $c: String) { node(id: $id) { ... on Company { contacts(${direction === 'after' ? 'first' : 'last'}: 2, ${direction}: $c) { ${EDGES} } } } }`,
        { id: companyId, c: cursor },
      ),
    edgesOf: (data) => data.node.contacts.edges,
  },
  {
    name: 'companies',
    page: (cursor, direction = 'after') =>
      ws.gql(`query($c: String) { companies(${direction === 'after' ? 'first' : 'last'}: 2, ${direction}: $c) { ${EDGES} } }`, { c: cursor }),
    edgesOf: (data) => data.companies.edges,
  },
  {
    name: 'contactChanges',
    page: (cursor, direction = 'after') =>
      ws.gql(`query($c: String) { contactChanges(${direction === 'after' ? 'first' : 'last'}: 2, ${direction}: $c) { ${EDGES} } }`, { c: cursor }),
    edgesOf: (data) => data.contactChanges.edges,
  },
];

/** Every edge's cursor of the connection's first page. */
async function cursorsOf(connection: Connection): Promise<string[]> {
  const cursors = connection.edgesOf(dataOf(await connection.page(null))).map((e) => e.cursor);
  expect(cursors.length).toBeGreaterThan(0);
  return cursors;
}

/** The fields a cursor carries, read without checking its signature. */
function fieldsOf(cursor: string): unknown[] {
  return JSON.parse(Buffer.from(cursor.split('.')[0]!, 'base64url').toString('utf8'));
}

function expectRefused(response: GraphQLResponse, what: string): void {
  expect(response.status, what).not.toBe(500);
  expect(response.status, what).toBe(200);
  expect(response.body.errors?.[0]?.extensions?.code, `${what}: ${JSON.stringify(response.body.errors)}`).toBe('BAD_USER_INPUT');
}

const UUID = '0192d4e0-0000-7000-8000-000000000000';
const HUGE = 'x'.repeat(100_000);
/** Values no sort value of any kind may take. */
const BAD_VALUES: unknown[] = [9223372036854775808, -1, 1.5, true, {}, [], ['2026-12-06T12:00:00.000Z'], 'a\u0000b', '\ud800', HUGE];
/** Strings that are no date a cursor holds: years 0, -1 and past 275760, impossible days, other spellings. */
const BAD_DATES = [
  '0000-01-01T00:00:00.000Z', '-000001-01-01T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '+275761-01-01T00:00:00.000Z', '+010000-01-01T00:00:00.000Z',
  '2026-13-45T00:00:00.000Z', '2026-02-30T00:00:00.000Z', '2026-12-06T12:00:00Z', '2026-12-06', '1733486400000', 'yesterday', '',
];
const DATE_ORDERINGS = ['CREATED_AT', 'UPDATED_AT'];

/** Edits of a keyset cursor's fields [type, ordering, value, id]: none is a position of its connection. */
function keysetEdits([type, ordering, value, id]: unknown[]): [string, unknown][] {
  const edits: [string, unknown][] = [
    ['no fields', []],
    ['an object', { type, ordering, value, id }],
    ['a string', 'cursor'],
    ['null', null],
    ['a number', 12],
    ['a missing element', [type, ordering, value]],
    ['an extra element', [type, ordering, value, id, 'more']],
    ['another type', [type === 'Contact' ? 'Company' : 'Contact', ordering, value, id]],
    ['an emptied type', ['', ordering, value, id]],
    ['a null type', [null, ordering, value, id]],
    ['a null ordering', [type, null, value, id]],
    ['an emptied ordering', [type, '', value, id]],
    ['a numeric ordering', [type, 7, value, id]],
    ['an emptied id', [type, ordering, value, '']],
    ['a null id', [type, ordering, value, null]],
    ['a numeric id', [type, ordering, value, 42]],
    ['an id that is no uuid', [type, ordering, value, 'not-a-uuid']],
    ['an uppercase id', [type, ordering, value, UUID.toUpperCase()]],
    ['an id with more after it', [type, ordering, value, `${UUID}x`]],
    ['a huge id', [type, ordering, value, HUGE]],
  ];
  const bad = DATE_ORDERINGS.includes(ordering as string) ? [...BAD_VALUES, ...BAD_DATES] : BAD_VALUES;
  for (const value of bad) edits.push([`the value ${JSON.stringify(value).slice(0, 40)}`, [type, ordering, value, id]]);
  // NULL is a value only of the nullable ordering (LAST_NAME).
  if (ordering !== 'LAST_NAME_KEY') edits.push(['a null value', [type, ordering, null, id]]);
  return edits;
}

/** Edits of a feed cursor's fields [feed, position]. */
function feedEdits([feed, position]: unknown[]): [string, unknown][] {
  const edits: [string, unknown][] = [
    ['no fields', []],
    ['an object', { feed, position }],
    ['null', null],
    ['a missing position', [feed]],
    ['an extra element', [feed, position, 'more']],
    ['another connection', ['Contact', position]],
    ['an emptied connection', ['', position]],
    ['a null connection', [null, position]],
  ];
  const positions: unknown[] = [
    '9223372036854775808', '99999999999999999999', '18446744073709551616', '-1', '', ' 1', '01', '1.5', '1e3', '0x10',
    null, 1, 9223372036854775808, true, {}, [], HUGE, '2026-12-06T12:00:00.000Z',
  ];
  for (const bad of positions) edits.push([`the position ${JSON.stringify(bad).slice(0, 40)}`, [feed, bad]]);
  return edits;
}

/** A cursor with these fields, spelt as the gateway would spell it but signed with another key, or not at all. */
function forgeries(fields: unknown): [string, string][] {
  const payload = Buffer.from(JSON.stringify(fields) ?? 'null', 'utf8').toString('base64url');
  return [
    ['unsigned', payload],
    ['with a made-up signature', `${payload}.${Buffer.alloc(16).toString('base64url')}`],
    ['signed with another key', sealCursor(Buffer.alloc(32, 7), Array.isArray(fields) ? fields : [fields])],
  ];
}

describe.each(connections)('$name refuses every tampered cursor', (connection) => {
  it('a valid cursor still pages, after and before', async () => {
    const [first, second] = await cursorsOf(connection);
    expect((await connection.page(first!)).body.errors).toBeUndefined();
    const before = await connection.page(second ?? first!, 'before');
    expect(before.body.errors).toBeUndefined();
  });

  it('edited fields, re-signed with the gateway\'s own key: the fields are checked after the signature', async () => {
    const [cursor] = await cursorsOf(connection);
    const fields = fieldsOf(cursor!);
    const edits = connection.name === 'contactChanges' ? feedEdits(fields) : keysetEdits(fields);
    for (const [what, edited] of edits) {
      const resigned = sealCursor(signing, (Array.isArray(edited) ? edited : [edited]) as unknown[]);
      // A non-array was wrapped to be sealable; seal the bare value as well.
      const bare = `${Buffer.from(JSON.stringify(edited)).toString('base64url')}.${resigned.split('.')[1]}`;
      for (const direction of ['after', 'before'] as const) {
        expectRefused(await connection.page(resigned, direction), `${what}, re-signed, ${direction}`);
        expectRefused(await connection.page(bare, direction), `${what}, bare, ${direction}`);
      }
    }
  });

  it('edited or not, a cursor the gateway did not sign is refused', async () => {
    const [cursor] = await cursorsOf(connection);
    const fields = fieldsOf(cursor!);
    const edits = connection.name === 'contactChanges' ? feedEdits(fields) : keysetEdits(fields);
    for (const [what, edited] of [['unedited', fields] as [string, unknown], ...edits]) {
      for (const [how, forged] of forgeries(edited)) expectRefused(await connection.page(forged), `${what}, ${how}`);
    }
  });

  it('text that is no cursor at all: not base64, empty, huge, spelt differently', async () => {
    const [cursor] = await cursorsOf(connection);
    const [body, tag] = cursor!.split('.') as [string, string];
    const texts: [string, string][] = [
      ['empty', ''],
      ['not base64', '!!!not base64!!!'],
      ['percent signs', '%%%.%%%'],
      ['only a dot', '.'],
      ['no signature', `${body}.`],
      ['no payload', `.${tag}`],
      ['two dots', `${body}.${tag}.${tag}`],
      ['padded', `${body}=.${tag}`],
      ['standard base64', `${Buffer.from(body, 'base64url').toString('base64')}.${tag}`],
      ['whitespace', ` ${cursor}`],
      ['a newline inside', `${body.slice(0, 3)}\n${body.slice(3)}.${tag}`],
      ['huge', HUGE],
      ['huge with a valid end', `${'A'.repeat(50_000)}${cursor}`],
      ['an old unsigned cursor', Buffer.from('feed:1').toString('base64')],
    ];
    // Standard base64 may spell some payloads exactly as base64url does: only a different text is an edit.
    for (const [what, text] of texts.filter(([, text]) => text !== cursor)) expectRefused(await connection.page(text), what);
  });
});

describe('random edits of a valid cursor (fast-check)', () => {
  it.each(connections)('$name: every edit that changes the text or the signed bytes is BAD_USER_INPUT', async (connection) => {
    const [cursor] = await cursorsOf(connection);
    const valid = cursor!;
    const [body, tag] = valid.split('.') as [string, string];
    const payload = Buffer.from(body, 'base64url');
    // Edits of the text: replace, insert or delete characters.
    const textEdit = fc.oneof(
      fc.record({ kind: fc.constant('replace' as const), at: fc.nat(valid.length - 1), text: fc.string({ minLength: 1, maxLength: 3, unit: 'binary' }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(valid.length), text: fc.string({ minLength: 1, maxLength: 3, unit: 'binary' }) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(valid.length - 1), text: fc.constant('') }),
    );
    await fc.assert(
      fc.asyncProperty(textEdit, async ({ kind, at, text }) => {
        const edited =
          kind === 'insert' ? valid.slice(0, at) + text + valid.slice(at)
          : kind === 'delete' ? valid.slice(0, at) + valid.slice(at + 1)
          : valid.slice(0, at) + text + valid.slice(at + text.length);
        fc.pre(edited !== valid);
        expectRefused(await connection.page(edited), JSON.stringify(edited));
      }),
      { numRuns: 60 },
    );
    // Edits of the signed bytes, spelt canonically, under the original signature.
    await fc.assert(
      fc.asyncProperty(fc.nat(payload.length - 1), fc.integer({ min: 1, max: 255 }), async (at, xor) => {
        const bytes = Buffer.from(payload);
        bytes[at] = bytes[at]! ^ xor;
        expectRefused(await connection.page(`${bytes.toString('base64url')}.${tag}`), `byte ${at} ^ ${xor}`);
      }),
      { numRuns: 40 },
    );
  });
});

describe('valid positions at the edges', () => {
  it('the largest feed position a cursor may hold pages to an empty page, not an error', async () => {
    const response = await connections.find((c) => c.name === 'contactChanges')!.page(sealCursor(signing, ['ContactChange', '9223372036854775807']));
    expect(dataOf(response).contactChanges.edges).toEqual([]);
  });

  it('the earliest and latest dates a cursor may hold page like any other', async () => {
    for (const date of ['0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z']) {
      const response = await connections[0]!.page(sealCursor(signing, ['Contact', 'CREATED_AT', date, UUID]));
      expect(response.body.errors, date).toBeUndefined();
    }
  });

  it("a cursor of one workspace's feed says nothing of another's: it holds the position only", async () => {
    const [cursor] = await cursorsOf(connections.find((c) => c.name === 'contactChanges')!);
    expect(fieldsOf(cursor!)).toEqual(['ContactChange', '1']);
  });
});

describe('the signing key', () => {
  const ask = async (gateway: ReturnType<typeof createGateway>, after: string) => {
    const response = await gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.apiKey}` },
      body: JSON.stringify({ query: 'query($c: String) { companies(first: 1, after: $c) { edges { cursor } } }', variables: { c: after } }),
    });
    return { status: response.status, body: await response.json() } as GraphQLResponse;
  };

  it('is kept in the database: another gateway on the same database accepts the cursors this one wrote', async () => {
    const [cursor] = await cursorsOf(connections.find((c) => c.name === 'companies')!);
    const another = createGateway({ store: t.store, adminToken: null, production: false, logger: { error: () => {} } });
    expect((await ask(another, cursor!)).body.errors).toBeUndefined();
  });

  it('comes from CURSOR_SECRET when it is set: cursors signed with the stored key are then refused', async () => {
    const [cursor] = await cursorsOf(connections.find((c) => c.name === 'companies')!);
    const secret = 's'.repeat(MIN_CURSOR_SECRET_LENGTH);
    const configured = createGateway({ store: t.store, adminToken: null, production: false, logger: { error: () => {} }, cursorSecret: secret });
    expectRefused(await ask(configured, cursor!), 'a cursor of the stored key');
    const own = dataOf(await ask(configured, sealCursor(keyFromSecret(secret), fieldsOf(cursor!))));
    expect(own.companies.edges).toHaveLength(1);
  });
});
