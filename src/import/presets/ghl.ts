// ghl: GoHighLevel's contact (its Upsert Contact request and its contact
// responses; docs/import.md lists every field). `name` stands for first and
// last name when they are missing; `dnd: true` means every channel, and
// `dndSettings` names channels one by one.
import { CONTACT_SOURCES, date, isObject, list, MESSAGE_CHANNELS, RecordBuilder, splitName, squash, text } from '../values.js';
import { asList, RecordFields, refTimesOf, type PresetRecord } from './fields.js';
import { emailsOf, phonesOf } from './lists.js';

/** dndSettings' channel names → MessageChannel. */
const DND_CHANNELS: Record<string, (typeof MESSAGE_CHANNELS)[number]> = {
  call: 'CALL', email: 'EMAIL', sms: 'SMS', whatsapp: 'WHATSAPP', gmb: 'GOOGLE_BUSINESS', googlebusiness: 'GOOGLE_BUSINESS', fb: 'FACEBOOK', facebook: 'FACEBOOK',
};

export function mapGhl(record: Record<string, unknown>): PresetRecord {
  const fields = new RecordFields(record);
  const row = new RecordBuilder();
  const externalId = text(fields.value('id', 'contactId'));

  takeNameAndChannels(fields, row);
  takeAddress(fields, row);
  const company = fields.take('companyName');
  if (company !== undefined && text(company.value) !== undefined) row.set('connections', [{ company: { name: text(company.value) }, primary: true }], company.key);
  const tags = fields.take('tags');
  if (tags !== undefined) row.set('tags', list(tags.value), tags.key);
  const birth = fields.take('dateOfBirth');
  if (birth !== undefined) row.set('dateOfBirth', date(birth.value, birth.key, row), birth.key);
  takeDoNotDisturb(fields, row);
  takeSource(fields, row);
  takeCustomFields(fields, row);

  const ref = refTimesOf(fields, row, { created: ['dateAdded'], updated: ['dateUpdated'] });
  fields.keepRest(row);
  return { ...row.done(), ...(externalId !== undefined ? { externalId } : {}), ref };
}

/** The text fields, `name` where first and last name are missing, and the additional emails and phones after the primary one. */
function takeNameAndChannels(fields: RecordFields, row: RecordBuilder): void {
  for (const [field, names] of [
    ['firstName', ['firstName']], ['lastName', ['lastName']], ['email', ['email']], ['phone', ['phone']],
    ['gender', ['gender']], ['website', ['website']], ['timeZone', ['timezone', 'timeZone']], ['assignedTo', ['assignedTo']],
  ] as const) {
    const found = fields.take(...names);
    row.set(field, text(found?.value), found?.key ?? field);
  }
  const name = fields.take('name', 'contactName', 'fullNameLowerCase');
  if (name !== undefined && row.input.firstName === undefined && row.input.lastName === undefined) {
    const split = splitName(String(text(name.value) ?? ''));
    row.set('firstName', split.firstName, name.key);
    row.set('lastName', split.lastName, name.key);
  }
  const extraEmails = fields.take('additionalEmails');
  if (extraEmails !== undefined) {
    const primary = typeof row.input.email === 'string' ? [{ address: row.input.email }] : [];
    row.set('emails', [...primary, ...emailsOf(extraEmails.value)], extraEmails.key);
  }
  const extraPhones = fields.take('additionalPhones');
  if (extraPhones !== undefined) {
    const primary = typeof row.input.phone === 'string' ? [{ number: row.input.phone }] : [];
    row.set('phones', [...primary, ...phonesOf(extraPhones.value)], extraPhones.key);
  }
}

/** GHL's flat address fields, as the contact's one address (its origin: the first of them present). */
function takeAddress(fields: RecordFields, row: RecordBuilder): void {
  const address: Record<string, string> = {};
  let addressKey: string | undefined;
  for (const [part, names] of [['street1', ['address1', 'address']], ['city', ['city']], ['state', ['state']], ['postalCode', ['postalCode']], ['country', ['country']]] as const) {
    const found = fields.take(...names);
    const value = text(found?.value);
    if (value === undefined) continue;
    address[part] = value;
    addressKey ??= found!.key;
  }
  if (addressKey !== undefined) row.set('addresses', [address], addressKey);
}

/** `dnd` and `dndSettings` as doNotDisturb (see doNotDisturbOf); the settings are also kept as they came. */
function takeDoNotDisturb(fields: RecordFields, row: RecordBuilder): void {
  const dnd = fields.take('dnd');
  const settings = fields.take('dndSettings');
  const channels = doNotDisturbOf(dnd?.value, settings?.value);
  if (channels !== undefined) row.set('doNotDisturb', channels, dnd?.key ?? settings!.key);
  if (settings !== undefined) row.keep(settings.key, settings.value);
}

/** GHL's source is free text ("public api", "form 12"): it is the contact's source only when it names one of ours, and kept otherwise. */
function takeSource(fields: RecordFields, row: RecordBuilder): void {
  const source = fields.take('source');
  const sourceValue = CONTACT_SOURCES.find((s) => squash(s) === squash(String(text(source?.value) ?? '')));
  if (sourceValue !== undefined) row.set('source', sourceValue, source!.key);
  else if (source !== undefined) row.keep(source.key, source.value);
}

/** GHL's custom fields, kept under their key without the `contact.` prefix. */
function takeCustomFields(fields: RecordFields, row: RecordBuilder): void {
  const custom = fields.take('customFields', 'customField');
  for (const item of asList(custom?.value)) {
    if (!isObject(item)) continue;
    const f = new RecordFields(item);
    const key = text(f.value('key', 'fieldKey')) ?? text(f.value('id'));
    if (key !== undefined) row.keep(key.replace(/^contact\./, ''), f.value('field_value', 'fieldValue', 'value'));
  }
}

/**
 * `dnd: true` → every channel; otherwise the channels whose dndSettings
 * status is "active" (or "permanent"); `dnd: false` without settings → none.
 */
export function doNotDisturbOf(dnd: unknown, settings: unknown): string[] | undefined {
  if (dnd === true || dnd === 'true') return [...MESSAGE_CHANNELS];
  if (isObject(settings)) {
    const found = new Set<string>();
    for (const [name, setting] of Object.entries(settings)) {
      const channel = DND_CHANNELS[squash(name)];
      const status = isObject(setting) ? text(setting.status)?.toLowerCase() : undefined;
      if (channel !== undefined && (status === 'active' || status === 'permanent')) found.add(channel);
    }
    return MESSAGE_CHANNELS.filter((c) => found.has(c));
  }
  if (dnd === false || dnd === 'false') return [];
  return undefined;
}
