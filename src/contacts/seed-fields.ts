// The contact fields the source systems carry beyond names, emails and phones
// (API.md, Seed fields): gender, website, timeZone, dateOfBirth, doNotDisturb,
// assignedTo and lastActivityAt. Each is checked as sent and becomes a change;
// a field left out is untouched, null (or blank text) clears it.
import { userError, type UserError } from '../errors.js';
import type { ContactChanges } from './contact-state.js';
import { compareCodePoints, lengthOf } from './normalize.js';

type Maybe<T> = T | null | undefined;

/** The channels a contact can be messaged on; stored as their names. */
export const MESSAGE_CHANNELS = ['CALL', 'EMAIL', 'SMS', 'WHATSAPP', 'GOOGLE_BUSINESS', 'FACEBOOK'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];

export interface SeedFieldsInput {
  gender?: Maybe<string>;
  website?: Maybe<string>;
  timeZone?: Maybe<string>;
  /** YYYY-MM-DD, as the Date scalar gives it. */
  dateOfBirth?: Maybe<string>;
  doNotDisturb?: Maybe<MessageChannel[]>;
  assignedTo?: Maybe<string>;
  lastActivityAt?: Maybe<Date>;
}

export const SEED_LIMITS = { gender: 30, website: 2048, assignedTo: 255 } as const;

/** Every IANA name the runtime knows, and UTC, by its lowercase form. */
const TIME_ZONES = new Map([...Intl.supportedValuesOf('timeZone'), 'UTC'].map((zone) => [zone.toLowerCase(), zone]));

/** The canonical spelling of an IANA time zone name given in any case, or null when there is none. */
export function canonicalTimeZone(name: string): string | null {
  return TIME_ZONES.get(name.trim().toLowerCase()) ?? null;
}

/** An absolute http or https URL with a host, without spaces. */
export function isWebUrl(text: string): boolean {
  if (/\s/.test(text)) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Today in UTC, YYYY-MM-DD: a later date of birth is in the future. */
const todayUtc = () => new Date().toISOString().slice(0, 10);

export function validateSeedFields(input: SeedFieldsInput, at: (...path: string[]) => string[], changes: ContactChanges, errors: UserError[]): void {
  /** Trimmed text, blank as null; undefined when it is left out or refused. */
  const text = (field: 'gender' | 'website' | 'timeZone' | 'assignedTo', max: number, code: 'TOO_LONG' | 'INVALID_URL') => {
    const value = input[field];
    if (value === undefined) return undefined;
    if (value === null || value.trim() === '') return null;
    const trimmed = value.trim();
    if (lengthOf(trimmed) <= max) return trimmed;
    errors.push(userError(code, at(field), `${field} is longer than ${max} characters.`));
    return undefined;
  };

  const gender = text('gender', SEED_LIMITS.gender, 'TOO_LONG');
  if (gender !== undefined) changes.gender = gender;
  const assignedTo = text('assignedTo', SEED_LIMITS.assignedTo, 'TOO_LONG');
  if (assignedTo !== undefined) changes.assignedTo = assignedTo;

  const website = text('website', SEED_LIMITS.website, 'INVALID_URL');
  if (website === null) changes.website = null;
  else if (website !== undefined) {
    if (isWebUrl(website)) changes.website = website;
    else errors.push(userError('INVALID_URL', at('website'), 'website must be an absolute http or https URL.'));
  }

  const timeZone = text('timeZone', Number.MAX_SAFE_INTEGER, 'TOO_LONG');
  if (timeZone === null) changes.timeZone = null;
  else if (timeZone !== undefined) {
    const canonical = canonicalTimeZone(timeZone);
    if (canonical !== null) changes.timeZone = canonical;
    else errors.push(userError('INVALID_TIME_ZONE', at('timeZone'), `"${timeZone.slice(0, 100)}" is not an IANA time zone name.`));
  }

  if (input.dateOfBirth !== undefined) {
    const date = input.dateOfBirth;
    if (date !== null && date > todayUtc()) errors.push(userError('INVALID_DATE', at('dateOfBirth'), 'dateOfBirth is in the future.'));
    else changes.dateOfBirth = date;
  }

  // null clears the list: the field is never null on a contact.
  if (input.doNotDisturb !== undefined) changes.doNotDisturb = [...new Set(input.doNotDisturb ?? [])].sort(compareCodePoints);
  if (input.lastActivityAt !== undefined) changes.lastActivityAt = input.lastActivityAt === null ? null : input.lastActivityAt.toISOString();
}
