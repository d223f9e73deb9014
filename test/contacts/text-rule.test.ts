// The text rule (docs/behaviour.md, Text) and the bounds on the arguments of
// reads (docs/security.md, Bounds on arguments), through the HTTP surface.
import { beforeAll, describe, expect, it } from 'vitest';
import { getNamedType, isInputObjectType, isObjectType, type GraphQLInputType } from 'graphql';
import { ADMIN_TOKEN, dataOf, type GraphQLResponse, useTestWorkspace } from '../support/gateway.js';
import { CONTACT_FIELDS } from '../support/contacts.js';
import { schema } from '../../src/schema/index.js';
import { maxLengthOf, MAX_SEARCH } from '../../src/schema/bounds.js';

const { t, ws } = useTestWorkspace();

/** One of each kind of character the rule refuses. */
const BAD: Record<string, string> = {
  NUL: '\u0000',
  'a C0 control': '\u0007',
  'an escape': '\u001b',
  DEL: '\u007f',
  'a C1 control': '\u0085',
  'an unpaired high surrogate': '\ud800',
  'an unpaired low surrogate': '\udc00',
  'a reversed pair': '\ude00\ud83d',
};

type Json = Record<string, unknown>;
const clone = <T>(value: T): T => structuredClone(value);

/** A valid input with a value at every text field, and the paths of those fields. */
function baseFields(tag: string): Json {
  return {
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: `ada-${tag}@example.com`,
    emails: [{ address: `ada-${tag}@example.com` }, { address: `ada2-${tag}@example.com` }],
    phones: [{ number: '+14155550101' }],
    primaryLanguage: 'en',
    strategy: 'Keep in touch.',
    tags: ['alpha', 'beta'],
    linkedInUrl: 'https://www.linkedin.com/in/ada',
    addresses: [{ type: 'home', street1: '1 Main St', street2: 'Flat 2', city: 'London', state: 'LDN', countrySubdivision: 'GB-LND', country: 'GB', postalCode: 'N1' }],
    customFields: { a: { b: 'c' }, list: ['x', 'y'] },
    connections: [{ company: { name: `Acme ${tag}` }, jobTitle: 'Engineer' }],
    gender: 'female',
    website: 'https://example.com/ada',
    timeZone: 'Europe/London',
    assignedTo: 'owner-1',
  };
}

const COMMON_PATHS: string[][] = [
  ['firstName'], ['lastName'], ['email'], ['emails', '1', 'address'], ['phones', '0', 'number'], ['primaryLanguage'], ['strategy'],
  ['tags', '1'], ['linkedInUrl'],
  ...['type', 'street1', 'street2', 'city', 'state', 'countrySubdivision', 'country', 'postalCode'].map((part) => ['addresses', '0', part]),
  ['customFields', 'a', 'b'], ['customFields', 'list', '1'], ['connections', '0', 'company', 'name'], ['connections', '0', 'jobTitle'],
  ['gender'], ['website'], ['timeZone'], ['assignedTo'],
];
const REF_PATHS = (field: string, index?: string) => ['namespace', 'externalId'].map((part) => (index === undefined ? [field, part] : [field, index, part]));

/** `input` with `bad` put inside the string at `path`. */
function spoiled(input: Json, path: string[], bad: string): Json {
  const copy = clone(input);
  let at: any = copy;
  for (const key of path.slice(0, -1)) at = at[key];
  const last = path[path.length - 1]!;
  expect(typeof at[last], `a string at ${path.join('.')}`).toBe('string');
  at[last] = `${at[last].slice(0, 1)}${bad}${at[last].slice(1)}`;
  return copy;
}

const PAYLOAD = `contact { id version } userErrors { code field message }`;
const UPSERT = `mutation($input: UpsertContactInput!) { upsertContact(input: $input) { ${PAYLOAD} created } }`;
const CREATE = `mutation($input: CreateContactInput!) { createContact(input: $input) { ${PAYLOAD} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { ${PAYLOAD} } }`;
const UPSERTS = `mutation($inputs: [UpsertContactInput!]!) { upsertContacts(inputs: $inputs) { results { ${PAYLOAD} created } userErrors { code field } } }`;

const counts = async () => ({
  contacts: await t.store.prisma.contact.count({ where: { workspaceId: ws.id } }),
  companies: await t.store.prisma.company.count({ where: { workspaceId: ws.id } }),
  changes: await t.store.prisma.contactChange.count({ where: { workspaceId: ws.id } }),
});

