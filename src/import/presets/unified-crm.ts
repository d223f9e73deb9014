// unified-crm: the unified CRM API's Contact (its Create Contact request and
// its list responses; docs/import.md lists every field). camelCase or
// snake_case keys both work (`emailAddresses`, `email_addresses`).
import { dateTime, isObject, RecordBuilder, text } from '../values.js';
import { asList, RecordFields, refTimesOf, textOrField, type PresetRecord } from './fields.js';
import { addressesOf, emailsOf, phonesOf } from './lists.js';

export function mapUnifiedCrm(record: Record<string, unknown>): PresetRecord {
  const fields = new RecordFields(record);
  const row = new RecordBuilder();
  // remoteId is the contact's id in the CRM behind the unified API; id is the unified API's own.
  const externalId = text(fields.value('remoteId')) ?? text(fields.value('id'));

  for (const [field, names] of [['firstName', ['firstName']], ['lastName', ['lastName']]] as const) {
    const found = fields.take(...names);
    row.set(field, text(found?.value), found?.key ?? field);
  }
  const emails = fields.take('emailAddresses');
  if (emails !== undefined) row.set('emails', emailsOf(emails.value, { value: ['emailAddress', 'email', 'address', 'value'], type: ['emailAddressType', 'type'] }), emails.key);
  const phones = fields.take('phoneNumbers');
  if (phones !== undefined) row.set('phones', phonesOf(phones.value, { value: ['phoneNumber', 'number', 'value'], type: ['phoneNumberType', 'type'] }), phones.key);
  const addresses = fields.take('addresses');
  if (addresses !== undefined) row.set('addresses', addressesOf(addresses.value), addresses.key);

  // The account is the contact's company: its name when the record expands it, else what it holds.
  const account = fields.take('account');
  const company = account === undefined ? undefined : textOrField(account.value, 'name', 'id');
  if (company !== undefined) row.set('connections', [{ company: { name: company }, primary: true }], account!.key);
  const owner = fields.take('owner');
  if (owner !== undefined) row.set('assignedTo', textOrField(owner.value, 'id', 'remoteId', 'name'), owner.key);
  const activity = fields.take('lastActivityAt');
  row.set('lastActivityAt', dateTime(activity?.value, activity?.key ?? 'lastActivityAt', row), activity?.key ?? 'lastActivityAt');

  const ref = refTimesOf(fields, row, { created: ['remoteCreatedAt'], updated: ['remoteUpdatedAt'], deleted: ['remoteWasDeleted', 'remoteDeleted'] });

  // remoteFields: [{ remoteFieldClass: { name | displayName | id }, value }] → customFields by field name.
  const remote = fields.take('remoteFields');
  for (const item of asList(remote?.value)) {
    if (!isObject(item)) continue;
    const f = new RecordFields(item);
    const name = textOrField(f.value('remoteFieldClass'), 'name', 'displayName', 'id') ?? text(f.value('name', 'key'));
    if (name !== undefined) row.keep(name, f.value('value'));
  }
  fields.keepRest(row);
  return { ...row.done(), ...(externalId !== undefined ? { externalId } : {}), ref };
}
