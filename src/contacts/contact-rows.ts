// The statements that write a contact's rows and its change-feed entry. Each
// write is one statement (data-modifying CTEs): a round trip inside the
// transaction costs Node CPU, so the contact row, its lists and the feed row
// go together. Values travel as parameters only (lists as one JSON parameter
// each, unpacked by jsonb_to_recordset); the SQL text is fixed per shape.
import { Prisma, type Contact } from '../generated/prisma/client.js';
import type { ContactChangeKind } from '../generated/prisma/enums.js';
import type { ContactState } from './contact-state.js';
import { contactFromJson, type ContactJson, type Db, type Tx } from './contact-store.js';
import { contactLockKey, feedLockKey } from '../db/lock-keys.js';
import { newRowId } from './row-id.js';

/** The lists of a contact, by the contract's field name. */
const LISTS = ['emails', 'phones', 'connections', 'addresses', 'externalRefs'] as const;
type ListField = (typeof LISTS)[number];

/** A list's rows as one JSON parameter, with their new ids and positions. */
function listJson(state: ContactState, field: ListField, now: number): string {
  const rows: object[] =
    field === 'externalRefs'
      ? state.externalRefs.map((r) => ({ id: newRowId(now), ...r }))
      : (state[field] as object[]).map((entry, position) => ({ id: newRowId(now), ...entry, position }));
  return JSON.stringify(rows);
}

/**
 * Inserts a list's rows for the contact of the CTE `contact`. `after` names a
 * CTE that must run first (the delete of the old rows): reading it makes the
 * insert wait for it, so old and new rows never meet on a unique index. Rows
 * may name their contact ("contactId"), for a CTE `contact` of many rows.
 */
function insertList(field: ListField, workspaceId: string, json: string, after: Prisma.Sql): Prisma.Sql {
  const ws = Prisma.sql`${workspaceId}::uuid`;
  switch (field) {
    case 'emails':
      return Prisma.sql`INSERT INTO "Email" (id, "workspaceId", "contactId", address, type, position)
        SELECT x.id, ${ws}, contact.id, x.address, x.type::"EmailType", x.position
        FROM contact, jsonb_to_recordset(${json}::jsonb) AS x(id uuid, "contactId" uuid, address text, type text, position int) ${after}`;
    case 'phones':
      return Prisma.sql`INSERT INTO "Phone" (id, "workspaceId", "contactId", number, e164, type, country, position)
        SELECT x.id, ${ws}, contact.id, x.number, x.e164, x.type::"PhoneType", x.country, x.position
        FROM contact, jsonb_to_recordset(${json}::jsonb) AS x(id uuid, "contactId" uuid, number text, e164 text, type text, country text, position int) ${after}`;
    case 'connections':
      return Prisma.sql`INSERT INTO "Employment" (id, "workspaceId", "contactId", "companyId", "jobTitle", "primary", position)
        SELECT x.id, ${ws}, contact.id, x."companyId", x."jobTitle", x."primary", x.position
        FROM contact, jsonb_to_recordset(${json}::jsonb) AS x(id uuid, "contactId" uuid, "companyId" uuid, "jobTitle" text, "primary" boolean, position int) ${after}`;
    case 'addresses':
      return Prisma.sql`INSERT INTO "Address" (id, "workspaceId", "contactId", position, type, street1, street2, city, state, "countrySubdivision", country, "postalCode")
        SELECT x.id, ${ws}, contact.id, x.position, x.type, x.street1, x.street2, x.city, x.state, x."countrySubdivision", x.country, x."postalCode"
        FROM contact, jsonb_to_recordset(${json}::jsonb) AS x(id uuid, "contactId" uuid, position int, type text, street1 text, street2 text, city text, state text,
                                                           "countrySubdivision" text, country text, "postalCode" text) ${after}`;
    case 'externalRefs':
      return Prisma.sql`INSERT INTO "ExternalRef" (id, "workspaceId", "contactId", namespace, "externalId", live, "remoteCreatedAt", "remoteUpdatedAt", "remoteDeleted")
        SELECT x.id, ${ws}, contact.id, x.namespace, x."externalId", true,
               x."remoteCreatedAt" AT TIME ZONE 'UTC', x."remoteUpdatedAt" AT TIME ZONE 'UTC', coalesce(x."remoteDeleted", false)
        FROM contact, jsonb_to_recordset(${json}::jsonb)
          AS x(id uuid, "contactId" uuid, namespace text, "externalId" text, "remoteCreatedAt" timestamptz, "remoteUpdatedAt" timestamptz, "remoteDeleted" boolean) ${after}`;
  }
}