function expectInvalidText(userErrors: { code: string; field: string[] }[], field: string[]) {
  expect(userErrors).toEqual([expect.objectContaining({ code: 'INVALID_TEXT', field })]);
}

describe('a refused character in any text field of a contact mutation', () => {
  const upsertBase = { ...baseFields('upsert'), externalRef: { namespace: 'crm', externalId: 'U-1' } };
  const createBase = { ...baseFields('create'), externalRef: { namespace: 'crm', externalId: 'C-1' }, externalRefs: [{ namespace: 'erp', externalId: 'C-2' }] };
  const updateBase = { ...baseFields('update'), externalRefs: [{ namespace: 'erp', externalId: 'D-2' }] };
  let existing: { id: string; version: number };
  let before: Awaited<ReturnType<typeof counts>>;

  beforeAll(async () => {
    const first = dataOf(await ws.gql(UPSERT, { input: upsertBase })).upsertContact;
    expect(first.userErrors).toEqual([]);
    existing = first.contact;
    before = await counts();
  });

  const cases: [string, string, Json, string[][]][] = [
    ['upsertContact', UPSERT, upsertBase, [...COMMON_PATHS, ...REF_PATHS('externalRef')]],
    ['createContact', CREATE, createBase, [...COMMON_PATHS, ...REF_PATHS('externalRef'), ...REF_PATHS('externalRefs', '0')]],
    ['updateContact', UPDATE, updateBase, [...COMMON_PATHS, ...REF_PATHS('externalRefs', '0')]],
    ['upsertContacts', UPSERTS, upsertBase, [...COMMON_PATHS, ...REF_PATHS('externalRef')]],
  ];

  for (const [mutation, document, base, paths] of cases) {
    it(`${mutation}: INVALID_TEXT at the field's path for each kind of character, nothing written`, async () => {
      let checked = 0;
      for (const path of paths) {
        for (const [kind, bad] of Object.entries(BAD)) {
          const input = spoiled(base, path, bad);
          const response =
            mutation === 'updateContact'
              ? await ws.gql(document, { id: existing.id, input })
              : mutation === 'upsertContacts'
                ? await ws.gql(document, { inputs: [upsertBase, upsertBase, upsertBase, input] })
                : await ws.gql(document, { input });
          expect(response.status, `${kind} at ${path.join('.')}`).toBe(200);
          const data = dataOf(response)[mutation];
          if (mutation === 'upsertContacts') {
            expect(data.userErrors).toEqual([]);
            // The three valid inputs are identical resends of the existing contact: no change.
            expect(data.results.slice(0, 3).map((r: any) => [r.created, r.contact.version, r.userErrors])).toEqual(Array(3).fill([false, existing.version, []]));
            expectInvalidText(data.results[3].userErrors, ['inputs', '3', ...path]);
            expect(data.results[3].contact).toBeNull();
          } else {
            expectInvalidText(data.userErrors, ['input', ...path]);
            expect(data.contact).toBeNull();
          }
          checked++;
        }
        expect(await counts(), `nothing written for ${path.join('.')}`).toEqual(before);
      }
      expect(checked).toBe(paths.length * Object.keys(BAD).length);
      const stored = dataOf(await ws.gql('query($id: ID!) { contact(id: $id) { version } }', { id: existing.id })).contact;
      expect(stored.version).toBe(existing.version);
    });
  }

  it('a refused character in a customFields key: INVALID_TEXT at the path of its object', async () => {
    for (const bad of Object.values(BAD)) {
      const input = { ...clone(upsertBase), customFields: { a: { [`k${bad}`]: 'v' } } };
      const data = dataOf(await ws.gql(UPSERT, { input })).upsertContact;
      expectInvalidText(data.userErrors, ['input', 'customFields', 'a']);
    }
    expect(await counts()).toEqual(before);
  });

  it('every refused string is reported', async () => {
    const input = { firstName: 'a\u0000', customFields: { x: ['ok', 'b\ud800'] }, emails: [{ address: 'c\u0001@example.com' }] };
    const data = dataOf(await ws.gql(CREATE, { input })).createContact;
    expect(data.userErrors.map((e: { code: string; field: string[] }) => [e.code, e.field]).sort()).toEqual([
      ['INVALID_TEXT', ['input', 'customFields', 'x', '1']],
      ['INVALID_TEXT', ['input', 'emails', '0', 'address']],
      ['INVALID_TEXT', ['input', 'firstName']],
    ]);
    expect(data.userErrors.map((e: { message: string }) => e.message.match(/U\+[0-9A-F]{4}/)?.[0]).sort()).toEqual(['U+0000', 'U+0001', 'U+D800']);
    expect(await counts()).toEqual(before);
  });

  it('tab, newline and carriage return are text', async () => {
    const data = dataOf(await ws.gql(CREATE, { input: { firstName: 'Tab', strategy: 'a\tb\nc\r\nd', customFields: { note: 'line\none' } } })).createContact;
    expect(data.userErrors).toEqual([]);
    await ws.gql('mutation($id: ID!) { deleteContact(id: $id) { userErrors { code } } }', { id: data.contact.id });
    before = await counts();
  });
});

