// The mapping rules of the import, as plain functions: CSV columns, the four
// presets, and the value conversions (docs/import.md). No store, no HTTP.
import { describe, expect, it } from 'vitest';
import { ColumnError, csvRowToInput, planColumns } from '../../src/import/csv-columns.js';
import { mapGhl, doNotDisturbOf } from '../../src/import/presets/ghl.js';
import { mapInvestorCrm } from '../../src/import/presets/investor-crm.js';
import { mapUnifiedCrm } from '../../src/import/presets/unified-crm.js';
import { mapVoip } from '../../src/import/presets/voip.js';
import { guessPreset } from '../../src/import/presets/index.js';
import { date, dateTime, RecordBuilder } from '../../src/import/values.js';
import { contactKeys } from '../../src/import/import.js';

describe('CSV columns', () => {
  it('match fields case- and separator-insensitively, and through common aliases', () => {
    const header = ['First Name', 'last_name', 'EMAIL', 'phoneNumber', 'Company Name', 'Job Title', 'Zip', 'Country', 'custom.plan', 'Shoe Size'];
    const plan = planColumns(header, {});
    expect(plan.map((t) => (t.kind === 'field' ? t.field : t.kind === 'custom' ? `custom:${t.key}` : '-'))).toEqual([
      'firstName', 'lastName', 'email', 'phone', 'company', 'jobTitle', 'address.postalCode', 'address.country', 'custom:plan', 'custom:Shoe Size',
    ]);
    const row = csvRowToInput(header, plan, ['Ada', 'Lovelace', 'ada@example.com', '+44 20 7946 0018', 'Engines', 'CTO', 'N1', 'GB', 'pro', '']);
    expect(row.input).toEqual({
      firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0018',
      connections: [{ company: { name: 'Engines' }, jobTitle: 'CTO', primary: true }],
      addresses: [{ postalCode: 'N1', country: 'GB' }], customFields: { plan: 'pro' },
    });
    expect(row.origins.email).toBe('EMAIL');
  });

  it('two columns for one field need --map; --map names columns and fields the same loose way', () => {
    expect(() => planColumns(['Email', 'E-mail'], {})).toThrow(ColumnError);
    expect(planColumns(['Email', 'E-mail'], { 'e-mail': '-' })).toEqual([{ kind: 'field', field: 'email' }, { kind: 'ignore' }]);
    expect(planColumns(['Mail 2'], { 'mail 2': 'customFields.backup' })).toEqual([{ kind: 'custom', key: 'backup' }]);
    expect(() => planColumns(['A'], { A: 'shoeSize' })).toThrow(/no such field/);
    expect(() => planColumns(['A'], { B: 'email' })).toThrow(/has no column "B"/);
  });

  it('empty cells change nothing; lists, yes/no, whole numbers, dates and channels are converted or reported', () => {
    const header = ['Name', 'Tags', 'Blocked', 'Profile Picture Id', 'Date of Birth', 'DND', 'Source', 'Email'];
    const plan = planColumns(header, {});
    expect(csvRowToInput(header, plan, ['Ada King Lovelace', 'a|b;c', 'yes', '42', '1815-12-10', 'sms, Whats App', 'manual', '']).input).toEqual({
      firstName: 'Ada', lastName: 'King Lovelace', tags: ['a', 'b', 'c'], blocked: true, profilePictureId: 42, dateOfBirth: '1815-12-10',
      doNotDisturb: ['SMS', 'WHATSAPP'], source: 'MANUAL',
    });
    const bad = csvRowToInput(header, plan, ['', '', 'maybe', '4.5', '10/12/1815', 'pigeon', 'fax', '']);
    expect(bad.problems.map((p) => [p.field, p.code])).toEqual([
      ['Blocked', 'INVALID'], ['Profile Picture Id', 'INVALID'], ['Date of Birth', 'INVALID_DATE'], ['Source', 'INVALID'], ['DND', 'INVALID'],
    ]);
  });
});

