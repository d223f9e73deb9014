// The shape every source record is mapped to, and the conversions of loose
// source values (text cells, other systems' JSON) into the values the
// gateway's input types accept. A value that cannot be converted is a problem
// of its row, never of the file: the row is reported and the others go on.

/** Variables of one `UpsertContactInput`, as the GraphQL request sends them. */
export type ContactInput = Record<string, unknown>;

/** Why a row cannot be sent, named by the source field it came from. */
export interface RowProblem {
  field: string;
  code: string;
  message: string;
}

/** A source record mapped to an input, or the problems that stop it. */
export interface MappedRecord {
  input: ContactInput;
  /** For each top-level input field, the source field it came from: error reports name that. */
  origins: Record<string, string>;
  problems: RowProblem[];
}

export const MESSAGE_CHANNELS = ['CALL', 'EMAIL', 'SMS', 'WHATSAPP', 'GOOGLE_BUSINESS', 'FACEBOOK'] as const;
export const CONTACT_SOURCES = ['MANUAL', 'IMPORT', 'API', 'SYNC'] as const;
export const EMAIL_TYPES = ['WORK', 'PERSONAL', 'OTHER'] as const;
export const PHONE_TYPES = ['MOBILE', 'WORK', 'HOME', 'FAX', 'OTHER'] as const;

/** Builds one record's input, collecting the problems of its values. */
export class RecordBuilder {
  readonly input: ContactInput = {};
  readonly origins: Record<string, string> = {};
  readonly problems: RowProblem[] = [];
  readonly custom: Record<string, unknown> = {};

  /** Sets an input field unless the value is missing (an empty cell changes nothing). */
  set(field: string, value: unknown, origin: string): void {
    if (value === undefined) return;
    this.input[field] = value;
    this.origins[field] ??= origin;
  }

  problem(field: string, code: string, message: string): undefined {
    this.problems.push({ field, code, message });
    return undefined;
  }

  /** Keeps a source field the input has no place for in customFields. */
  keep(key: string, value: unknown): void {
    if (value === undefined || value === null || value === '') return;
    this.custom[key] = value;
  }

  done(): MappedRecord {
    if (Object.keys(this.custom).length > 0) {
      const given = this.input.customFields;
      const base = isObject(given) ? given : {};
      this.input.customFields = { ...this.custom, ...base };
      this.origins.customFields ??= 'customFields';
    }
    return { input: this.input, origins: this.origins, problems: this.problems };
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text, trimmed; undefined when missing or blank. Numbers and booleans become text. */
export function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

const TRUE = new Set(['true', 'yes', 'y', '1', 'on']);
const FALSE = new Set(['false', 'no', 'n', '0', 'off']);

export function bool(value: unknown, field: string, row: RecordBuilder): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const t = text(value)?.toLowerCase();
  if (t === undefined) return undefined;
  if (TRUE.has(t)) return true;
  if (FALSE.has(t)) return false;
  return row.problem(field, 'INVALID', `"${t}" is not a yes/no value (true, false, yes, no, 1, 0).`);
}

const MAX_INT = 2 ** 31 - 1;

export function int(value: unknown, field: string, row: RecordBuilder): number | undefined {
  const t = text(value);
  if (t === undefined) return undefined;
  if (!/^-?\d{1,10}$/.test(t) || Math.abs(Number(t)) > MAX_INT) return row.problem(field, 'INVALID', `"${t}" is not a whole number.`);
  return Number(t);
}

/** One of an enum's values, compared case- and separator-insensitively ("whats app" → WHATSAPP). */
export function enumValue<T extends string>(value: unknown, values: readonly T[], field: string, row: RecordBuilder): T | undefined {
  const t = text(value);
  if (t === undefined) return undefined;
  const found = values.find((v) => squash(v) === squash(t));
  if (found !== undefined) return found;
  return row.problem(field, 'INVALID', `"${t}" is not one of ${values.join(', ')}.`);
}

/** Lowercase letters and digits only: "First Name", "first_name" and "firstName" agree. */
export function squash(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** A calendar date as "YYYY-MM-DD"; a timestamp keeps its date part. */
export function date(value: unknown, field: string, row: RecordBuilder): string | undefined {
  const t = text(value);
  if (t === undefined) return undefined;
  const match = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ].*)?$/.exec(t);
  if (match !== null) {
    const [, y, m, d] = match as unknown as [string, string, string, string];
    const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
    const parsed = new Date(`${iso}T00:00:00Z`);
    if (!Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(iso)) return iso;
  }
  return row.problem(field, 'INVALID_DATE', `"${t}" is not a date (YYYY-MM-DD).`);
}

/** A moment as an RFC 3339 timestamp; numbers are Unix seconds (or milliseconds when that large). */
export function dateTime(value: unknown, field: string, row: RecordBuilder): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let parsed: Date;
  if (typeof value === 'number' || (typeof value === 'string' && /^\d{9,13}$/.test(value.trim()))) {
    const n = Number(value);
    parsed = new Date(n > 1e11 ? n : n * 1000);
  } else {
    const t = text(value);
    if (t === undefined) return undefined;
    // Only forms that say which moment they mean: a date, or a date and a time.
    parsed = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(t) ? new Date(t.replace(' ', 'T')) : new Date(NaN);
  }
  const year = parsed.getUTCFullYear();
  if (Number.isNaN(parsed.getTime()) || year < 1 || year > 9999) {
    return row.problem(field, 'INVALID', `"${String(value)}" is not a date and time (RFC 3339, e.g. 2024-05-01T12:00:00Z).`);
  }
  return parsed.toISOString();
}

/** A list written in one cell: "a; b, c" (semicolons, commas or pipes). */
export function list(value: unknown): string[] | undefined {
  if (Array.isArray(value)) {
    const items = value.map(text).filter((v): v is string => v !== undefined);
    return items;
  }
  const t = text(value);
  if (t === undefined) return undefined;
  return t.split(/[;,|]/).map((s) => s.trim()).filter((s) => s !== '');
}

/** "Ada Lovelace" → first "Ada", last "Lovelace"; one word is a first name. */
export function splitName(full: string): { firstName: string; lastName?: string } {
  const [first, ...rest] = full.trim().split(/\s+/);
  return rest.length === 0 ? { firstName: first ?? full } : { firstName: first ?? full, lastName: rest.join(' ') };
}

/** Channels in one cell ("SMS; Email"); "all", "yes" or "true" is every channel, "none" or "no" none. */
export function channels(value: unknown, field: string, row: RecordBuilder): string[] | undefined {
  if (value === true) return [...MESSAGE_CHANNELS];
  if (value === false) return [];
  const items = list(value);
  if (items === undefined) return undefined;
  if (items.length === 1 && ['all', 'yes', 'true', '1'].includes(items[0]!.toLowerCase())) return [...MESSAGE_CHANNELS];
  if (items.length === 1 && ['none', 'no', 'false', '0'].includes(items[0]!.toLowerCase())) return [];
  const found: string[] = [];
  for (const item of items) {
    const channel = enumValue(item, MESSAGE_CHANNELS, field, row);
    if (channel !== undefined) found.push(channel);
  }
  return found;
}
