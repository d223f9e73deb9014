// fast-check generators of hostile client input for the property tests:
// unicode of every plane, control characters, huge strings, numbers in every
// format, wrong types.
import fc from 'fast-check';

const controlChar = fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c));
const weird = fc.constantFrom('\u0000', '\u200b', '\u202e', '\ufeff', '\ud83d\ude00', 'e\u0301', '\u{10ffff}', '\\', '"', "'", '%s', '${x}', '<script>', "'; DROP TABLE \"Contact\"; --", '\r\n');

/** Any string a client might send: short or huge, plain or hostile. */
export const anyString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.oneof(fc.constantFrom('a', ' ', '1', '+', '@', '.', '-'), controlChar, weird), maxLength: 30 }) },
  { weight: 1, arbitrary: fc.integer({ min: 90, max: 5000 }).chain((n) => fc.constantFrom('x', 'é', '😀', '\u0007').map((c) => c.repeat(n))) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
);

/** Numbers written every way a phone, an id or an amount could come. */
export const numberString = fc.oneof(
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom('+1 202 555 0100', '(202) 555-0100', '+44 20 7946 0958', '00442079460958', '1e3', '0x1F', '-0', 'NaN', 'Infinity', '١٢٣٤٥', '+', '++1', '+999999999999999999999', '0'.repeat(40)),
);

const email = fc.oneof(fc.emailAddress(), anyString, fc.constantFrom('A@B.C', 'a@b', '@x.test', 'a@@x.test', ' Mixed@Case.Test '));
const phone = fc.oneof(numberString, anyString);

/** A value for any field, of a type the schema may not expect. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((n) => Number(n)),
  anyString,
  fc.array(anyString, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), anyString, { maxKeys: 3 }),
);

/** Half plausible inputs (so that writes happen too), half hostile ones. */
export function contactInput(companyIds: string[]) {
  return fc.oneof(plausibleContactInput(companyIds), hostileContactInput(companyIds));
}

/** Inputs a well-behaved client sends, with unicode names: mostly written. */
export function plausibleContactInput(companyIds: string[]) {
  return fc.record(
    {
      firstName: fc.option(fc.string({ unit: 'grapheme', maxLength: 30 }), { nil: null }),
      lastName: fc.string({ unit: 'grapheme-composite', maxLength: 30 }),
      email: fc.emailAddress({ size: 'small' }),
      phones: fc.array(fc.record({ number: fc.constantFrom('+1 202 555 0100', '+44 20 7946 0958', '+33 1 42 68 53 00', '+1 (415) 555-2671') }), { maxLength: 2 }),
      tags: fc.array(fc.string({ unit: 'grapheme', maxLength: 12 }), { maxLength: 4 }),
      connections: fc.constantFrom([], [{ company: { id: companyIds[0] ?? '' } }]),
      primaryLanguage: fc.constantFrom('en', 'FR', 'de', null),
      strategy: fc.string({ unit: 'grapheme', maxLength: 200 }),
      blocked: fc.boolean(),
      profilePictureId: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      customFields: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    },
    { requiredKeys: [] },
  );
}

/** An UpsertContactInput/UpdateContactInput whose fields have the right GraphQL types but hostile values. */
export function hostileContactInput(companyIds: string[]) {
  const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 4 });
  return fc.record(
    {
      firstName: optional(anyString),
      lastName: optional(anyString),
      email: optional(email),
      emails: optional(fc.array(fc.record({ address: email, type: fc.constantFrom('WORK', 'PERSONAL', 'OTHER') }, { requiredKeys: ['address'] }), { maxLength: 4 })),
      phone: optional(phone),
      phones: optional(fc.array(fc.record({ number: phone, type: fc.constantFrom('MOBILE', 'WORK', 'HOME', 'FAX', 'OTHER') }, { requiredKeys: ['number'] }), { maxLength: 4 })),
      connections: optional(
        fc.array(
          fc.record(
            { company: fc.record({ id: fc.oneof(fc.constantFrom(...companyIds), anyString) }), jobTitle: optional(anyString), primary: fc.option(fc.boolean(), { nil: null }) },
            { requiredKeys: ['company'] },
          ),
          { maxLength: 3 },
        ),
      ),
      primaryLanguage: optional(fc.oneof(fc.constantFrom('en', 'FR', 'xx', 'eng', ''), anyString)),
      strategy: optional(anyString),
      tags: optional(fc.array(anyString, { maxLength: 6 })),
      linkedInUrl: optional(fc.oneof(fc.constantFrom('https://www.linkedin.com/in/x', 'linkedin.com/in/a-b/', 'http://evil.test/in/x', 'javascript:alert(1)'), anyString)),
      blocked: fc.option(fc.boolean(), { nil: null }),
      profilePictureId: fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { nil: null }),
      addresses: optional(fc.array(fc.record({ city: optional(anyString), country: optional(anyString), postalCode: optional(numberString) }, { requiredKeys: [] }), { maxLength: 2 })),
      customFields: optional(fc.oneof(fc.dictionary(anyString, anyValue, { maxKeys: 4 }), anyValue)),
      source: fc.constantFrom('MANUAL', 'IMPORT', 'API', 'SYNC'),
    },
    { requiredKeys: [] },
  );
}

/** The same input with one field of the wrong GraphQL type (or an unknown field). */
export function wrongTypeInput() {
  const fields = ['firstName', 'email', 'emails', 'phones', 'tags', 'blocked', 'profilePictureId', 'connections', 'source', 'unknownField', 'primaryLanguage'];
  return fc.record({ field: fc.constantFrom(...fields), value: anyValue }).map(({ field, value }) => ({ [field]: value }));
}
