// CSV columns → contact input fields (docs/import.md, CSV). A header is matched
// by name to a field, case- and separator-insensitively ("First Name",
// "first_name" and "firstName" are one field), or through an alias that
// exports commonly use ("E-mail Address", "Company Name", "Zip"). `--map
// col=field` decides for a column; a column that matches nothing is kept in
// customFields under its header.
import {
  bool, channels, CONTACT_SOURCES, date, dateTime, enumValue, int, list, RecordBuilder, splitName, squash, text,
  type MappedRecord,
} from './values.js';

export const ADDRESS_PARTS = ['type', 'street1', 'street2', 'city', 'state', 'countrySubdivision', 'country', 'postalCode'] as const;
type AddressPart = (typeof ADDRESS_PARTS)[number];

/** The fields a column can fill, each with the other names exports give it. */
const FIELDS: Record<string, string[]> = {
  externalId: ['id', 'external id', 'record id', 'contact id'],
  name: ['full name', 'contact name'],
  firstName: ['first', 'given name', 'forename'],
  lastName: ['last', 'surname', 'family name'],
  email: ['email address', 'e-mail', 'e-mail address', 'primary email', 'mail'],
  emails: ['other emails', 'additional emails', 'email addresses'],
  phone: ['phone number', 'telephone', 'tel', 'primary phone', 'mobile', 'mobile phone', 'cell'],
  phones: ['other phones', 'additional phones', 'phone numbers'],
  company: ['company name', 'organization', 'organisation', 'account', 'account name', 'employer'],
  jobTitle: ['title', 'job', 'position', 'role'],
  primaryLanguage: ['language'],
  strategy: [],
  tags: ['tag', 'labels', 'label'],
  linkedInUrl: ['linkedin', 'linkedin profile'],
  blocked: [],
  profilePictureId: [],
  gender: ['sex'],
  website: ['url', 'web site', 'homepage', 'web'],
  timeZone: ['tz'],
  dateOfBirth: ['birthday', 'birth date', 'birthdate', 'dob', 'date of birth'],
  doNotDisturb: ['dnd'],
  assignedTo: ['owner', 'contact owner', 'assigned to'],
  lastActivityAt: ['last activity', 'last activity date'],
  source: [],
  'address.type': ['address type'],
  'address.street1': ['street', 'address', 'address1', 'address 1', 'address line 1', 'street address', 'street 1'],
  'address.street2': ['address2', 'address 2', 'address line 2', 'street 2'],
  'address.city': ['city', 'town', 'locality'],
  'address.state': ['state', 'region', 'province', 'state/region'],
  'address.countrySubdivision': ['country subdivision', 'subdivision'],
  'address.country': ['country', 'country/region'],
  'address.postalCode': ['postal code', 'zip', 'zip code', 'postcode', 'post code'],
};

export const CSV_FIELDS = Object.keys(FIELDS);

const BY_NAME = new Map<string, string>();
for (const [field, aliases] of Object.entries(FIELDS)) {
  for (const name of [field, ...aliases]) if (!BY_NAME.has(squash(name))) BY_NAME.set(squash(name), field);
}

export type ColumnTarget = { kind: 'field'; field: string } | { kind: 'custom'; key: string } | { kind: 'ignore' };

export class ColumnError extends Error {}

/** What each column fills, decided once from the header and the --map options. */
export function planColumns(header: string[], overrides: Record<string, string>): ColumnTarget[] {
  const wanted = new Map<string, string>();
  for (const [column, field] of Object.entries(overrides)) {
    // The column as written (case aside) first, then loosely.
    const exact = header.findIndex((h) => h.trim().toLowerCase() === column.trim().toLowerCase());
    const index = exact >= 0 ? exact : header.findIndex((h) => squash(h) === squash(column));
    if (index < 0) throw new ColumnError(`--map ${column}=${field}: the file has no column "${column}" (it has: ${header.join(', ')}).`);
    wanted.set(String(index), field);
  }
  const plan = header.map((name, index): ColumnTarget => {
    const chosen = wanted.get(String(index));
    if (chosen !== undefined) return targetOf(chosen, name);
    const field = BY_NAME.get(squash(name));
    if (field !== undefined) return { kind: 'field', field };
    const custom = /^(?:custom(?:fields?)?)[.:](.+)$/i.exec(name.trim());
    return { kind: 'custom', key: custom?.[1]?.trim() ?? name.trim() };
  });
  const seen = new Map<string, string>();
  plan.forEach((target, index) => {
    if (target.kind !== 'field') return;
    const before = seen.get(target.field);
    if (before !== undefined) {
      throw new ColumnError(`Columns "${before}" and "${header[index]}" both fill ${target.field}: choose one with --map "${header[index]}=-" (ignore) or --map "${header[index]}=<field>".`);
    }
    seen.set(target.field, header[index] ?? '');
  });
  return plan;
}

