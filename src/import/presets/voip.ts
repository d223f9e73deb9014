// voip: the VoIP platform's Contact structure (docs/import.md lists every
// field): snake_case keys, the company and job title as plain fields, an
// `external_id` of the contact in the customer's own system, and `tm_*`
// timestamps of the record.
import { bool, list, RecordBuilder, splitName, text } from '../values.js';
import { RecordFields, refTimesOf, type PresetRecord } from './fields.js';
import { addressesOf, emailsOf, phonesOf } from './lists.js';

export function mapVoip(record: Record<string, unknown>): PresetRecord {
  const fields = new RecordFields(record);
  const row = new RecordBuilder();
  // The platform's id names the contact; the customer's own id is kept beside it.
  const platformId = text(fields.value('id'));
  const customerId = fields.take('external_id');
  const externalId = platformId ?? text(customerId?.value);
  if (platformId !== undefined && customerId !== undefined) row.keep(customerId.key, customerId.value);

  for (const [field, names] of [
    ['firstName', ['first_name']], ['lastName', ['last_name']], ['email', ['email']], ['phone', ['phone', 'phone_number']],
    ['primaryLanguage', ['language']], ['linkedInUrl', ['linkedin', 'linkedin_url']], ['website', ['website', 'url']],
    ['timeZone', ['timezone', 'time_zone']],
  ] as const) {
    const found = fields.take(...names);
    row.set(field, text(found?.value), found?.key ?? field);
  }
  const name = fields.take('name', 'full_name', 'display_name');
  if (name !== undefined && row.input.firstName === undefined && row.input.lastName === undefined) {
    const split = splitName(String(text(name.value) ?? ''));
    row.set('firstName', split.firstName, name.key);
    row.set('lastName', split.lastName, name.key);
  }
  const emails = fields.take('emails');
  if (emails !== undefined) row.set('emails', withPrimary(emailsOf(emails.value), row.input.email, 'address'), emails.key);
  const phones = fields.take('phone_numbers', 'phones', 'numbers');
  if (phones !== undefined) row.set('phones', withPrimary(phonesOf(phones.value), row.input.phone, 'number'), phones.key);
  const addresses = fields.take('addresses', 'address');
  if (addresses !== undefined) row.set('addresses', addressesOf(addresses.value), addresses.key);
  const tags = fields.take('tags', 'labels');
  if (tags !== undefined) row.set('tags', list(tags.value), tags.key);
  const blocked = fields.take('blocked', 'is_blocked');
  if (blocked !== undefined) row.set('blocked', bool(blocked.value, blocked.key, row), blocked.key);

  const company = fields.take('company', 'company_name');
  const jobTitle = text(fields.value('job_title', 'title'));
  if (company !== undefined && text(company.value) !== undefined) {
    row.set('connections', [{ company: { name: text(company.value) }, ...(jobTitle ? { jobTitle } : {}), primary: true }], company.key);
  } else if (jobTitle !== undefined) row.keep('job_title', jobTitle);

  const ref = refTimesOf(fields, row, { created: ['tm_created', 'tm_create', 'tm_added'], updated: ['tm_updated', 'tm_update', 'tm_modified'] });
  fields.keepRest(row);
  return { ...row.done(), ...(externalId !== undefined ? { externalId } : {}), ref };
}

/** The list with the primary value first, added when the list lacks it. */
function withPrimary<T extends Record<string, unknown>>(items: T[], primary: unknown, key: string): T[] {
  if (typeof primary !== 'string' || items.some((i) => i[key] === primary)) return items;
  return [{ [key]: primary } as T, ...items];
}
