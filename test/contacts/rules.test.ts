// The pure write rules of src/contacts/, called directly: normalising one
// value, the next state of a contact from a change (left out vs null), what
// counts as a change, and the keys an upsert matches and locks by. The HTTP
// tests show the same rules through the API; these pin each rule alone.
import { describe, expect, it } from 'vitest';
import { canonicalLinkedInUrl, jsonDepth, lengthOf, normalizeEmail, normalizeNamespace, normalizeTags } from '../../src/contacts/normalize.js';
import { normalizePhone } from '../../src/contacts/phone.js';
import { displayName } from '../../src/contacts/display-name.js';
import { applyChanges, changedFields, emptyContact, type ContactState, type EmailEntry } from '../../src/contacts/contact-state.js';
import { fieldsToSkip, matchLockKeys, matchValues } from '../../src/contacts/matching.js';
import { validateContactInput } from '../../src/contacts/contact-input.js';
import { asArguments, atArgument } from '../../src/schema/argument-paths.js';
import { userError } from '../../src/errors.js';

describe('normalising one value', () => {
  it('lengths count code points, not UTF-16 units', () => {
    expect(lengthOf('😀a')).toBe(2);
    expect('😀a'.length).toBe(3);
    expect(lengthOf('')).toBe(0);
  });

  it('an email is stored trimmed and lowercase; a malformed one is refused', () => {
    expect(normalizeEmail('  Ann.Lee@Example.COM ')).toBe('ann.lee@example.com');
    expect(normalizeEmail('jürgen@bücher.de')).toBe('jürgen@bücher.de');
    for (const bad of ['ann', 'ann@', '@example.com', 'ann@example', 'a b@example.com', '.ann@example.com', 'ann.@example.com', 'a..b@example.com', 'ann@exa_mple.com', 'ann\u202e@example.com', `${'a'.repeat(65)}@example.com`]) {
      expect(normalizeEmail(bad), bad).toBeNull();
    }
    expect(normalizeEmail(`${'a'.repeat(64)}@example.com`)).not.toBeNull();
  });

  it('a LinkedIn profile URL in any common spelling is stored in one canonical form; any other URL is refused', () => {
    const canonical = 'https://www.linkedin.com/in/ann-lee';
    for (const spelling of ['linkedin.com/in/ann-lee', 'http://www.linkedin.com/in/ann-lee/', 'https://de.linkedin.com/in/ann-lee?trk=x', 'https://m.linkedin.com/in/ann-lee#top', ' HTTPS://WWW.LINKEDIN.COM/in/ann-lee ']) {
      expect(canonicalLinkedInUrl(spelling), spelling).toBe(canonical);
    }
    for (const bad of ['https://evil.com/in/ann-lee', 'https://www.linkedin.com/company/acme', 'https://www.linkedin.com/in/', 'https://www.linkedin.com:8443/in/ann-lee', 'https://user@www.linkedin.com/in/ann-lee', 'https://www.linkedin.com/in/ann/lee', 'https://www.linkedin.com/in/%E0%A4%A']) {
      expect(canonicalLinkedInUrl(bad), bad).toBeNull();
    }
  });

  it('tags are trimmed, empty ones dropped, exact duplicates merged, sorted by code point (not by locale)', () => {
    expect(normalizeTags([' b', 'a', 'b ', '', '  ', 'B', 'ä'])).toEqual(['B', 'a', 'b', 'ä']);
  });

  it('a namespace is case-insensitive; a JSON value has a depth without recursion', () => {
    expect(normalizeNamespace(' SalesForce ')).toBe('salesforce');
    expect([jsonDepth(1), jsonDepth({}), jsonDepth({ a: [1, { b: 2 }] })]).toEqual([0, 1, 3]);
    let deep: unknown = 0;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(jsonDepth(deep)).toBe(100_000);
  });

  it('a phone is compared on E.164; a number without + uses the default country, an unknown one counts as none', () => {
    expect(normalizePhone('(202) 555-0100', 'US')).toEqual({ e164: '+12025550100', country: 'US' });
    expect(normalizePhone('(202) 555-0100', 'us')).toEqual({ e164: '+12025550100', country: 'US' });
    expect(normalizePhone('+44 20 7946 0958', 'US')).toEqual({ e164: '+442079460958', country: 'GB' });
    expect(normalizePhone('020 7946 0958', 'GB')).toEqual({ e164: '+442079460958', country: 'GB' });
    expect(normalizePhone('(202) 555-0100', null)).toBeNull();
    expect(normalizePhone('(202) 555-0100', 'XX')).toBeNull();
    for (const bad of ['', '   ', '123', 'call me', `+1 202 555 0100${' '.repeat(60)}1`]) expect(normalizePhone(bad, 'US'), bad).toBeNull();
  });

  it('displayName: the names, else the primary email, else the primary phone, else "Unnamed contact"', () => {
    const none = { firstName: null, lastName: null, primaryEmail: null, primaryPhoneE164: null };
    expect(displayName({ ...none, firstName: ' Ann ', lastName: 'Lee' })).toBe('Ann Lee');
    expect(displayName({ ...none, lastName: 'Lee', primaryEmail: 'a@x.test' })).toBe('Lee');
    expect(displayName({ ...none, firstName: '  ', primaryEmail: 'a@x.test', primaryPhoneE164: '+12025550100' })).toBe('a@x.test');
    expect(displayName({ ...none, primaryPhoneE164: '+12025550100' })).toBe('+12025550100');
    expect(displayName(none)).toBe('Unnamed contact');
  });
});

