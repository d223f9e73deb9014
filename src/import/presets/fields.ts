// Reading another system's record: fields are found by name whatever their
// case or separators (`first_name`, `firstName`), each is taken once, and what
// no mapping took is kept in customFields under its own key.
import { dateTime, isObject, RecordBuilder, squash, text, type MappedRecord } from '../values.js';

/** The remote system's own timestamps for the contact's external ref (API.md, Seed fields). */
export interface RefTimes {
  remoteCreatedAt?: string;
  remoteUpdatedAt?: string;
  remoteDeleted?: boolean;
}

/** A preset's result: the input, the record's own id in its system, and its ref's timestamps. */
export interface PresetRecord extends MappedRecord {
  externalId?: string;
  ref: RefTimes;
}

export class RecordFields {
  private readonly byName = new Map<string, string>();
  private readonly taken = new Set<string>();

  constructor(readonly record: Record<string, unknown>) {
    for (const key of Object.keys(record)) if (!this.byName.has(squash(key))) this.byName.set(squash(key), key);
  }

  /** The value of the first of these names the record has (and its key), marked as taken. */
  take(...names: string[]): { key: string; value: unknown } | undefined {
    for (const name of names) {
      const key = this.byName.get(squash(name));
      if (key === undefined) continue;
      this.taken.add(key);
      const value = this.record[key];
      if (value === undefined || value === null || value === '') continue;
      return { key, value };
    }
    return undefined;
  }

  /** Like take, but only the value. */
  value(...names: string[]): unknown {
    return this.take(...names)?.value;
  }

  /** Keeps every field not taken in customFields (under its own key). */
  keepRest(row: RecordBuilder): void {
    for (const [key, value] of Object.entries(this.record)) if (!this.taken.has(key)) row.keep(key, value);
  }
}

/** Text of a value that may be an id, or an object holding one under one of these names. */
export function textOrField(value: unknown, ...names: string[]): string | undefined {
  if (isObject(value)) {
    const fields = new RecordFields(value);
    return text(fields.value(...names));
  }
  return text(value);
}

/** Array elements, or the single value as a list of one. */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The ref's remote timestamps from the first of these names each record has; a value that is no moment is a problem of the row. */
export function refTimesOf(fields: RecordFields, row: RecordBuilder, names: { created: string[]; updated: string[]; deleted?: string[] }): RefTimes {
  const ref: RefTimes = {};
  const created = fields.take(...names.created);
  const updated = fields.take(...names.updated);
  const deleted = names.deleted === undefined ? undefined : fields.take(...names.deleted);
  const remoteCreatedAt = created && dateTime(created.value, created.key, row);
  const remoteUpdatedAt = updated && dateTime(updated.value, updated.key, row);
  if (remoteCreatedAt) ref.remoteCreatedAt = remoteCreatedAt;
  if (remoteUpdatedAt) ref.remoteUpdatedAt = remoteUpdatedAt;
  if (typeof deleted?.value === 'boolean') ref.remoteDeleted = deleted.value;
  return ref;
}
