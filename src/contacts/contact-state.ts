// A contact as the write rules see it, and the pure functions that compute the
// next state from a validated change (API.md, Rules shared by create, upsert
// and update). Nothing here touches the database.
import type { ContactSource, EmailType, PhoneType } from '../generated/prisma/enums.js';
import type { MessageChannel } from './seed-fields.js';
import { compareCodePoints } from './normalize.js';

export interface EmailEntry { address: string; type: EmailType }
export interface PhoneEntry { number: string; e164: string; type: PhoneType; country: string | null }
export interface ConnectionEntry { companyId: string; jobTitle: string | null; primary: boolean }
export interface AddressEntry {
  type: string | null; street1: string | null; street2: string | null; city: string | null; state: string | null;
  countrySubdivision: string | null; country: string | null; postalCode: string | null;
}
/**
 * An external ref. The remote fields are the other system's own; undefined
 * (only in an upsert's match key) leaves the stored value as it is, and a
 * stored or listed ref has all three.
 */
export interface RefEntry {
  namespace: string;
  externalId: string;
  /** ISO 8601, UTC. */
  remoteCreatedAt?: string | null;
  remoteUpdatedAt?: string | null;
  remoteDeleted?: boolean;
}

export interface ContactState {
  firstName: string | null;
  lastName: string | null;
  primaryLanguage: string | null;
  strategy: string | null;
  linkedInUrl: string | null;
  blocked: boolean;
  profilePictureId: number | null;
  customFields: Record<string, unknown> | null;
  source: ContactSource;
  gender: string | null;
  website: string | null;
  /** Canonical IANA name. */
  timeZone: string | null;
  /** YYYY-MM-DD. */
  dateOfBirth: string | null;
  /** Sorted and unique. */
  doNotDisturb: MessageChannel[];
  assignedTo: string | null;
  /** ISO 8601, UTC. */
  lastActivityAt: string | null;
  tags: string[];
  /** Primary first. */
  emails: EmailEntry[];
  /** Primary first. */
  phones: PhoneEntry[];
  connections: ConnectionEntry[];
  addresses: AddressEntry[];
  externalRefs: RefEntry[];
}

export const SCALAR_FIELDS = [
  'firstName', 'lastName', 'primaryLanguage', 'strategy', 'linkedInUrl', 'blocked', 'profilePictureId', 'customFields', 'source',
  'gender', 'website', 'timeZone', 'dateOfBirth', 'doNotDisturb', 'assignedTo', 'lastActivityAt',
] as const;
export type ScalarField = (typeof SCALAR_FIELDS)[number];

/**
 * A validated change: a field that is undefined is left as it is, and null
 * (where allowed) clears it. Lists replace the whole list.
 */
export interface ContactChanges {
  firstName?: string | null;
  lastName?: string | null;
  primaryLanguage?: string | null;
  strategy?: string | null;
  linkedInUrl?: string | null;
  blocked?: boolean;
  profilePictureId?: number | null;
  customFields?: Record<string, unknown> | null;
  source?: ContactSource;
  gender?: string | null;
  website?: string | null;
  timeZone?: string | null;
  dateOfBirth?: string | null;
  doNotDisturb?: MessageChannel[];
  assignedTo?: string | null;
  lastActivityAt?: string | null;
  tags?: string[];
  /** The primary email; null removes it and the next one becomes primary. */
  email?: EmailEntry | null;
  emails?: EmailEntry[];
  phone?: PhoneEntry | null;
  phones?: PhoneEntry[];
  connections?: ConnectionEntry[];
  addresses?: AddressEntry[];
  externalRefs?: RefEntry[];
}

export function emptyContact(source: ContactSource): ContactState {
  return {
    firstName: null, lastName: null, primaryLanguage: null, strategy: null, linkedInUrl: null, blocked: false,
    profilePictureId: null, customFields: null, source,
    gender: null, website: null, timeZone: null, dateOfBirth: null, doNotDisturb: [], assignedTo: null, lastActivityAt: null, tags: [], emails: [], phones: [], connections: [], addresses: [],
    externalRefs: [],
  };
}