const TABLE_OF: Record<ListField, Prisma.Sql> = {
  emails: Prisma.raw('"Email"'),
  phones: Prisma.raw('"Phone"'),
  connections: Prisma.raw('"Employment"'),
  addresses: Prisma.raw('"Address"'),
  externalRefs: Prisma.raw('"ExternalRef"'),
};

/** Fragments one after the other; Prisma.join refuses an empty list. */
const sequenceOf = (parts: Prisma.Sql[]) => (parts.length === 0 ? Prisma.empty : Prisma.join(parts, ' '));

/** Timestamps as Prisma writes them: the client's clock, in UTC. */
const utc = (now: number) => Prisma.sql`${new Date(now).toISOString()}::timestamptz AT TIME ZONE 'UTC'`;

/** lastActivityAt is ISO 8601 in UTC; the column holds UTC without a zone, as Prisma writes it. */
const lastActivity = (state: ContactState) => Prisma.sql`${state.lastActivityAt}::timestamptz AT TIME ZONE 'UTC'`;

const customFieldsJson = (state: ContactState) => (state.customFields === null ? null : JSON.stringify(state.customFields));

/** Between the values of a search column: U+0001, which no value contains. */
const SEPARATOR = '\u0001';

/**
 * The search columns of a new contact, as the database's contact_search_text
 * and contact_phone_keys compute them from its rows (migration
 * search_columns_given_on_insert): given on insert, they spare the row the
 * rewrite by the Email and Phone triggers, which then find it up to date.
 */
function searchColumns(state: ContactState): { searchText: string; phoneKeys: string | null } {
  const emails = state.emails.length > 0 ? [state.emails.map((e) => e.address).join(SEPARATOR)] : [];
  const names = [state.firstName, state.lastName].filter((name): name is string => name !== null);
  return {
    searchText: [...names, ...emails].join(SEPARATOR),
    phoneKeys: state.phones.length === 0 ? null : `${SEPARATOR}${state.phones.map((p) => p.e164).join(SEPARATOR)}${SEPARATOR}`,
  };
}

/**
 * The feed entry of the contact of the CTE `contact`. The workspace's feed lock
 * is taken in a subquery the row is made from, so it is held before the id is
 * drawn from the sequence, and after the contact's row was written (LATERAL),
 * so after any key lock the statement takes first: feed ids increase in commit order, and a reader
 * resuming after a cursor never skips a change that committed late (API.md,
 * Change feed). Nothing is read, so the statement's snapshot does not matter.
 */
function feedEntry(workspaceId: string, kind: ContactChangeKind, changedFields: readonly string[]): Prisma.Sql {
  // occurredAt is the database's clock once the feed lock is held, so it never
  // goes backwards in feed order either; the time the statement was built,
  // before waiting for the lock, went back up to 40 ms on PostgreSQL under 24
  // concurrent writers.
  return Prisma.sql`INSERT INTO "ContactChange" ("workspaceId", "contactId", "kind", "changedFields", "occurredAt")
    SELECT ${workspaceId}::uuid, contact.id, ${kind}::"ContactChangeKind", ${[...changedFields]}::text[], clock_timestamp() AT TIME ZONE 'UTC'
    FROM contact, LATERAL (SELECT pg_advisory_xact_lock(hashtext(${feedLockKey(workspaceId)})) WHERE contact.id IS NOT NULL) AS feed_lock`;
}


/** The statement that creates the contact with all its lists and its CREATED feed entry. */
function contactCreation(workspaceId: string, id: string, state: ContactState, changedFields: readonly string[], condition: Prisma.Sql): Prisma.Sql {
  const now = Date.now();
  const search = searchColumns(state);
  const lists = LISTS.filter((field) => state[field].length > 0).map(
    (field) => Prisma.sql`, ${Prisma.raw(`new_${field}`)} AS (${insertList(field, workspaceId, listJson(state, field, now), Prisma.empty)})`,
  );
  return Prisma.sql`contact AS (
      INSERT INTO "Contact" (id, "workspaceId", "firstName", "lastName", "primaryLanguage", strategy, "linkedInUrl", blocked,
                             "profilePictureId", "customFields", source, tags, gender, website, "timeZone", "dateOfBirth",
                             "doNotDisturb", "assignedTo", "lastActivityAt", "searchText", "phoneKeys", version, "createdAt", "updatedAt")
      SELECT ${id}::uuid, ${workspaceId}::uuid, ${state.firstName}, ${state.lastName}, ${state.primaryLanguage}, ${state.strategy},
             ${state.linkedInUrl}, ${state.blocked}, ${state.profilePictureId}::int, ${customFieldsJson(state)}::jsonb,
             ${state.source}::"ContactSource", ${state.tags}::text[], ${state.gender}, ${state.website}, ${state.timeZone},
             ${state.dateOfBirth}::date, ${state.doNotDisturb}::text[], ${state.assignedTo},
             ${lastActivity(state)}, ${search.searchText}, ${search.phoneKeys}, 1, ${utc(now)}, ${utc(now)}
      ${condition}
      RETURNING *)
    ${sequenceOf(lists)}, feed AS (${feedEntry(workspaceId, 'CREATED', changedFields)})`;
}