describe('the text rule in the other mutations', () => {
  it('addContactTags and removeContactTags: INVALID_TEXT at the tag', async () => {
    const contact = dataOf(await ws.gql(CREATE, { input: { firstName: 'Tagged' } })).createContact.contact;
    for (const mutation of ['addContactTags', 'removeContactTags']) {
      for (const bad of Object.values(BAD)) {
        const data = dataOf(await ws.gql(`mutation($id: ID!, $tags: [String!]!) { ${mutation}(id: $id, tags: $tags) { ${PAYLOAD} } }`, { id: contact.id, tags: ['ok', `x${bad}`] }))[mutation];
        expectInvalidText(data.userErrors, ['tags', '1']);
      }
    }
    const stored = dataOf(await ws.gql('query($id: ID!) { contact(id: $id) { version tags } }', { id: contact.id })).contact;
    expect(stored).toEqual({ version: contact.version, tags: [] });
  });

  it('createCompany, updateCompany and updateWorkspaceSettings: INVALID_TEXT at the field', async () => {
    const company = dataOf(await ws.gql('mutation { createCompany(input: { name: "Text Co" }) { company { id } userErrors { code } } }')).createCompany.company;
    const companies = await t.store.prisma.company.count({ where: { workspaceId: ws.id } });
    for (const bad of Object.values(BAD)) {
      const created = dataOf(await ws.gql('mutation($input: CreateCompanyInput!) { createCompany(input: $input) { company { id } userErrors { code field } } }', { input: { name: `N${bad}` } })).createCompany;
      expect(created).toEqual({ company: null, userErrors: [{ code: 'INVALID_TEXT', field: ['input', 'name'] }] });
      const updated = dataOf(await ws.gql('mutation($id: ID!, $input: UpdateCompanyInput!) { updateCompany(id: $id, input: $input) { company { id } userErrors { code field } } }', { id: company.id, input: { domain: `a${bad}.com` } })).updateCompany;
      expect(updated).toEqual({ company: null, userErrors: [{ code: 'INVALID_TEXT', field: ['input', 'domain'] }] });
      const settings = dataOf(await ws.gql('mutation($input: WorkspaceSettingsInput!) { updateWorkspaceSettings(input: $input) { userErrors { code field } } }', { input: { defaultCountry: `G${bad}` } })).updateWorkspaceSettings;
      expect(settings).toEqual({ userErrors: [{ code: 'INVALID_TEXT', field: ['input', 'defaultCountry'] }] });
    }
    expect(await t.store.prisma.company.count({ where: { workspaceId: ws.id } })).toBe(companies);
  });

  it('createWorkspace: INVALID_TEXT at the name', async () => {
    const workspaces = await t.store.prisma.workspace.count();
    for (const bad of Object.values(BAD)) {
      const data = dataOf(await t.gql(`Bearer ${ADMIN_TOKEN}`, 'mutation($name: String!) { createWorkspace(name: $name) { apiKey userErrors { code field } } }', { name: `W${bad}` })).createWorkspace;
      expect(data).toEqual({ apiKey: null, userErrors: [{ code: 'INVALID_TEXT', field: ['name'] }] });
    }
    expect(await t.store.prisma.workspace.count()).toBe(workspaces);
  });
});