describe('rows in flight together', () => {
  it('a row names its contact by ref, emails and the last 9 digits of its phones', () => {
    expect(contactKeys({ externalRef: { namespace: 'csv-import', externalId: 'x' }, email: ' A@X.example ', emails: [{ address: 'b@x.example' }], phone: '+1 202-555-0143', phones: [{ number: '(202) 555 0199' }] })).toEqual([
      'ref:x', 'email:a@x.example', 'email:b@x.example', 'phone:025550143', 'phone:025550199',
    ]);
    expect(contactKeys({})).toEqual([]);
  });
});

describe('values', () => {
  it('dates are calendar dates; timestamps say which moment they mean', () => {
    const row = new RecordBuilder();
    expect(date('2024-02-29', 'd', row)).toBe('2024-02-29');
    expect(date('2024-2-3T10:00:00Z', 'd', row)).toBe('2024-02-03');
    expect(date('2023-02-29', 'd', row)).toBeUndefined();
    expect(dateTime(1700000000, 't', row)).toBe('2023-11-14T22:13:20.000Z');
    expect(dateTime('1700000000000', 't', row)).toBe('2023-11-14T22:13:20.000Z');
    expect(dateTime('2024-01-02 03:04:05+02:00', 't', row)).toBe('2024-01-02T01:04:05.000Z');
    expect(dateTime('next tuesday', 't', row)).toBeUndefined();
    expect(dateTime('10000-01-01T00:00:00Z', 't', row)).toBeUndefined();
    expect(row.problems.map((p) => p.code)).toEqual(['INVALID_DATE', 'INVALID', 'INVALID']);
  });
});

