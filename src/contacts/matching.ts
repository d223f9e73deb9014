// How upsertContact finds the contact to update (API.md, upsertContact):
// by external ref when one is given, else by the workspace's duplicate
// sequence over all of a live contact's emails and phones.
import { Prisma } from '../generated/prisma/client.js';
import { emailLockKey, phoneLockKey, refLockKey } from '../db/lock-keys.js';
import type { ContactMatchKey } from '../generated/prisma/enums.js';
import type { ContactChanges, RefEntry } from './contact-state.js';
import { storedContact, type ContactStateJson, type StoredContact, type Tx } from './contact-store.js';

export interface MatchValues {
  email: { address: string; field: 'email' | 'emails' } | null;
  phone: { e164: string; field: 'phone' | 'phones' } | null;
}

/** The values an input is matched by: its primary email and phone as sent. */
export function matchValues(changes: ContactChanges): MatchValues {
  const email = changes.email
    ? { address: changes.email.address, field: 'email' as const }
    : changes.emails?.[0]
      ? { address: changes.emails[0].address, field: 'emails' as const }
      : null;
  const phone = changes.phone
    ? { e164: changes.phone.e164, field: 'phone' as const }
    : changes.phones?.[0]
      ? { e164: changes.phones[0].e164, field: 'phones' as const }
      : null;
  return { email, phone };
}

/** Advisory-lock keys that serialize upserts of the same normalized value. */
export function matchLockKeys(workspaceId: string, sequence: readonly ContactMatchKey[], values: MatchValues, ref: RefEntry | null): string[] {
  if (ref !== null) return [refLockKey(workspaceId, ref)];
  const keys: string[] = [];
  if (sequence.includes('EMAIL') && values.email) keys.push(emailLockKey(workspaceId, values.email.address));
  if (sequence.includes('PHONE') && values.phone) keys.push(phoneLockKey(workspaceId, values.phone.e164));
  return keys;
}


/** A key that matched; the first match of the sequence comes locked and read, to be updated. */
export type KeyMatch = { key: ContactMatchKey; contactId: string; contact: StoredContact | null };

/**
 * Takes the key locks, then finds, per key of the sequence in order, the live
 * contact holding the value: the ref's holder, or the oldest live contact
 * with the email (any of its emails) or the phone (any of its phones, on
 * E.164). The first match's contact is locked after the keys and read, all in
 * one round trip (SQL function lock_and_match).
 */
export async function lockAndMatch(
  tx: Tx,
  workspaceId: string,
  keyLocks: readonly string[],
  sequence: readonly ContactMatchKey[],
  values: MatchValues,
  ref: RefEntry | null,
): Promise<KeyMatch[]> {
  const rows = await tx.$queryRaw<MatchRow[]>`${lockAndMatchCall(workspaceId, keyLocks, sequence, values, ref)}`;
  return rows.map(keyMatch);
}

/** A row of lock_and_match. */
export interface MatchRow { key: ContactMatchKey; contactId: string; contact: ContactStateJson | null }

export const keyMatch = (row: MatchRow): KeyMatch => ({ key: row.key, contactId: row.contactId, contact: storedContact(row.contact) });

/** The SELECT of lockAndMatch, to run alone or inside a statement that acts on its result. */
export function lockAndMatchCall(
  workspaceId: string,
  keyLocks: readonly string[],
  sequence: readonly ContactMatchKey[],
  values: MatchValues,
  ref: RefEntry | null,
): Prisma.Sql {
  const keys = ref !== null ? ['EXTERNAL_REF'] : sequence.filter((key) => key !== 'EXTERNAL_REF');
  return Prisma.sql`SELECT "key", "contactId", "contact" FROM lock_and_match(${workspaceId}::uuid, ${[...new Set(keyLocks)]}::text[], ${keys}::text[],
      ${ref?.namespace ?? null}::text, ${ref?.externalId ?? null}::text, ${values.email?.address ?? null}::text, ${values.phone?.e164 ?? null}::text)`;
}

/**
 * The input fields that must not be written to the chosen contact because
 * they carry a key that matched another contact (API.md: skippedFields).
 */
export function fieldsToSkip(changes: ContactChanges, values: MatchValues, conflicting: readonly ContactMatchKey[]): string[] {
  const skipped: string[] = [];
  if (conflicting.includes('EMAIL') && values.email) {
    const address = values.email.address;
    if (changes.email?.address === address) skipped.push('email');
    if (changes.emails?.some((e) => e.address === address)) skipped.push('emails');
  }
  if (conflicting.includes('PHONE') && values.phone) {
    const e164 = values.phone.e164;
    if (changes.phone?.e164 === e164) skipped.push('phone');
    if (changes.phones?.some((p) => p.e164 === e164)) skipped.push('phones');
  }
  return skipped;
}

/** One upsert of a batch, as matchAll looks it up: its keys in order and the values it is matched by. */
export interface BatchLookup {
  keys: readonly ContactMatchKey[];
  values: MatchValues;
  ref: RefEntry | null;
}

/**
 * lockAndMatch's lookup for many upserts in one statement, run after their
 * key locks were taken by a statement of its own (so it sees every write
 * committed under them): per upsert, the keys that matched, in its order,
 * each with the live contact holding the value. Nothing is locked or read.
 */
export async function matchAll(tx: Tx, workspaceId: string, lookups: readonly BatchLookup[]): Promise<{ key: ContactMatchKey; contactId: string }[][]> {
  const matches: { key: ContactMatchKey; contactId: string }[][] = lookups.map(() => []);
  const rows = lookups.map((l, ordinal) => ({
    ordinal, keys: l.ref !== null ? ['EXTERNAL_REF'] : l.keys.filter((key) => key !== 'EXTERNAL_REF'),
    namespace: l.ref?.namespace ?? null, externalId: l.ref?.externalId ?? null, email: l.values.email?.address ?? null, e164: l.values.phone?.e164 ?? null,
  })).filter((row) => row.keys.length > 0);
  if (rows.length === 0) return matches;
  const ws = Prisma.sql`${workspaceId}::uuid`;
  const found = await tx.$queryRaw<{ ordinal: number; key: ContactMatchKey; contactId: string }[]>`
    SELECT i.ordinal, k.key, h.id AS "contactId"
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS i(ordinal int, keys text[], namespace text, "externalId" text, email text, e164 text)
    CROSS JOIN LATERAL unnest(i.keys) WITH ORDINALITY AS k(key, n)
    CROSS JOIN LATERAL (
      SELECT r."contactId" AS id FROM "ExternalRef" r
      WHERE k.key = 'EXTERNAL_REF' AND r."workspaceId" = ${ws} AND r.namespace = i.namespace AND r."externalId" = i."externalId" AND r.live = true
      UNION ALL (SELECT c.id FROM "Email" x JOIN "Contact" c ON c.id = x."contactId"
                 WHERE k.key = 'EMAIL' AND x."workspaceId" = ${ws} AND x.address = i.email AND c."deletedAt" IS NULL
                 ORDER BY c."createdAt", c.id LIMIT 1)
      UNION ALL (SELECT c.id FROM "Phone" x JOIN "Contact" c ON c.id = x."contactId"
                 WHERE k.key = 'PHONE' AND x."workspaceId" = ${ws} AND x.e164 = i.e164 AND c."deletedAt" IS NULL
                 ORDER BY c."createdAt", c.id LIMIT 1)
      LIMIT 1) AS h
    ORDER BY i.ordinal, k.n`;
  for (const row of found) matches[row.ordinal]!.push({ key: row.key, contactId: row.contactId });
  return matches;
}