/** Creates the contact with all its lists and its CREATED feed entry, in one statement. */
export async function insertContact(tx: Db, workspaceId: string, state: ContactState, changedFields: readonly string[]): Promise<Contact> {
  const id = newRowId();
  const [row] = await tx.$queryRaw<{ created: ContactJson }[]>`WITH ${contactCreation(workspaceId, id, state, changedFields, Prisma.empty)}
    SELECT to_jsonb(contact.*) AS created FROM contact`;
  return contactFromJson(row!.created);
}

/**
 * One statement: runs `lookup` (a set-returning SQL call that takes its locks
 * and finds matches) and creates the contact only when it returned no row.
 * The creation reads the lookup's result, so it runs after the lookup's locks
 * were granted. Returns the lookup's rows, or the new contact's row as the
 * database stored it.
 */
export async function insertContactUnlessFound<Row>(
  db: Db,
  workspaceId: string,
  state: ContactState,
  changedFields: readonly string[],
  lookup: Prisma.Sql,
): Promise<{ found: Row[]; created: Contact | null }> {
  const id = newRowId();
  const rows = await db.$queryRaw<(Row & { created: ContactJson | null })[]>`WITH found AS MATERIALIZED (${lookup}),
    ${contactCreation(workspaceId, id, state, changedFields, Prisma.sql`WHERE NOT EXISTS (SELECT 1 FROM found)`)}
    SELECT found.*, NULL::jsonb AS created FROM found
    UNION ALL SELECT found.*, to_jsonb(contact.*) FROM contact LEFT JOIN found ON false`;
  const created = rows.find((row) => row.created !== null)?.created;
  return created ? { found: [], created: contactFromJson(created) } : { found: rows, created: null };
}

/**
 * Writes the contact's fields, bumps version by exactly one, replaces the
 * lists named in `changed` and appends the feed entry, in one statement.
 * With `expectedVersion`, writes only while the contact is live and still at
 * that version; null when it was not (nothing written). Returns the contact's
 * row as written.
 *
 * The statement takes the contact's lock before it writes the row (held
 * already, and taken again for free, inside a transaction that locked the
 * contact). A writer outside a transaction must: a locked writer computes its
 * whole next state from what it read under the lock, so a write slipped in
 * between its read and its write would be overwritten. Waiting for the lock,
 * the optimistic write then finds the version moved (the row is re-checked
 * once its latest version is known) and writes nothing.
 */
export async function updateContactRows(
  tx: Db,
  workspaceId: string,
  id: string,
  state: ContactState,
  changed: readonly string[],
  kind: ContactChangeKind = 'UPDATED',
  expectedVersion: number | null = null,
): Promise<Contact | null> {
  const now = Date.now();
  const lists = LISTS.filter((field) => changed.includes(field)).map((field) => {
    const gone = Prisma.raw(`old_${field}`);
    return Prisma.sql`, ${gone} AS (DELETE FROM ${TABLE_OF[field]} WHERE "contactId" IN (SELECT id FROM contact) RETURNING 1),
      ${Prisma.raw(`new_${field}`)} AS (${insertList(field, workspaceId, listJson(state, field, now), Prisma.sql`WHERE (SELECT count(*) FROM ${gone}) >= 0`)})`;
  });
  const unchanged = expectedVersion === null ? Prisma.empty : Prisma.sql`AND version = ${expectedVersion}::int AND "deletedAt" IS NULL`;
  const [written] = await tx.$queryRaw<Contact[]>`WITH contact_lock AS MATERIALIZED (SELECT pg_advisory_xact_lock(hashtext(${contactLockKey(id)})) AS held),
    contact AS (
      UPDATE "Contact" SET "firstName" = ${state.firstName}, "lastName" = ${state.lastName}, "primaryLanguage" = ${state.primaryLanguage},
        strategy = ${state.strategy}, "linkedInUrl" = ${state.linkedInUrl}, blocked = ${state.blocked},
        "profilePictureId" = ${state.profilePictureId}::int, "customFields" = ${customFieldsJson(state)}::jsonb,
        source = ${state.source}::"ContactSource", tags = ${state.tags}::text[], gender = ${state.gender}, website = ${state.website},
        "timeZone" = ${state.timeZone}, "dateOfBirth" = ${state.dateOfBirth}::date,
        "doNotDisturb" = ${state.doNotDisturb}::text[], "assignedTo" = ${state.assignedTo},
        "lastActivityAt" = ${lastActivity(state)}, version = version + 1, "updatedAt" = ${utc(now)}
      WHERE id = ${id}::uuid ${unchanged} AND EXISTS (SELECT 1 FROM contact_lock)
      RETURNING *)
    ${sequenceOf(lists)}, feed AS (${feedEntry(workspaceId, kind, changed)})
    SELECT contact.* FROM contact`;
  return written ?? null;
}