describe('presets', () => {
  it('are told apart by their records', () => {
    expect(guessPreset({ emailAddresses: [], firstName: 'a' })).toBe('unified-crm');
    expect(guessPreset({ email_addresses: [], first_name: 'a' })).toBe('unified-crm');
    expect(guessPreset({ first_name: 'a', phone_numbers: [] })).toBe('voip');
    expect(guessPreset({ firstName: 'a', companyName: 'b' })).toBe('ghl');
    expect(guessPreset({ firstName: 'a', connections: [] })).toBe('investor-crm');
    expect(guessPreset({ shoe: 1 })).toBeNull();
  });

  it('investor-crm: the request body with lowercase types and companies by kind', () => {
    const mapped = mapInvestorCrm({
      id: 'inv-1', firstName: 'Ivy', lastName: 'Vest', email: 'ivy@fund.example', emails: [{ address: 'ivy@fund.example', type: 'work' }, 'ivy@home.example'],
      phone: '+12025550199', phones: [{ number: '+12025550199', type: 'mobile' }, { number: '+12025550100', type: 'pager' }],
      connections: [{ company: { kind: 'existing', id: 'Q29tcGFueTox' }, jobTitle: 'Partner', primary: true }, { company: { kind: 'new', name: 'Fund Two' } }],
      addresses: [{ type: 'home', street1: '1 Main St', city: 'Springfield' }], tags: ['lp'], primaryLanguage: 'en', strategy: 'Seed',
      linkedInUrl: 'linkedin.com/in/ivy', blocked: 'false', profilePictureId: 7, customFields: { fund: 'I' }, source: 'api',
      gender: 'female', website: 'https://ivy.example', timeZone: 'Europe/Paris', dateOfBirth: '1980-01-01', doNotDisturb: ['sms'],
      assignedTo: 'u-1', lastActivityAt: '2024-05-01T12:00:00Z', externalRefs: [{ namespace: 'hubspot', id: '77' }],
    });
    expect(mapped.problems).toEqual([]);
    expect(mapped.externalId).toBe('inv-1');
    expect(mapped.input).toEqual({
      firstName: 'Ivy', lastName: 'Vest', email: 'ivy@fund.example', phone: '+12025550199', primaryLanguage: 'en', strategy: 'Seed',
      linkedInUrl: 'linkedin.com/in/ivy', gender: 'female', website: 'https://ivy.example', timeZone: 'Europe/Paris', assignedTo: 'u-1',
      emails: [{ address: 'ivy@fund.example', type: 'WORK' }, { address: 'ivy@home.example' }],
      phones: [{ number: '+12025550199', type: 'MOBILE' }, { number: '+12025550100', type: 'OTHER' }],
      addresses: [{ type: 'home', street1: '1 Main St', city: 'Springfield' }], tags: ['lp'],
      connections: [{ company: { id: 'Q29tcGFueTox' }, jobTitle: 'Partner', primary: true }, { company: { name: 'Fund Two' } }],
      blocked: false, profilePictureId: 7, dateOfBirth: '1980-01-01', lastActivityAt: '2024-05-01T12:00:00.000Z', doNotDisturb: ['SMS'], source: 'API',
      customFields: { externalRefs: [{ namespace: 'hubspot', id: '77' }], fund: 'I' },
    });
  });

  it('unified-crm: every field of the contact has a place', () => {
    const mapped = mapUnifiedCrm({
      id: 'u-1', remote_id: 'r-1', first_name: 'Gil', last_name: 'Feig', account: { id: 'a-1', name: 'Merge Inc' }, owner: { id: 'o-1' },
      addresses: [{ street_1: '50 Bowling Green Dr', city: 'SF', state: 'CA', postal_code: '94122', country: 'US', address_type: 'BILLING' }],
      email_addresses: [{ email_address: 'gil@merge.dev', email_address_type: 'PERSONAL' }],
      phone_numbers: [{ phone_number: '+3198675309', phone_number_type: 'SKYPE' }],
      last_activity_at: '2022-02-10T00:00:00Z', remote_created_at: '2021-09-10T00:00:00Z', remote_was_deleted: false, modified_at: '2021-10-16T00:00:00Z',
      remote_fields: [{ remote_field_class: { name: 'Tier' }, value: 'gold' }], field_mappings: { organization_defined_targets: {} },
    });
    expect(mapped.externalId).toBe('r-1');
    expect(mapped.ref).toEqual({ remoteCreatedAt: '2021-09-10T00:00:00.000Z', remoteDeleted: false });
    expect(mapped.input).toEqual({
      firstName: 'Gil', lastName: 'Feig', assignedTo: 'o-1', lastActivityAt: '2022-02-10T00:00:00.000Z',
      emails: [{ address: 'gil@merge.dev', type: 'PERSONAL' }], phones: [{ number: '+3198675309', type: 'OTHER' }],
      addresses: [{ type: 'BILLING', street1: '50 Bowling Green Dr', city: 'SF', state: 'CA', country: 'US', postalCode: '94122' }],
      connections: [{ company: { name: 'Merge Inc' }, primary: true }],
      customFields: { Tier: 'gold', id: 'u-1', modified_at: '2021-10-16T00:00:00Z', field_mappings: { organization_defined_targets: {} } },
    });
  });

  it('voip: snake_case fields, the company and job title, tm_* timestamps', () => {
    const mapped = mapVoip({ id: 9, first_name: 'Vic', emails: ['vic@x.example'], phones: ['+12025550188'], job_title: 'CTO', tm_created: '2024-01-01T00:00:00Z', notes: 'hi' });
    expect(mapped.externalId).toBe('9');
    expect(mapped.input).toEqual({ firstName: 'Vic', emails: [{ address: 'vic@x.example' }], phones: [{ number: '+12025550188' }], customFields: { job_title: 'CTO', notes: 'hi' } });
    expect(mapped.ref).toEqual({ remoteCreatedAt: '2024-01-01T00:00:00.000Z' });
  });

  it('ghl: dnd and dndSettings, custom fields by key or id, free-text source kept', () => {
    expect(doNotDisturbOf(true, undefined)).toHaveLength(6);
    expect(doNotDisturbOf(false, undefined)).toEqual([]);
    expect(doNotDisturbOf(undefined, { Email: { status: 'active' }, GMB: { status: 'permanent' }, SMS: { status: 'inactive' } })).toEqual(['EMAIL', 'GOOGLE_BUSINESS']);
    expect(doNotDisturbOf(undefined, undefined)).toBeUndefined();
    const mapped = mapGhl({ firstName: 'G', source: 'API', customFields: [{ id: 'f1', field_value: 1 }, { key: 'contact.plan', field_value: 'pro' }], dateOfBirth: 'soon' });
    expect(mapped.input).toEqual({ firstName: 'G', source: 'API', customFields: { f1: 1, plan: 'pro' } });
    expect(mapped.problems).toEqual([{ field: 'dateOfBirth', code: 'INVALID_DATE', message: '"soon" is not a date (YYYY-MM-DD).' }]);
  });
});
