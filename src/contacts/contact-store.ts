// Locking and reading contacts inside a transaction. The rules of what to
// write live in contact-state.ts; the statements that write rows are in
// contact-rows.ts. The SQL functions used here are created by the migration
// 20261123230000_contact_write_functions, which says why they are functions.
import { LOCK_PREFIX } from '../db/lock-keys.js';
import { Prisma, type Contact } from '../generated/prisma/client.js';
import type { ContactState, RefEntry } from './contact-state.js';

export type Tx = Prisma.TransactionClient;

/**
 * Serializes transactions on the given keys until commit: a transaction-scoped
 * advisory lock, taken in one sorted order so two writers cannot deadlock
 * (PGlite and PostgreSQL both have them). The SQL functions sort
 * their key locks the same way, in the database.
 */
export async function lockKeys(tx: Tx, keys: readonly string[]): Promise<void> {
  const unique = [...new Set(keys)].sort();
  if (unique.length === 0) return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(k)) FROM (SELECT k FROM unnest(${unique}::text[]) AS k ORDER BY k) AS sorted`;
}

/** A contact as stored: its row, every ref it has (live or not), and its state. */
export interface StoredContact {
  row: Contact;
  refs: RefEntry[];
  state: ContactState;
}

/** A contact row as to_jsonb gives it: timestamps as text, without their zone (Prisma stores UTC). */
export type ContactJson = Omit<Contact, 'createdAt' | 'updatedAt' | 'deletedAt' | 'lastActivityAt' | 'dateOfBirth'> & {
  createdAt: string; updatedAt: string; deletedAt: string | null; lastActivityAt: string | null; dateOfBirth: string | null;
};

/** A timestamp column as to_jsonb gives it (UTC, without its zone). */
const utcDate = (text: string) => new Date(`${text}Z`);
const utcIso = (text: string | null) => (text === null ? null : utcDate(text).toISOString());

export function contactFromJson(json: ContactJson): Contact {
  return {
    ...json,
    createdAt: utcDate(json.createdAt),
    updatedAt: utcDate(json.updatedAt),
    deletedAt: json.deletedAt === null ? null : utcDate(json.deletedAt),
    lastActivityAt: json.lastActivityAt === null ? null : utcDate(json.lastActivityAt),
    // A date column: midnight UTC of that day, as Prisma reads it.
    dateOfBirth: json.dateOfBirth === null ? null : new Date(`${json.dateOfBirth}T00:00:00Z`),
  };
}

/**
 * The JSON of the SQL function contact_state: the contact's row, and the
 * state's fields (tags may be null, refs say whether they are live). It also
 * carries version, deletedAt and mergedIntoId beside the row, unread here.
 */
export interface ContactStateJson extends Omit<ContactState, 'tags' | 'doNotDisturb' | 'externalRefs'> {
  row: ContactJson;
  tags: string[] | null;
  doNotDisturb: ContactState['doNotDisturb'] | null;
  externalRefs: {
    namespace: string; externalId: string; live: boolean | null;
    remoteCreatedAt: string | null; remoteUpdatedAt: string | null; remoteDeleted: boolean;
  }[];
}

/**
 * Takes the key locks (sorted), then the contact's lock, then reads the
 * contact, in one round trip. null when the workspace has no such contact.
 */
export async function lockContact(tx: Tx, workspaceId: string, contactId: string, keyLocks: readonly string[] = []): Promise<StoredContact | null> {
  const [found] = await tx.$queryRaw<{ contact: ContactStateJson | null }[]>`
    SELECT lock_contact(${workspaceId}::uuid, ${contactId}::uuid, ${[...new Set(keyLocks)]}::text[]) AS contact`;
  return storedContact(found?.contact ?? null);
}

/** Something that runs raw SQL: the client, or a transaction. */
export type Db = Pick<Tx, '$executeRaw' | '$queryRaw'>;

/** Reads a contact as one snapshot: under its lock in a transaction, or to write it at the version read. */
export async function loadContact(tx: Db, workspaceId: string, contactId: string): Promise<StoredContact | null> {
  const [found] = await tx.$queryRaw<{ contact: ContactStateJson | null }[]>`
    SELECT contact_state(${workspaceId}::uuid, ${contactId}::uuid) AS contact`;
  return storedContact(found?.contact ?? null);
}

/** Rebuilds entries field by field, in ContactState's key order: changedFields compares them as JSON. */
export function storedContact(json: ContactStateJson | null): StoredContact | null {
  if (json === null) return null;
  const row = contactFromJson(json.row);
  const refs = json.externalRefs.map((r) => ({
    namespace: r.namespace, externalId: r.externalId, live: r.live,
    remoteCreatedAt: utcIso(r.remoteCreatedAt), remoteUpdatedAt: utcIso(r.remoteUpdatedAt), remoteDeleted: r.remoteDeleted,
  }));
  return {
    row,
    refs: refs.map(({ namespace, externalId }) => ({ namespace, externalId })),
    state: {
      firstName: json.firstName,
      lastName: json.lastName,
      primaryLanguage: json.primaryLanguage,
      strategy: json.strategy,
      linkedInUrl: json.linkedInUrl,
      blocked: json.blocked,
      profilePictureId: json.profilePictureId,
      customFields: json.customFields ?? null,
      source: json.source,
      gender: json.gender,
      website: json.website,
      timeZone: json.timeZone,
      dateOfBirth: json.dateOfBirth,
      doNotDisturb: json.doNotDisturb ?? [],
      assignedTo: json.assignedTo,
      lastActivityAt: utcIso(json.lastActivityAt),
      tags: json.tags ?? [],
      emails: json.emails.map((e) => ({ address: e.address, type: e.type })),
      phones: json.phones.map((p) => ({ number: p.number, e164: p.e164, type: p.type, country: p.country })),
      connections: json.connections.map((c) => ({ companyId: c.companyId, jobTitle: c.jobTitle, primary: c.primary })),
      addresses: json.addresses.map(({ type, street1, street2, city, state, countrySubdivision, country, postalCode }) => ({
        type, street1, street2, city, state, countrySubdivision, country, postalCode,
      })),
      // A deleted contact keeps its refs (live NULL); a live one shows only its live refs.
      externalRefs: refs.filter((r) => r.live === true || row.deletedAt !== null).map(({ live: _live, ...ref }) => ref),
    },
  };
}

/** Refs of the list already held by a live contact other than `contactId`. */
export async function refsHeldByOthers(tx: Tx, workspaceId: string, contactId: string | null, refs: readonly RefEntry[]): Promise<RefEntry[]> {
  if (refs.length === 0) return [];
  const held = await tx.externalRef.findMany({
    where: {
      workspaceId,
      live: true,
      OR: refs.map((r) => ({ namespace: r.namespace, externalId: r.externalId })),
      ...(contactId === null ? {} : { contactId: { not: contactId } }),
    },
    select: { namespace: true, externalId: true },
  });
  return held;
}

/** Ids among `companyIds` that are not companies of the workspace. */
export async function missingCompanies(tx: Tx, workspaceId: string, companyIds: readonly string[]): Promise<Set<string>> {
  const unique = [...new Set(companyIds)];
  if (unique.length === 0) return new Set();
  const found = await tx.company.findMany({ where: { workspaceId, id: { in: unique } }, select: { id: true } });
  const present = new Set(found.map((c) => c.id));
  return new Set(unique.filter((id) => !present.has(id)));
}

/**
 * lockContact for many contacts in one round trip: their locks in one sorted
 * order (as merge takes them), each read after its lock was granted. A
 * contact the workspace does not have is left out.
 */
export async function lockContacts(tx: Tx, workspaceId: string, contactIds: readonly string[]): Promise<Map<string, StoredContact>> {
  const unique = [...new Set(contactIds)];
  if (unique.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ id: string; contact: ContactStateJson | null }[]>`
    SELECT sorted.id, lock_contact(${workspaceId}::uuid, sorted.id, '{}'::text[]) AS contact
    FROM (SELECT g.id FROM unnest(${unique}::uuid[]) AS g(id) ORDER BY ${LOCK_PREFIX.contact} || g.id::text) AS sorted`;
  const stored = new Map<string, StoredContact>();
  for (const row of rows) {
    const contact = storedContact(row.contact);
    if (contact !== null) stored.set(row.id, contact);
  }
  return stored;
}