const work = (address: string): EmailEntry => ({ address, type: 'WORK' });
const personal = (address: string): EmailEntry => ({ address, type: 'PERSONAL' });

function contact(overrides: Partial<ContactState>): ContactState {
  return { ...emptyContact('API'), ...overrides };
}

describe('the next state of a contact from a change', () => {
  const current = contact({ firstName: 'Ann', lastName: 'Lee', tags: ['a'], emails: [work('a@x.test'), personal('b@x.test')] });

  it('a field left out is unchanged; a field set to null is cleared', () => {
    const next = applyChanges(current, { firstName: null });
    expect(next).toEqual({ ...current, firstName: null });
    expect(applyChanges(current, {})).toEqual(current);
  });

  it('a list given replaces the list, its first entry primary, duplicates stored once', () => {
    expect(applyChanges(current, { emails: [work('c@x.test'), work('a@x.test'), personal('c@x.test')] }).emails).toEqual([work('c@x.test'), work('a@x.test')]);
    expect(applyChanges(current, { tags: [] }).tags).toEqual([]);
  });

  it('the singular email becomes primary, keeping the type the list gives it; null removes the primary and the next one is primary', () => {
    expect(applyChanges(current, { email: work('b@x.test') }).emails).toEqual([personal('b@x.test'), work('a@x.test')]);
    expect(applyChanges(current, { email: personal('new@x.test') }).emails).toEqual([personal('new@x.test'), work('a@x.test'), personal('b@x.test')]);
    expect(applyChanges(current, { email: null }).emails).toEqual([personal('b@x.test')]);
  });

  it('with a list and a null singular, the list decides', () => {
    expect(applyChanges(current, { email: null, emails: [work('z@x.test')] }).emails).toEqual([work('z@x.test')]);
  });

  it('changed fields name the contract fields that differ; the primary email is a field of its own; customFields key order is no change', () => {
    expect(changedFields(current, applyChanges(current, { email: work('b@x.test') }))).toEqual(['email', 'emails']);
    expect(changedFields(current, applyChanges(current, { emails: [work('a@x.test'), work('b@x.test')] }))).toEqual(['emails']);
    expect(changedFields(current, applyChanges(current, { firstName: 'Ann', tags: ['a'] }))).toEqual([]);
    const withFields = contact({ customFields: { a: 1, b: { c: 2, d: 3 } } });
    expect(changedFields(withFields, applyChanges(withFields, { customFields: { b: { d: 3, c: 2 }, a: 1 } }))).toEqual([]);
    expect(changedFields(withFields, applyChanges(withFields, { customFields: { a: 1 } }))).toEqual(['customFields']);
  });
});