function targetOf(field: string, column: string): ColumnTarget {
  if (field === '-' || field === '') return { kind: 'ignore' };
  const custom = /^customFields\.(.+)$/.exec(field);
  if (custom) return { kind: 'custom', key: custom[1]! };
  const known = CSV_FIELDS.find((f) => squash(f) === squash(field));
  if (known === undefined) throw new ColumnError(`--map ${column}=${field}: no such field (fields: ${CSV_FIELDS.join(', ')}, customFields.<key>, or - to ignore).`);
  return { kind: 'field', field: known };
}

/** One CSV row (its cells, by column) → an input. Empty cells change nothing. */
export function csvRowToInput(header: string[], plan: ColumnTarget[], cells: string[]): MappedRecord & { externalId?: string } {
  const row = new RecordBuilder();
  const values = new Map<string, { value: string; column: string }>();
  plan.forEach((target, index) => {
    const value = cells[index];
    const column = header[index] ?? String(index);
    if (value === undefined || value.trim() === '') return;
    if (target.kind === 'custom') row.keep(target.key, value.trim());
    else if (target.kind === 'field') values.set(target.field, { value, column });
  });
  const get = (field: string) => values.get(field);
  const origin = (field: string) => get(field)?.column ?? field;
  const plain = (field: string) => row.set(field, text(get(field)?.value), origin(field));

  for (const field of ['firstName', 'lastName', 'email', 'phone', 'primaryLanguage', 'strategy', 'linkedInUrl', 'gender', 'website', 'timeZone', 'assignedTo']) plain(field);
  const name = text(get('name')?.value);
  if (name !== undefined && row.input.firstName === undefined && row.input.lastName === undefined) {
    const { firstName, lastName } = splitName(name);
    row.set('firstName', firstName, origin('name'));
    row.set('lastName', lastName, origin('name'));
  }
  const emails = list(get('emails')?.value);
  if (emails !== undefined) row.set('emails', [...(row.input.email ? [row.input.email] : []), ...emails].map((address) => ({ address })), origin('emails'));
  const phones = list(get('phones')?.value);
  if (phones !== undefined) row.set('phones', [...(row.input.phone ? [row.input.phone] : []), ...phones].map((number) => ({ number })), origin('phones'));
  row.set('tags', list(get('tags')?.value), origin('tags'));
  row.set('blocked', bool(get('blocked')?.value, origin('blocked'), row), origin('blocked'));
  row.set('profilePictureId', int(get('profilePictureId')?.value, origin('profilePictureId'), row), origin('profilePictureId'));
  row.set('dateOfBirth', date(get('dateOfBirth')?.value, origin('dateOfBirth'), row), origin('dateOfBirth'));
  row.set('lastActivityAt', dateTime(get('lastActivityAt')?.value, origin('lastActivityAt'), row), origin('lastActivityAt'));
  row.set('source', enumValue(get('source')?.value, CONTACT_SOURCES, origin('source'), row), origin('source'));
  row.set('doNotDisturb', channels(get('doNotDisturb')?.value, origin('doNotDisturb'), row), origin('doNotDisturb'));

  const company = text(get('company')?.value);
  const jobTitle = text(get('jobTitle')?.value);
  if (company !== undefined) row.set('connections', [{ company: { name: company }, ...(jobTitle ? { jobTitle } : {}), primary: true }], origin('company'));
  else if (jobTitle !== undefined) row.keep(origin('jobTitle'), jobTitle);

  const address: Partial<Record<AddressPart, string>> = {};
  let addressOrigin: string | undefined;
  for (const part of ADDRESS_PARTS) {
    const value = text(get(`address.${part}`)?.value);
    if (value === undefined) continue;
    address[part] = value;
    addressOrigin ??= origin(`address.${part}`);
  }
  if (addressOrigin !== undefined) row.set('addresses', [address], addressOrigin);

  const externalId = text(get('externalId')?.value);
  return { ...row.done(), ...(externalId !== undefined ? { externalId } : {}) };
}
