// Reading and writing a contact's rows inside a transaction. The rules of what
// to write live in contact-state.ts; this file only maps them onto tables.
import { Prisma } from '../generated/prisma/client.js';
import type { ContactChangeKind } from '../generated/prisma/enums.js';
import type { ContactState, RefEntry } from './contact-state.js';

export type Tx = Prisma.TransactionClient;

/**
 * Serializes transactions on the given keys until commit: a transaction-scoped
 * advisory lock, taken in one sorted order so two writers cannot deadlock
 * (PRISMA-OFFLINE.md, Advisory locks work on both).
 */
export async function lockKeys(tx: Tx, keys: readonly string[]): Promise<void> {
  const unique = [...new Set(keys)].sort();
  if (unique.length === 0) return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(k)) FROM (SELECT k FROM unnest(${unique}::text[]) AS k ORDER BY k) AS sorted`;
}

export const contactLockKey = (contactId: string) => `contact:${contactId}`;

const STATE_INCLUDE = {
  emails: { orderBy: { position: 'asc' } },
  phones: { orderBy: { position: 'asc' } },
  employments: { orderBy: { position: 'asc' } },
  addresses: { orderBy: { position: 'asc' } },
  externalRefs: { orderBy: [{ namespace: 'asc' }, { externalId: 'asc' }] },
} satisfies Prisma.ContactInclude;

export type ContactRow = Prisma.ContactGetPayload<{ include: typeof STATE_INCLUDE }>;

export async function loadContact(tx: Tx, workspaceId: string, id: string): Promise<{ row: ContactRow; state: ContactState } | null> {
  const row = await tx.contact.findFirst({ where: { id, workspaceId }, include: STATE_INCLUDE, relationLoadStrategy: 'join' });
  return row === null ? null : { row, state: stateOf(row) };
}

function stateOf(row: ContactRow): ContactState {
  return {
    firstName: row.firstName,
    lastName: row.lastName,
    primaryLanguage: row.primaryLanguage,
    strategy: row.strategy,
    linkedInUrl: row.linkedInUrl,
    blocked: row.blocked,
    profilePictureId: row.profilePictureId,
    customFields: (row.customFields as Record<string, unknown> | null) ?? null,
    source: row.source,
    tags: row.tags,
    emails: row.emails.map((e) => ({ address: e.address, type: e.type })),
    phones: row.phones.map((p) => ({ number: p.number, e164: p.e164, type: p.type, country: p.country })),
    connections: row.employments.map((c) => ({ companyId: c.companyId, jobTitle: c.jobTitle, primary: c.primary })),
    addresses: row.addresses.map(({ type, street1, street2, city, state, countrySubdivision, country, postalCode }) => ({
      type, street1, street2, city, state, countrySubdivision, country, postalCode,
    })),
    externalRefs: row.externalRefs.filter((r) => r.live === true || row.deletedAt !== null).map((r) => ({ namespace: r.namespace, externalId: r.externalId })),
  };
}

function scalarData(state: ContactState) {
  return {
    firstName: state.firstName,
    lastName: state.lastName,
    primaryLanguage: state.primaryLanguage,
    strategy: state.strategy,
    linkedInUrl: state.linkedInUrl,
    blocked: state.blocked,
    profilePictureId: state.profilePictureId,
    customFields: state.customFields === null ? Prisma.DbNull : (state.customFields as Prisma.InputJsonValue),
    source: state.source,
    tags: state.tags,
  };
}

function listRows(workspaceId: string, contactId: string, state: ContactState, fields: ReadonlySet<string>) {
  const own = { workspaceId, contactId };
  return {
    emails: fields.has('emails') ? state.emails.map((e, position) => ({ ...own, ...e, position })) : null,
    phones: fields.has('phones') ? state.phones.map((p, position) => ({ ...own, ...p, position })) : null,
    employments: fields.has('connections') ? state.connections.map((c, position) => ({ ...own, ...c, position })) : null,
    addresses: fields.has('addresses') ? state.addresses.map((a, position) => ({ ...own, ...a, position })) : null,
    externalRefs: fields.has('externalRefs') ? state.externalRefs.map((r) => ({ ...own, ...r, live: true })) : null,
  };
}

export async function insertContact(tx: Tx, workspaceId: string, state: ContactState): Promise<string> {
  const { id } = await tx.contact.create({ data: { workspaceId, ...scalarData(state) }, select: { id: true } });
  const rows = listRows(workspaceId, id, state, new Set(['emails', 'phones', 'connections', 'addresses', 'externalRefs']));
  await writeLists(tx, rows);
  return id;
}

/** Writes the fields that changed and bumps version by exactly one. */
export async function updateContactRows(tx: Tx, workspaceId: string, id: string, state: ContactState, changed: readonly string[]): Promise<void> {
  const fields = new Set(changed);
  await tx.contact.update({
    where: { id },
    data: {
      ...scalarData(state),
      version: { increment: 1 },
    },
    select: { id: true },
  });
  const rows = listRows(workspaceId, id, state, fields);
  if (rows.emails) await tx.email.deleteMany({ where: { contactId: id } });
  if (rows.phones) await tx.phone.deleteMany({ where: { contactId: id } });
  if (rows.employments) await tx.employment.deleteMany({ where: { contactId: id } });
  if (rows.addresses) await tx.address.deleteMany({ where: { contactId: id } });
  if (rows.externalRefs) await tx.externalRef.deleteMany({ where: { contactId: id } });
  await writeLists(tx, rows);
}

async function writeLists(tx: Tx, rows: ReturnType<typeof listRows>): Promise<void> {
  if (rows.emails?.length) await tx.email.createMany({ data: rows.emails });
  if (rows.phones?.length) await tx.phone.createMany({ data: rows.phones });
  if (rows.employments?.length) await tx.employment.createMany({ data: rows.employments });
  if (rows.addresses?.length) await tx.address.createMany({ data: rows.addresses });
  if (rows.externalRefs?.length) await tx.externalRef.createMany({ data: rows.externalRefs });
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
 * Appends to the change feed. The workspace lock makes feed ids increase in
 * commit order, so a reader resuming after a cursor never skips a change that
 * committed late (API.md, Change feed).
 *
 * One statement: the lock is taken in a subquery the row is made from, so it
 * is held before the id is drawn from the sequence, as when it was a statement
 * of its own (lockKeys), one round trip sooner. Nothing is read, so the
 * statement's snapshot does not matter. occurredAt is set here, in UTC, as
 * Prisma did.
 */
export async function recordChange(tx: Tx, workspaceId: string, contactId: string, kind: ContactChangeKind, changedFields: readonly string[]): Promise<void> {
  const lockKey = `feed:${workspaceId}`;
  const occurredAt = new Date().toISOString();
  await tx.$executeRaw`INSERT INTO "ContactChange" ("workspaceId", "contactId", "kind", "changedFields", "occurredAt")
    SELECT ${workspaceId}::uuid, ${contactId}::uuid, ${kind}::"ContactChangeKind", ${[...changedFields]}::text[],
           ${occurredAt}::timestamptz AT TIME ZONE 'UTC'
    FROM (SELECT pg_advisory_xact_lock(hashtext(${lockKey}))) AS feed_lock`;
}