describe('the keys an upsert matches and locks by', () => {
  const ws = '00000000-0000-0000-0000-00000000000a';
  const changes = { email: work('a@x.test'), emails: [work('b@x.test')], phones: [{ number: '202 555 0100', e164: '+12025550100', type: 'MOBILE' as const, country: 'US' }] };

  it('it is matched by the primary email and phone as sent: the singular, else the first of the list', () => {
    expect(matchValues(changes)).toEqual({ email: { address: 'a@x.test', field: 'email' }, phone: { e164: '+12025550100', field: 'phones' } });
    expect(matchValues({ emails: [work('b@x.test')] })).toEqual({ email: { address: 'b@x.test', field: 'emails' }, phone: null });
    expect(matchValues({})).toEqual({ email: null, phone: null });
  });

  it('an external ref is the only key when given; otherwise the keys of the workspace sequence that the input has', () => {
    const values = matchValues(changes);
    expect(matchLockKeys(ws, ['EMAIL', 'PHONE'], values, { namespace: 'crm', externalId: '7' })).toEqual([`ref:${ws}:crm:7`]);
    expect(matchLockKeys(ws, ['EMAIL', 'PHONE'], values, null)).toEqual([`email:${ws}:a@x.test`, `phone:${ws}:+12025550100`]);
    expect(matchLockKeys(ws, ['PHONE'], values, null)).toEqual([`phone:${ws}:+12025550100`]);
    expect(matchLockKeys(ws, ['EMAIL', 'PHONE'], matchValues({}), null)).toEqual([]);
  });

  it('a key that matched another contact is skipped from the write: the singular and the list that carry it', () => {
    const values = matchValues(changes);
    expect(fieldsToSkip(changes, values, ['EMAIL'])).toEqual(['email']);
    expect(fieldsToSkip(changes, values, ['PHONE'])).toEqual(['phones']);
    expect(fieldsToSkip({ ...changes, emails: [work('a@x.test')] }, values, ['EMAIL', 'PHONE'])).toEqual(['email', 'emails', 'phones']);
    expect(fieldsToSkip(changes, values, [])).toEqual([]);
  });
});

describe('where an error points', () => {
  const noCountry = { defaultCountry: null };

  it('a rule names the field of the input as sent: a tag by its index before sorting, a list entry by its index', () => {
    const { errors } = validateContactInput({ tags: ['zzz', 'a'.repeat(121)], emails: [{ address: 'ok@x.test' }, { address: 'nope' }] }, noCountry);
    expect(errors.map((e) => [e.code, e.field])).toEqual([
      ['TOO_LONG', ['tags', '1']],
      ['INVALID_EMAIL', ['emails', '1', 'address']],
    ]);
  });

  it('a company id that names no company is NOT_FOUND at its path; exactly one of id and name', () => {
    const { errors } = validateContactInput(
      { connections: [{ company: { id: null }, primary: true }, { company: { id: 'x', name: 'Acme' } }, { company: { name: ' ' } }] },
      noCountry,
    );
    expect(errors.map((e) => [e.code, e.field])).toEqual([
      ['NOT_FOUND', ['connections', '0', 'company', 'id']],
      ['INVALID', ['connections', '1', 'company']],
      ['INVALID', ['connections', '2', 'company', 'name']],
    ]);
  });

  it('the schema puts a rule\'s paths under the argument it came from, or renames the parameter they start with', () => {
    const failed = { ok: false as const, userErrors: [userError('TOO_LONG', ['tags', '1'], 'm'), userError('NOT_FOUND', ['contactId'], 'm'), userError('LIMIT_EXCEEDED', null, 'm')] };
    const placed = atArgument(failed, ['inputs', '3']);
    expect(placed.ok === false && placed.userErrors.map((e) => e.field)).toEqual([
      ['inputs', '3', 'tags', '1'], ['inputs', '3', 'contactId'], null,
    ]);
    const renamed = asArguments(failed, { contactId: ['id'], constructor: ['never'] });
    expect(renamed.ok === false && renamed.userErrors.map((e) => e.field)).toEqual([['tags', '1'], ['id'], null]);
    expect(atArgument({ ok: true, value: 1 }, ['input'])).toEqual({ ok: true, value: 1 });
  });
});
