import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway, type TestWorkspace } from '../support/gateway.js';
import { create, createCompany, getContact, update, upsert } from '../support/contacts.js';

let t: TestGateway;
let ws: TestWorkspace;
let company: string;
beforeAll(async () => {
  t = await startTestGateway();
  ws = await t.newWorkspace();
  company = await createCompany(ws, 'Known');
});
afterAll(() => t.close());

const foreignCompany = Buffer.from('Company:00000000-0000-7000-8000-000000000001').toString('base64');
const x = (n: number) => 'x'.repeat(n);
// Characters are counted, not UTF-16 units: 100 emoji are 100 characters.
const emoji = (n: number) => '😀'.repeat(n);

// [name, input, code, field]: each input is wrong in exactly one way.
const cases: [string, Record<string, unknown>, string, string[]][] = [
  ['firstName over 100 characters', { firstName: x(101) }, 'TOO_LONG', ['input', 'firstName']],
  ['lastName over 100 characters (emoji)', { lastName: emoji(101) }, 'TOO_LONG', ['input', 'lastName']],
  ['strategy over 4000 characters', { strategy: x(4001) }, 'TOO_LONG', ['input', 'strategy']],
  ['email over 254 characters', { email: `${x(250)}@x.test` }, 'TOO_LONG', ['input', 'email']],
  ['an invalid email', { email: 'not an email' }, 'INVALID_EMAIL', ['input', 'email']],
  ['an invalid email in the list', { emails: [{ address: 'ok@x.test' }, { address: 'a@b' }] }, 'INVALID_EMAIL', ['input', 'emails', '1', 'address']],
  ['phone over 20 characters', { phone: '+1 202 555 0100 000000' }, 'TOO_LONG', ['input', 'phone']],
  ['an unparseable phone', { phone: 'call me' }, 'INVALID_PHONE', ['input', 'phone']],
  ['an invalid phone in the list', { phones: [{ number: '+12025550100' }, { number: '+1 123' }] }, 'INVALID_PHONE', ['input', 'phones', '1', 'number']],
  ['a list phone over 30 characters', { phones: [{ number: `+1 202 555 0100${' '.repeat(20)}` }] }, 'TOO_LONG', ['input', 'phones', '0', 'number']],
  ['a language that is not ISO 639-1', { primaryLanguage: 'xx' }, 'INVALID_LANGUAGE', ['input', 'primaryLanguage']],
  ['a language over 10 characters', { primaryLanguage: 'english-long' }, 'TOO_LONG', ['input', 'primaryLanguage']],
  ['a URL that is not a LinkedIn profile', { linkedInUrl: 'https://example.com/in/ada' }, 'INVALID_URL', ['input', 'linkedInUrl']],
  ['a LinkedIn company page', { linkedInUrl: 'https://www.linkedin.com/company/acme' }, 'INVALID_URL', ['input', 'linkedInUrl']],
  ['two primary connections', { connections: [{ company: { id: 'C1' }, primary: true }, { company: { id: 'C1b' }, primary: true }] }, 'PRIMARY_CONNECTION', ['input', 'connections']],
  ['no primary connection among two', { connections: [{ company: { id: 'C1' } }, { company: { id: 'C1b' } }] }, 'PRIMARY_CONNECTION', ['input', 'connections']],
  ['a single connection with primary: false', { connections: [{ company: { id: 'C1' }, primary: false }] }, 'PRIMARY_CONNECTION', ['input', 'connections']],
  ['a company of another workspace', { connections: [{ company: { id: foreignCompany } }] }, 'NOT_FOUND', ['input', 'connections', '0', 'company', 'id']],
  ['a malformed company id', { connections: [{ company: { id: 'nope' } }] }, 'NOT_FOUND', ['input', 'connections', '0', 'company', 'id']],
  ['customFields that are not an object', { customFields: [1, 2] }, 'INVALID', ['input', 'customFields']],
  ['a ref namespace over 50 characters', { externalRefs: [{ namespace: x(51), externalId: '1' }] }, 'TOO_LONG', ['input', 'externalRefs', '0', 'namespace']],
  ['a ref id over 255 characters', { externalRefs: [{ namespace: 'crm', externalId: x(256) }] }, 'TOO_LONG', ['input', 'externalRefs', '0', 'externalId']],
  ['a NUL character in a name', { firstName: 'a\u0000b' }, 'INVALID_TEXT', ['input', 'firstName']],
  ['a NUL character deep in customFields', { customFields: { a: ['x\u0000'] } }, 'INVALID_TEXT', ['input', 'customFields', 'a', '0']],
  ['a NUL character in a ref id', { externalRefs: [{ namespace: 'crm', externalId: 'a\u0000' }] }, 'INVALID_TEXT', ['input', 'externalRefs', '0', 'externalId']],
  ['an empty ref namespace', { externalRefs: [{ namespace: ' ', externalId: '1' }] }, 'INVALID', ['input', 'externalRefs', '0', 'namespace']],
];

