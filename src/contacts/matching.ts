// How upsertContact finds the contact to update (API.md, upsertContact):
// by external ref when one is given, else by the workspace's duplicate
// sequence over all of a live contact's emails and phones.
import type { ContactMatchKey } from '../generated/prisma/enums.js';
import type { ContactChanges, RefEntry } from './contact-state.js';
import type { Tx } from './contact-store.js';

export type KeyMatch = { key: ContactMatchKey; contactId: string };

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
  if (sequence.includes('EMAIL') && values.email) keys.push(`email:${workspaceId}:${values.email.address}`);
  if (sequence.includes('PHONE') && values.phone) keys.push(`phone:${workspaceId}:${values.phone.e164}`);
  return keys;
}

export const refLockKey = (workspaceId: string, ref: RefEntry) => `ref:${workspaceId}:${ref.namespace}:${ref.externalId}`;

const OLDEST_FIRST = [{ createdAt: 'asc' as const }, { id: 'asc' as const }];

export async function contactHoldingRef(tx: Tx, workspaceId: string, ref: RefEntry): Promise<string | null> {
  const found = await tx.externalRef.findFirst({
    where: { workspaceId, namespace: ref.namespace, externalId: ref.externalId, live: true },
    select: { contactId: true },
  });
  return found?.contactId ?? null;
}

/** The oldest live contact holding each value, per key of the sequence, in sequence order. */
export async function matchesBySequence(
  tx: Tx,
  workspaceId: string,
  sequence: readonly ContactMatchKey[],
  values: MatchValues,
): Promise<KeyMatch[]> {
  const matches: KeyMatch[] = [];
  for (const key of sequence) {
    let where = null;
    if (key === 'EMAIL' && values.email) where = { emails: { some: { workspaceId, address: values.email.address } } };
    if (key === 'PHONE' && values.phone) where = { phones: { some: { workspaceId, e164: values.phone.e164 } } };
    if (where === null) continue;
    const found = await tx.contact.findFirst({ where: { workspaceId, deletedAt: null, ...where }, orderBy: OLDEST_FIRST, select: { id: true } });
    if (found) matches.push({ key, contactId: found.id });
  }
  return matches;
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