/** Keeps the first entry of each key: the same address or E.164 number twice is stored once. */
export function uniqueBy<T>(entries: readonly T[], key: (entry: T) => string): T[] {
  const seen = new Set<string>();
  return entries.filter((entry) => {
    const k = key(entry);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * The email/phone rule: a list given replaces the list (its first entry is
 * primary); the singular sets the primary, joining the list when it lacks it
 * (keeping the type the list gives it); singular null removes the primary
 * unless a list was given too, in which case the list decides.
 */
function withPrimary<T>(
  current: readonly T[],
  list: readonly T[] | undefined,
  primary: T | null | undefined,
  key: (entry: T) => string,
): T[] {
  let next = list === undefined ? [...current] : [...list];
  if (primary === null && list === undefined) next = next.slice(1);
  if (primary !== null && primary !== undefined) {
    const existing = next.find((entry) => key(entry) === key(primary));
    next = [existing ?? primary, ...next.filter((entry) => key(entry) !== key(primary))];
  }
  return uniqueBy(next, key);
}

export function applyChanges(current: ContactState, changes: ContactChanges): ContactState {
  const next: ContactState = { ...current };
  for (const field of SCALAR_FIELDS) {
    if (changes[field] !== undefined) (next as unknown as Record<string, unknown>)[field] = changes[field];
  }
  if (changes.tags !== undefined) next.tags = changes.tags;
  next.emails = withPrimary(current.emails, changes.emails, changes.email, (e) => e.address);
  next.phones = withPrimary(current.phones, changes.phones, changes.phone, (p) => p.e164);
  if (changes.connections !== undefined) next.connections = changes.connections;
  if (changes.addresses !== undefined) next.addresses = changes.addresses;
  if (changes.externalRefs !== undefined) next.externalRefs = uniqueBy(changes.externalRefs, refKey);
  return next;
}

/** A ref with the remote fields it leaves out at their defaults (null, null, false). */
export function withRemoteDefaults(ref: RefEntry): Required<RefEntry> {
  return { remoteCreatedAt: null, remoteUpdatedAt: null, remoteDeleted: false, ...ref } as Required<RefEntry>;
}

/** The contact's refs with the remote fields `ref` gives set on the ref of its key; the others as they are. */
export function withRemoteFieldsOf(refs: readonly RefEntry[], ref: RefEntry): RefEntry[] {
  const given = Object.fromEntries(Object.entries(ref).filter(([key, value]) => key.startsWith('remote') && value !== undefined));
  return refs.map((r) => (refKey(r) === refKey(ref) ? { ...r, ...given } : r));
}

export function refKey(ref: RefEntry): string {
  return `${ref.namespace}\u0000${ref.externalId}`;
}

/** A set of refs as compared: by key, with the remote fields (their defaults when not given). */
const refsCompared = (refs: readonly RefEntry[]) =>
  refs.map((r) => [refKey(r), r.remoteCreatedAt ?? null, r.remoteUpdatedAt ?? null, r.remoteDeleted ?? false] as const)
    .sort(([a], [b]) => compareCodePoints(a, b));

/**
 * JSON text with every object's keys in code-point order. customFields comes
 * back from jsonb with its keys in jsonb's order, not the order sent: compared
 * as sent, resending the same customFields counted as a change (a new version
 * and a change-feed entry on every sync).
 */
const canonical = (value: unknown) =>
  JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'object' && item !== null && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => compareCodePoints(a, b)))
      : item,
  );
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The contract's names of the fields that differ, for the change feed and to skip no-op writes. */
export function changedFields(before: ContactState, after: ContactState): string[] {
  const fields: string[] = [];
  for (const field of SCALAR_FIELDS) {
    const unchanged = field === 'customFields' ? canonical(before.customFields) === canonical(after.customFields) : same(before[field], after[field]);
    if (!unchanged) fields.push(field);
  }
  if (!same(before.tags, after.tags)) fields.push('tags');
  // The primary address and number are fields of their own (Contact.email, Contact.phone).
  if (before.emails[0]?.address !== after.emails[0]?.address) fields.push('email');
  if (!same(before.emails, after.emails)) fields.push('emails');
  if (before.phones[0]?.e164 !== after.phones[0]?.e164) fields.push('phone');
  if (!same(before.phones, after.phones)) fields.push('phones');
  if (!same(before.connections, after.connections)) fields.push('connections');
  if (!same(before.addresses, after.addresses)) fields.push('addresses');
  if (!same(refsCompared(before.externalRefs), refsCompared(after.externalRefs))) fields.push('externalRefs');
  return fields;
}
