// B1's SQL: what a careful developer would write by hand for the benchmark's
// operations, one statement per operation where SQL allows it. Reads build the
// whole nested answer in PostgreSQL (LATERAL + json_agg); writes are single
// atomic statements (INSERT … ON CONFLICT, data-modifying CTEs), so they are
// race-free without a transaction. Field names in the JSON are the GraphQL
// field names, so graphql-js's default resolvers serve them as they are.

/** A driver, as thin as it gets: pg's Pool (named prepared statements) or PGlite's query. */
export interface Sql {
  query<T = Record<string, unknown>>(name: string, text: string, params: unknown[]): Promise<T[]>;
  /** How many statements were sent since start. */
  readonly statements: number;
}

const iso = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const globalId = (type: string, column: string) => `encode(convert_to('${type}:' || ${column}::text, 'UTF8'), 'base64')`;

/** One contact as JSON with every nested field, from "Contact" c. */
const CONTACT_JSON = `json_build_object(
  'id', ${globalId('Contact', 'c.id')},
  'firstName', c."firstName", 'lastName', c."lastName",
  'displayName', coalesce(nullif(concat_ws(' ', nullif(trim(c."firstName"), ''), nullif(trim(c."lastName"), '')), ''), e.first, p.first, 'Unnamed contact'),
  'email', e.first, 'phone', p.first,
  'emails', coalesce(e.list, '[]'), 'phones', coalesce(p.list, '[]'),
  'connections', coalesce(j.list, '[]'), 'externalRefs', coalesce(r.list, '[]'), 'addresses', coalesce(a.list, '[]'),
  'tags', c.tags, 'primaryLanguage', c."primaryLanguage", 'strategy', c.strategy, 'linkedInUrl', c."linkedInUrl",
  'blocked', c.blocked, 'profilePictureId', c."profilePictureId", 'customFields', c."customFields", 'source', c.source,
  'version', c.version, 'createdAt', ${iso('c."createdAt"')}, 'updatedAt', ${iso('c."updatedAt"')},
  'deletedAt', ${iso('c."deletedAt"')})`;

const CONTACT_JOINS = `
  LEFT JOIN LATERAL (SELECT json_agg(json_build_object('address', x.address, 'type', x.type, 'primary', x.position = 0) ORDER BY x.position) AS list,
                            (array_agg(x.address ORDER BY x.position))[1] AS first
                     FROM "Email" x WHERE x."contactId" = c.id) e ON true
  LEFT JOIN LATERAL (SELECT json_agg(json_build_object('number', x.number, 'e164', x.e164, 'type', x.type, 'primary', x.position = 0, 'country', x.country) ORDER BY x.position) AS list,
                            (array_agg(x.e164 ORDER BY x.position))[1] AS first
                     FROM "Phone" x WHERE x."contactId" = c.id) p ON true
  LEFT JOIN LATERAL (SELECT json_agg(json_build_object('jobTitle', x."jobTitle", 'primary', x."primary",
                              'company', json_build_object('id', ${globalId('Company', 'k.id')}, 'name', k.name, 'domain', k.domain))
                            ORDER BY x."primary" DESC, x.position) AS list
                     FROM "Employment" x JOIN "Company" k ON k.id = x."companyId" WHERE x."contactId" = c.id) j ON true
  LEFT JOIN LATERAL (SELECT json_agg(json_build_object('namespace', x.namespace, 'externalId', x."externalId") ORDER BY x.namespace, x."externalId") AS list
                     FROM "ExternalRef" x WHERE x."contactId" = c.id) r ON true
  LEFT JOIN LATERAL (SELECT json_agg(json_build_object('type', x.type, 'street1', x.street1, 'street2', x.street2, 'city', x.city, 'state', x.state,
                              'countrySubdivision', x."countrySubdivision", 'country', x.country, 'postalCode', x."postalCode") ORDER BY x.position) AS list
                     FROM "Address" x WHERE x."contactId" = c.id) a ON true`;

export const WORKSPACE_BY_KEY_HASH = `SELECT w.id FROM "ApiKey" k JOIN "Workspace" w ON w.id = k."workspaceId" WHERE k.hash = $1 AND k."revokedAt" IS NULL`;

/** $1 workspace, $2 contact uuid. A merged contact's id resolves to its target (API.md, Queries). */
export const CONTACT_BY_ID = `SELECT ${CONTACT_JSON} AS contact FROM "Contact" c ${CONTACT_JOINS}
  WHERE c."workspaceId" = $1 AND c."deletedAt" IS NULL
    AND c.id = coalesce((SELECT m."mergedIntoId" FROM "Contact" m WHERE m.id = $2 AND m."workspaceId" = $1), $2)`;

/** $1 workspace, $2 page size + 1 (to know whether a next page exists), $3 the contact uuid after which to start (or null). */
export const CONTACTS_PAGE = `SELECT coalesce(json_agg(json_build_object('cursor', encode(convert_to(page.id::text, 'UTF8'), 'base64'), 'node', page.contact)), '[]') AS edges
  FROM (SELECT c.id, ${CONTACT_JSON} AS contact FROM "Contact" c ${CONTACT_JOINS}
        WHERE c."workspaceId" = $1 AND c."deletedAt" IS NULL
          AND ($3::uuid IS NULL OR (c."createdAt", c.id) > (SELECT s."createdAt", s.id FROM "Contact" s WHERE s.id = $3::uuid))
        ORDER BY c."createdAt", c.id LIMIT $2) page`;

const CHANGE = (kind: 'CREATED' | 'UPDATED', from: string) =>
  `INSERT INTO "ContactChange" ("workspaceId", "contactId", kind, "changedFields") SELECT $1, id, '${kind}', $4::text[] FROM ${from}`;