describe('bidi controls in emails', () => {
  it('are INVALID_EMAIL, in email and in emails', async () => {
    const contacts = await t.store.prisma.contact.count({ where: { workspaceId: ws.id } });
    for (const bidi of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069']) {
      const single = dataOf(await ws.gql(CREATE, { input: { email: `ad${bidi}a@example.com` } })).createContact;
      expect(single.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_EMAIL', field: ['input', 'email'] })]);
      const listed = dataOf(await ws.gql(CREATE, { input: { emails: [{ address: 'ok@example.com' }, { address: `x@exa${bidi}mple.com` }] } })).createContact;
      expect(listed.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_EMAIL', field: ['input', 'emails', '1', 'address'] })]);
    }
    expect(await t.store.prisma.contact.count({ where: { workspaceId: ws.id } })).toBe(contacts);
  });
});

describe('Unicode-rich text is stored as sent', () => {
  const rich = {
    firstName: 'Zoë 👩‍👩‍👧 Ñandú',
    lastName: 'e\u0301\u0302 שָׁלוֹם مرحبا',
    email: 'zoë@bücher.example.de',
    strategy: 'RTL: עברית ‏mark‎ and tab\there',
    tags: ['🏷️', 'مرحبا', 'naïve'],
    addresses: [{ city: 'Zürich', street1: 'ул. Пушкина, д. 1', country: 'ישראל' }],
    customFields: { ключ: 'значение 😀', nested: { א: 'x\u0301', list: ['𝔘𝔫𝔦𝔠𝔬𝔡𝔢'] } },
    connections: [{ company: { name: 'Société Générale 🇫🇷' }, jobTitle: 'Ingénieure' }],
    externalRef: { namespace: 'crm', externalId: 'ユニコード-1' },
  };

  it('an identical resend, by upsert and by update, does not bump the version', async () => {
    const first = dataOf(await ws.gql(`mutation($input: UpsertContactInput!) { upsertContact(input: $input) { contact { ${CONTACT_FIELDS} } created userErrors { code field } } }`, { input: rich })).upsertContact;
    expect(first.userErrors).toEqual([]);
    expect(first.created).toBe(true);
    expect(first.contact).toMatchObject({ firstName: rich.firstName, lastName: rich.lastName, strategy: rich.strategy, customFields: rich.customFields });
    expect(first.contact.tags).toEqual([...rich.tags].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(first.contact.addresses[0]).toMatchObject(rich.addresses[0]!);
    expect(first.contact.connections[0]).toMatchObject({ company: { name: rich.connections[0]!.company.name }, jobTitle: 'Ingénieure' });

    const again = dataOf(await ws.gql(UPSERT, { input: rich })).upsertContact;
    expect(again).toMatchObject({ created: false, userErrors: [], contact: { id: first.contact.id, version: first.contact.version } });
    const { externalRef: _ref, ...fields } = rich;
    const updated = dataOf(await ws.gql(UPDATE, { id: first.contact.id, input: fields })).updateContact;
    expect(updated).toMatchObject({ userErrors: [], contact: { version: first.contact.version } });
  });
});

// ------------------------------------------------------------------ reads

function expectBadUserInput(response: GraphQLResponse, what: string) {
  expect(response.status, what).toBeGreaterThanOrEqual(200);
  expect(response.status, what).toBeLessThan(500);
  expect(response.body.errors?.[0]?.extensions?.code, `${what}: ${JSON.stringify(response.body).slice(0, 300)}`).toBe('BAD_USER_INPUT');
  expect(response.body.data ?? null, what).toBeNull();
}

/** Every bounded string argument of a read: the query, the variables to send, and the bound. */
const READS: [string, string, (value: string) => Json, number][] = [
  ['contacts search', 'query($v: String) { contacts(filter: { search: $v }) { totalCount } }', (v) => ({ v }), MAX_SEARCH],
  ['contacts email', 'query($v: String) { contacts(filter: { email: $v }) { totalCount } }', (v) => ({ v }), 254],
  ['contacts phone', 'query($v: String) { contacts(filter: { phone: $v }) { totalCount } }', (v) => ({ v }), 30],
  ['contacts tag', 'query($v: String) { contacts(filter: { tag: $v }) { totalCount } }', (v) => ({ v }), 100],
  ['contacts externalNamespace', 'query($v: String) { contacts(filter: { externalNamespace: $v }) { totalCount } }', (v) => ({ v }), 50],
  ['contacts assignedTo', 'query($v: String) { contacts(filter: { assignedTo: $v }) { totalCount } }', (v) => ({ v }), 255],
  ['contacts companyId', 'query($v: ID) { contacts(filter: { companyId: $v }) { totalCount } }', (v) => ({ v }), 100],
  ['contacts filter as a variable', 'query($f: ContactFilter) { contacts(filter: $f) { totalCount } }', (v) => ({ f: { search: v } }), MAX_SEARCH],
  ['contacts after', 'query($v: String) { contacts(after: $v) { totalCount } }', (v) => ({ v }), 1000],
  ['companies search', 'query($v: String) { companies(filter: { search: $v }) { totalCount } }', (v) => ({ v }), MAX_SEARCH],
  ['companies before', 'query($v: String) { companies(last: 1, before: $v) { totalCount } }', (v) => ({ v }), 1000],
  ['contactByExternalRef namespace', 'query($v: String!) { contactByExternalRef(namespace: $v, externalId: "x") { id } }', (v) => ({ v }), 50],
  ['contactByExternalRef externalId', 'query($v: String!) { contactByExternalRef(namespace: "crm", externalId: $v) { id } }', (v) => ({ v }), 255],
  ['contact id', 'query($v: ID!) { contact(id: $v) { id } }', (v) => ({ v }), 100],
  ['company id', 'query($v: ID!) { company(id: $v) { id } }', (v) => ({ v }), 100],
  ['node id', 'query($v: ID!) { node(id: $v) { id } }', (v) => ({ v }), 100],
  ['nodes ids', 'query($v: ID!) { nodes(ids: ["x", $v]) { id } }', (v) => ({ v }), 100],
  ['contactChanges after', 'query($v: String) { contactChanges(after: $v) { edges { cursor } } }', (v) => ({ v }), 1000],
];

describe('string arguments of reads', () => {
  it('every String and ID argument outside the mutations declares a maximum length, stated in its description', () => {
    const unbounded: string[] = [];
    const visit = (type: GraphQLInputType, name: string, max: number | undefined, description: string | null | undefined, seen: Set<string>) => {
      const named = getNamedType(type);
      if (named.name === 'String' || named.name === 'ID') {
        if (max === undefined || !description?.includes(`most ${max} characters`)) unbounded.push(name);
      } else if (isInputObjectType(named) && !seen.has(named.name)) {
        for (const field of Object.values(named.getFields())) visit(field.type, `${name}.${field.name}`, maxLengthOf(field.extensions), field.description, new Set([...seen, named.name]));
      }
    };
    let checked = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__') || type === schema.getMutationType()) continue;
      for (const field of Object.values(type.getFields())) {
        for (const arg of field.args) {
          visit(arg.type, `${type.name}.${field.name}(${arg.name})`, maxLengthOf(arg.extensions), arg.description, new Set());
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(unbounded).toEqual([]);
  });

  for (const [what, query, variables, max] of READS) {
    it(`${what}: over ${max} characters is BAD_USER_INPUT before any SQL; ${max} characters (counted in code points) is not`, async () => {
      await ws.gql('{ contacts { totalCount } }'); // the key is known: no lookup below
      const seen = await t.statements(async () => expectBadUserInput(await ws.gql(query, variables('x'.repeat(max + 1))), what));
      expect(seen.filter((sql) => /"(Contact|Company|ExternalRef|ContactChange)"/.test(sql))).toEqual([]);
      expectBadUserInput(await ws.gql(query, variables('😀'.repeat(max + 1))), what);
      const atMost = await ws.gql(query, variables('😀'.repeat(max)));
      expect(atMost.status, what).toBeLessThan(500);
      expect(atMost.body.errors?.[0]?.message ?? '', what).not.toMatch(/longer than|must not contain/);
    });

    it(`${what}: a refused character is BAD_USER_INPUT, never a 500`, async () => {
      for (const [kind, bad] of Object.entries(BAD)) expectBadUserInput(await ws.gql(query, variables(`a${bad}b`)), `${what}, ${kind}`);
    });
  }

  it('literals are checked like variables, nested fields like root fields', async () => {
    expectBadUserInput(await ws.gql(`{ contacts(filter: { search: "${'x'.repeat(MAX_SEARCH + 1)}" }) { totalCount } }`), 'a literal');
    expectBadUserInput(await ws.gql('{ contacts(filter: { email: "a\\u0000b" }) { totalCount } }'), 'an escaped NUL in a literal');
    expectBadUserInput(await ws.gql('query($v: String) { companies { edges { node { contacts(filter: { search: $v }) { totalCount } } } } }', { v: 'a\ud800' }), 'Company.contacts');
    const company = dataOf(await ws.gql('mutation { createCompany(input: { name: "Nested Co" }) { company { id } } }')).createCompany.company;
    const nested = await ws.gql('mutation($id: ID!, $v: String) { updateCompany(id: $id, input: {}) { company { contacts(filter: { tag: $v }) { totalCount } } } }', { id: company.id, v: 'x'.repeat(101) });
    expectBadUserInput(nested, 'an argument in a mutation payload');
  });

  it('the bound holds for each id of nodes', async () => {
    expectBadUserInput(await ws.gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['a', 'x'.repeat(101)] }), 'nodes');
    const ok = await ws.gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['a', 'x'.repeat(100)] });
    expect(dataOf(ok).nodes).toEqual([null, null]);
  });
});