/** Appends one feed entry for a contact whose rows were written otherwise. */
export async function recordChange(tx: Tx, workspaceId: string, contactId: string, kind: ContactChangeKind, changedFields: readonly string[]): Promise<void> {
  await tx.$executeRaw`WITH contact AS (SELECT ${contactId}::uuid AS id) ${feedEntry(workspaceId, kind, changedFields)}`;
}

/** A contact a batch writes: its id, the state to store and the fields its feed entry names. */
export interface ContactWrite {
  contactId: string;
  state: ContactState;
  changedFields: readonly string[];
}

/** The contact columns a write sets, as one JSON row (read back by jsonb_to_recordset with CONTACT_COLUMNS). */
function contactJson(id: string, state: ContactState) {
  return {
    id, firstName: state.firstName, lastName: state.lastName, primaryLanguage: state.primaryLanguage, strategy: state.strategy,
    linkedInUrl: state.linkedInUrl, blocked: state.blocked, profilePictureId: state.profilePictureId, customFields: state.customFields,
    source: state.source, tags: state.tags, gender: state.gender, website: state.website, timeZone: state.timeZone,
    dateOfBirth: state.dateOfBirth, doNotDisturb: state.doNotDisturb, assignedTo: state.assignedTo, lastActivityAt: state.lastActivityAt,
  };
}

const CONTACT_COLUMNS = Prisma.raw(`id uuid, "firstName" text, "lastName" text, "primaryLanguage" text, strategy text, "linkedInUrl" text,
  blocked boolean, "profilePictureId" int, "customFields" jsonb, source text, tags text[], gender text, website text, "timeZone" text,
  "dateOfBirth" date, "doNotDisturb" text[], "assignedTo" text, "lastActivityAt" timestamptz`);

/** A list's rows of many contacts as one JSON parameter, each with its contact's id, a new id and its position. */
function batchListJson(writes: readonly ContactWrite[], field: ListField, now: number): string {
  return JSON.stringify(writes.flatMap((w) => JSON.parse(listJson(w.state, field, now)).map((row: object) => ({ ...row, contactId: w.contactId }))));
}

/**
 * Writes a batch of contacts in one statement: creates `created` (version 1)
 * and updates `updated` (version + 1; the caller holds their locks and knows
 * they are live), replaces the lists each update changed, and appends one
 * feed entry per contact in `feedOrder`, under the feed lock, taken last (as
 * feedEntry does). Returns the rows as the database stored them, by id.
 */