/** Replaces company placeholders with real ids of this workspace. */
function withCompanies(input: Record<string, unknown>, second: string) {
  return JSON.parse(JSON.stringify(input).replaceAll('"C1b"', JSON.stringify(second)).replaceAll('"C1"', JSON.stringify(company)));
}

// Company names are unique per workspace: each case makes its own.
let companies = 0;

describe('each bad input gets its error code and field path, and the stored contact is unchanged (API.md, Rules)', () => {
  for (const [name, input, code, field] of cases) {
    it(`${code} for ${name}`, async () => {
      const second = await createCompany(ws, `Second ${++companies}`);
      const payloadInput = withCompanies(input, second);
      const before = (await create(ws, { firstName: 'Stable', email: 'stable@x.test', tags: ['keep'] })).contact;
      const count = await t.store.prisma.contact.count({ where: { workspaceId: ws.id } });

      const updated = await update(ws, before.id, { lastName: 'Changed', ...payloadInput });
      expect(updated.contact).toBeNull();
      expect(updated.userErrors).toEqual([expect.objectContaining({ code, field })]);
      expect(typeof updated.userErrors[0].message).toBe('string');
      expect(await getContact(ws, before.id)).toEqual(before);

      const created = await create(ws, { firstName: 'New', ...payloadInput });
      expect(created).toEqual({ contact: null, userErrors: [expect.objectContaining({ code, field })] });
      const { externalRefs: _refs, ...upsertInput } = payloadInput;
      if (!('externalRefs' in payloadInput)) {
        const upserted = await upsert(ws, { email: 'stable@x.test', lastName: 'Changed', ...upsertInput });
        expect(upserted.userErrors).toEqual([expect.objectContaining({ code, field })]);
        expect(upserted.contact).toBeNull();
      }
      expect(await t.store.prisma.contact.count({ where: { workspaceId: ws.id } })).toBe(count);
      expect(await getContact(ws, before.id)).toEqual(before);
    });
  }

  it('reports every error of one input together', async () => {
    const result = await create(ws, { firstName: x(101), email: 'bad', phone: 'bad', primaryLanguage: 'zz', linkedInUrl: 'ftp://x' });
    expect(result.userErrors.map((e: { code: string }) => e.code).sort()).toEqual(['INVALID_EMAIL', 'INVALID_LANGUAGE', 'INVALID_PHONE', 'INVALID_URL', 'TOO_LONG']);
  });

  it('accepts values exactly at the limits', async () => {
    const result = await create(ws, { firstName: emoji(100), lastName: x(100), strategy: x(4000), primaryLanguage: 'de' });
    expect(result.userErrors).toEqual([]);
    expect(result.contact.firstName).toBe(emoji(100));
  });

  it('answers a wrong type with a GraphQL validation error, not a 500', async () => {
    const response = await ws.gql('mutation { createContact(input: { firstName: 12, blocked: "yes" }) { userErrors { code } } }');
    expect(response.status).toBeGreaterThanOrEqual(200);
    expect(response.status).toBeLessThan(500);
    expect(response.body.errors?.length).toBeGreaterThan(0);
  });
});