/**
 * Upsert by external ref, update half: one statement. Sets the names, makes the
 * given email and phone primary (the rows before them move down one place), bumps
 * version, records the change. No row: the ref has no live holder.
 * $1 workspace, $2 namespace, $3 externalId, $4 changed fields, $5 firstName, $6 lastName,
 * $7 email, $8 new email id, $9 phone number, $10 e164, $11 country, $12 new phone id.
 */
export const UPSERT_UPDATE_BY_REF = `WITH target AS (
    SELECT r."contactId" AS id FROM "ExternalRef" r JOIN "Contact" t ON t.id = r."contactId"
    WHERE r."workspaceId" = $1 AND r.namespace = $2 AND r."externalId" = $3 AND r.live AND t."deletedAt" IS NULL),
  upd AS (UPDATE "Contact" c SET "firstName" = coalesce($5, c."firstName"), "lastName" = coalesce($6, c."lastName"),
            version = c.version + 1, "updatedAt" = now()
          FROM target WHERE c.id = target.id RETURNING c.id, c."firstName", c."lastName", c.version),
  email_at AS (SELECT position FROM "Email" WHERE "contactId" = (SELECT id FROM target) AND address = $7),
  email_shift AS (UPDATE "Email" SET position = position + 1
          WHERE $7::text IS NOT NULL AND "contactId" = (SELECT id FROM upd) AND address <> $7
            AND position < coalesce((SELECT position FROM email_at), 2147483647)),
  email_set AS (INSERT INTO "Email" (id, "workspaceId", "contactId", address, position)
          SELECT $8, $1, upd.id, $7, 0 FROM upd WHERE $7::text IS NOT NULL
          ON CONFLICT ("contactId", address) DO UPDATE SET position = 0),
  phone_at AS (SELECT position FROM "Phone" WHERE "contactId" = (SELECT id FROM target) AND e164 = $10),
  phone_shift AS (UPDATE "Phone" SET position = position + 1
          WHERE $10::text IS NOT NULL AND "contactId" = (SELECT id FROM upd) AND e164 <> $10
            AND position < coalesce((SELECT position FROM phone_at), 2147483647)),
  phone_set AS (INSERT INTO "Phone" (id, "workspaceId", "contactId", number, e164, country, position)
          SELECT $12, $1, upd.id, $9, $10, $11, 0 FROM upd WHERE $10::text IS NOT NULL
          ON CONFLICT ("contactId", e164) DO UPDATE SET position = 0, number = excluded.number),
  change AS (${CHANGE('UPDATED', 'upd')})
  SELECT id, "firstName", "lastName", version FROM upd`;

/**
 * Upsert by external ref, create half: one statement. The ref is inserted first
 * with ON CONFLICT DO NOTHING, and the contact only if the ref went in, so two
 * racing creators make one contact: the loser gets no row and updates instead.
 * (The ref's foreign key is checked at the end of the statement, when the
 * contact exists.) Parameters as UPSERT_UPDATE_BY_REF, plus $13 new contact id, $14 new ref id.
 */
export const UPSERT_CREATE_BY_REF = `WITH ref AS (
    INSERT INTO "ExternalRef" (id, "workspaceId", "contactId", namespace, "externalId", live)
    VALUES ($14, $1, $13, $2, $3, true)
    ON CONFLICT ("workspaceId", namespace, "externalId", live) DO NOTHING RETURNING "contactId"),
  ins AS (INSERT INTO "Contact" (id, "workspaceId", "firstName", "lastName", source, "updatedAt")
          SELECT "contactId", $1, $5, $6, 'API', now() FROM ref RETURNING id, "firstName", "lastName", version),
  email AS (INSERT INTO "Email" (id, "workspaceId", "contactId", address, position) SELECT $8, $1, id, $7, 0 FROM ins WHERE $7::text IS NOT NULL),
  phone AS (INSERT INTO "Phone" (id, "workspaceId", "contactId", number, e164, country, position)
            SELECT $12, $1, id, $9, $10, $11, 0 FROM ins WHERE $10::text IS NOT NULL),
  change AS (${CHANGE('CREATED', 'ins')})
  SELECT id, "firstName", "lastName", version FROM ins`;

/** $1 workspace, $2 contact uuid (a merged id resolves to its target), $3 expected version or null, $4 changed fields, $5 firstName, $6 lastName, $7 which names are set (bit 1 first, bit 2 last). */
export const UPDATE_NAMES = `WITH upd AS (
    UPDATE "Contact" c SET "firstName" = CASE WHEN $7::int & 1 = 1 THEN $5 ELSE c."firstName" END,
                           "lastName" = CASE WHEN $7::int & 2 = 2 THEN $6 ELSE c."lastName" END,
                           version = c.version + 1, "updatedAt" = now()
    WHERE c."workspaceId" = $1 AND c."deletedAt" IS NULL
      AND c.id = coalesce((SELECT m."mergedIntoId" FROM "Contact" m WHERE m.id = $2 AND m."workspaceId" = $1), $2)
      AND ($3::int IS NULL OR c.version = $3::int)
    RETURNING c.id, c."firstName", c."lastName", c.version, c."updatedAt"),
  change AS (${CHANGE('UPDATED', 'upd')})
  SELECT id, "firstName", "lastName", version, ${iso('"updatedAt"')} AS "updatedAt" FROM upd`;

/** Only when UPDATE_NAMES found nothing: tells NOT_FOUND from VERSION_CONFLICT. */
export const CONTACT_VERSION = `SELECT version FROM "Contact" WHERE id = $2 AND "workspaceId" = $1 AND "deletedAt" IS NULL`;