export async function writeContacts(
  tx: Tx,
  workspaceId: string,
  created: readonly ContactWrite[],
  updated: readonly ContactWrite[],
  feedOrder: readonly string[],
): Promise<Map<string, Contact>> {
  const now = Date.now();
  const ws = Prisma.sql`${workspaceId}::uuid`;
  const all = [...created, ...updated];
  const byId = new Map(all.map((w) => [w.contactId, w]));
  const lists = LISTS.flatMap((field) => {
    const writes = [...created.filter((w) => w.state[field].length > 0), ...updated.filter((w) => w.changedFields.includes(field))];
    const gone = updated.filter((w) => w.changedFields.includes(field)).map((w) => w.contactId);
    const old = Prisma.raw(`old_${field}`);
    const deletion = gone.length === 0 ? [] : [Prisma.sql`${old} AS (DELETE FROM ${TABLE_OF[field]} WHERE "workspaceId" = ${ws} AND "contactId" = ANY(${gone}::uuid[]) RETURNING 1)`];
    // Each row joins its own contact among those the statement wrote, after the old rows are gone.
    const condition = Prisma.sql`WHERE x."contactId" = contact.id ${gone.length === 0 ? Prisma.empty : Prisma.sql`AND (SELECT count(*) FROM ${old}) >= 0`}`;
    const insertion = writes.length === 0 ? [] : [Prisma.sql`${Prisma.raw(`new_${field}`)} AS (${insertList(field, workspaceId, batchListJson(writes, field, now), condition)})`];
    return [...deletion, ...insertion];
  });
  const rowsOf = (writes: readonly ContactWrite[]) => JSON.stringify(writes.map((w) => contactJson(w.contactId, w.state)));
  const creation = Prisma.sql`created AS (
      INSERT INTO "Contact" (id, "workspaceId", "firstName", "lastName", "primaryLanguage", strategy, "linkedInUrl", blocked,
                             "profilePictureId", "customFields", source, tags, gender, website, "timeZone", "dateOfBirth",
                             "doNotDisturb", "assignedTo", "lastActivityAt", "searchText", "phoneKeys", version, "createdAt", "updatedAt")
      SELECT x.id, ${ws}, x."firstName", x."lastName", x."primaryLanguage", x.strategy, x."linkedInUrl", x.blocked,
             x."profilePictureId", x."customFields", x.source::"ContactSource", x.tags, x.gender, x.website, x."timeZone", x."dateOfBirth",
             x."doNotDisturb", x."assignedTo", x."lastActivityAt" AT TIME ZONE 'UTC', x."searchText", x."phoneKeys", 1, ${utc(now)}, ${utc(now)}
      FROM jsonb_to_recordset(${JSON.stringify(created.map((w) => ({ ...contactJson(w.contactId, w.state), ...searchColumns(w.state) })))}::jsonb)
        AS x(${CONTACT_COLUMNS}, "searchText" text, "phoneKeys" text)
      RETURNING *)`;
  const update = Prisma.sql`updated AS (
      UPDATE "Contact" c SET "firstName" = x."firstName", "lastName" = x."lastName", "primaryLanguage" = x."primaryLanguage",
        strategy = x.strategy, "linkedInUrl" = x."linkedInUrl", blocked = x.blocked, "profilePictureId" = x."profilePictureId",
        "customFields" = x."customFields", source = x.source::"ContactSource", tags = x.tags, gender = x.gender, website = x.website,
        "timeZone" = x."timeZone", "dateOfBirth" = x."dateOfBirth", "doNotDisturb" = x."doNotDisturb", "assignedTo" = x."assignedTo",
        "lastActivityAt" = x."lastActivityAt" AT TIME ZONE 'UTC', version = c.version + 1, "updatedAt" = ${utc(now)}
      FROM jsonb_to_recordset(${rowsOf(updated)}::jsonb) AS x(${CONTACT_COLUMNS})
      WHERE c.id = x.id AND c."workspaceId" = ${ws}
      RETURNING c.*)`;
  const writers = [...(created.length > 0 ? [Prisma.raw('created')] : []), ...(updated.length > 0 ? [Prisma.raw('updated')] : [])];
  const feed = feedOrder.map((id, ordinal) => ({ ordinal, contactId: id, kind: created.some((w) => w.contactId === id) ? 'CREATED' : 'UPDATED', changedFields: byId.get(id)!.changedFields }));
  const rows = await tx.$queryRaw<{ written: ContactJson }[]>`WITH
    ${Prisma.join([...(created.length > 0 ? [creation] : []), ...(updated.length > 0 ? [update] : [])], ', ')},
    contact AS (${Prisma.join(writers.map((w) => Prisma.sql`SELECT id FROM ${w}`), ' UNION ALL ')})
    ${sequenceOf(lists.map((cte) => Prisma.sql`, ${cte}`))},
    feed AS (
      INSERT INTO "ContactChange" ("workspaceId", "contactId", "kind", "changedFields", "occurredAt")
      SELECT ${ws}, f."contactId", f.kind::"ContactChangeKind", f."changedFields", clock_timestamp() AT TIME ZONE 'UTC'
      FROM jsonb_to_recordset(${JSON.stringify(feed)}::jsonb) AS f(ordinal int, "contactId" uuid, kind text, "changedFields" text[])
      JOIN contact ON contact.id = f."contactId",
      LATERAL (SELECT pg_advisory_xact_lock(hashtext(${feedLockKey(workspaceId)}))) AS feed_lock
      ORDER BY f.ordinal)
    ${Prisma.join(writers.map((w) => Prisma.sql`SELECT to_jsonb(${w}.*) AS written FROM ${w}`), ' UNION ALL ')}`;
  if (rows.length !== all.length) throw new Error(`batch wrote ${rows.length} of ${all.length} contacts`);
  return new Map(rows.map((r) => [r.written.id, contactFromJson(r.written)]));
}
