// investor-crm: the investor CRM's UpsertContactRequest / UpdateContactRequest
// bodies (docs/import.md lists every field). They are this gateway's own input
// in another dialect: lowercase enum values, and a connection's company as
// `{ kind: "existing", id }` or `{ kind: "new", name }`.
import {
  bool, channels, CONTACT_SOURCES, date, dateTime, enumValue, int, isObject, list, RecordBuilder, text,
} from '../values.js';
import { asList, RecordFields, textOrField, type PresetRecord } from './fields.js';
import { addressesOf, emailsOf, phonesOf } from './lists.js';

const TEXT_FIELDS = ['firstName', 'lastName', 'email', 'phone', 'primaryLanguage', 'strategy', 'linkedInUrl', 'gender', 'website', 'timeZone', 'assignedTo'];

export function mapInvestorCrm(record: Record<string, unknown>): PresetRecord {
  const fields = new RecordFields(record);
  const row = new RecordBuilder();
  const externalId = text(fields.value('id', 'contactId'));

  for (const field of TEXT_FIELDS) {
    const found = fields.take(field);
    row.set(field, text(found?.value), found?.key ?? field);
  }
  takeList(fields, row, 'emails', (v) => emailsOf(v));
  takeList(fields, row, 'phones', (v) => phonesOf(v));
  takeList(fields, row, 'addresses', addressesOf);
  takeList(fields, row, 'tags', (v) => list(v) ?? []);
  takeList(fields, row, 'connections', (v, key) => connectionsOf(v, key, row));

  const blocked = fields.take('blocked');
  row.set('blocked', bool(blocked?.value, blocked?.key ?? 'blocked', row), blocked?.key ?? 'blocked');
  const picture = fields.take('profilePictureId');
  row.set('profilePictureId', int(picture?.value, picture?.key ?? 'profilePictureId', row), picture?.key ?? 'profilePictureId');
  const birth = fields.take('dateOfBirth');
  row.set('dateOfBirth', date(birth?.value, birth?.key ?? 'dateOfBirth', row), birth?.key ?? 'dateOfBirth');
  const activity = fields.take('lastActivityAt');
  row.set('lastActivityAt', dateTime(activity?.value, activity?.key ?? 'lastActivityAt', row), activity?.key ?? 'lastActivityAt');
  const dnd = fields.take('doNotDisturb');
  row.set('doNotDisturb', channels(dnd?.value, dnd?.key ?? 'doNotDisturb', row), dnd?.key ?? 'doNotDisturb');
  const source = fields.take('source');
  row.set('source', enumValue(source?.value, CONTACT_SOURCES, source?.key ?? 'source', row), source?.key ?? 'source');
  const custom = fields.take('customFields');
  if (custom !== undefined) {
    if (isObject(custom.value)) row.set('customFields', custom.value, custom.key);
    else row.problem(custom.key, 'INVALID', 'customFields must be an object.');
  }
  fields.keepRest(row);
  return { ...row.done(), ...(externalId !== undefined ? { externalId } : {}), ref: {} };
}

function takeList(fields: RecordFields, row: RecordBuilder, name: string, convert: (value: unknown, key: string) => unknown[]): void {
  const found = fields.take(name);
  if (found === undefined) return;
  row.set(name, convert(found.value, found.key), found.key);
}

/** `[{ company: { kind, id | name }, jobTitle, primary }]`: a company is named when its name is known, else referenced by id. */
function connectionsOf(value: unknown, key: string, row: RecordBuilder) {
  return asList(value).flatMap((item, index) => {
    if (!isObject(item)) return [];
    const fields = new RecordFields(item);
    const company = fields.value('company');
    const name = isObject(company) ? textOrField(company, 'name') : text(company);
    const id = isObject(company) ? textOrField(company, 'id') : undefined;
    if (name === undefined && id === undefined) {
      row.problem(`${key}.${index}.company`, 'INVALID', 'A connection needs its company, by name or id.');
      return [];
    }
    const jobTitle = text(fields.value('jobTitle', 'title'));
    const primaryField = fields.take('primary');
    const primary = primaryField === undefined ? undefined : bool(primaryField.value, `${key}.${index}.primary`, row);
    return [{ company: name !== undefined ? { name } : { id }, ...(jobTitle ? { jobTitle } : {}), ...(primary !== undefined ? { primary } : {}) }];
  });
}
