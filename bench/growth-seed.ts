// The growth benchmark's data (bench/growth.ts): a small workspace, a large
// one and some others beside them, written with set-based SQL (INSERT …
// SELECT over generate_series), since two million contacts through the API
// or createMany would take hours on a 2-core machine.
//
// Contact i of every workspace has the same names, emails and phones (only
// the ids and the workspace differ), so a read for the same value finds one
// contact per workspace, and the small and large workspaces compare like for
// like. Each contact has 2 emails and 2 phones, the store's rules kept
// (emails lowercase at position 0.., 0 = primary; phones with their E.164).
//
// The rows are written with triggers off (session_replication_role = replica)
// and the columns the triggers keep are filled in the same statements, as the
// triggers would: lastNameKey (migration contact_last_name_key), searchText
// and phoneKeys (migration contact_search_columns, U+0001 apart). The indexes
// of the three tables are dropped first and rebuilt from their own
// definitions after, which is many times faster than maintaining them per row.
import pg from 'pg';
import { hashApiKey } from '../src/auth/api-keys.js';
import { FIRST, LAST } from './seed.js';

export const GROWTH_SEED_VERSION = 1;

export interface GrowthWorkspace {
  /** small, large, other-0 …: the workspace's name is `growth <name> v<version> <contacts>`. */
  name: string;
  contacts: number;
  apiKey: string;
}

export function growthWorkspaces(small: number, large: number, others: number, otherSize: number): GrowthWorkspace[] {
  const make = (name: string, contacts: number) => ({ name, contacts, apiKey: `cgw_growth_${name}_0123456789abcdefghijkl` });
  return [make('small', small), make('large', large), ...Array.from({ length: others }, (_, k) => make(`other-${k}`, otherSize))];
}

const workspaceName = (w: GrowthWorkspace) => `growth ${w.name} v${GROWTH_SEED_VERSION} ${w.contacts}`;

/** The workspace's id: the same on every machine, from its name. */
export const workspaceIdSql = "md5('growth:' || $1)::uuid";

/** Contact i's first and last name, email addresses and E.164 numbers, in SQL over `i`. */
const CONTACT_VALUES = `
  SELECT i, f, l, lower(f || '.' || l) AS slug,
         '+4915' || lpad((2 * i)::text, 9, '0') AS p0, '+4915' || lpad((2 * i + 1)::text, 9, '0') AS p1
  FROM generate_series(0, $2::int - 1) AS i,
       LATERAL (SELECT ($3::text[])[1 + i % 16] AS f, ($4::text[])[1 + (i / 16) % 16] AS l) AS names`;

/** The address of contact i's email at `position` (0: work, 1: personal), as bench/seed.ts makes them. */
export function growthEmail(i: number, position: 0 | 1): string {
  const slug = `${FIRST[i % 16]}.${LAST[Math.floor(i / 16) % 16]}`.toLowerCase();
  return position === 0 ? `${slug}.${i}@company${i % 500}.example.com` : `${slug}${i}@mail.example.org`;
}

const EMAIL_SQL = (position: 0 | 1) =>
  position === 0 ? `v.slug || '.' || v.i || '@company' || (v.i % 500) || '.example.com'` : `v.slug || v.i || '@mail.example.org'`;

const INSERT_CONTACTS = `
  INSERT INTO "Contact" (id, "workspaceId", "firstName", "lastName", "lastNameKey", "searchText", "phoneKeys", source, "createdAt", "updatedAt")
  SELECT md5('growth:' || $1 || ':c' || v.i)::uuid, ${workspaceIdSql}, v.f, v.l, lower(v.l),
         concat_ws(chr(1), v.f, v.l, ${EMAIL_SQL(0)}, ${EMAIL_SQL(1)}),
         chr(1) || v.p0 || chr(1) || v.p1 || chr(1),
         'IMPORT', t, t
  FROM (${CONTACT_VALUES}) AS v, LATERAL (SELECT timestamp '2025-01-01' + v.i * interval '1 second' AS t) AS at`;

const INSERT_EMAILS = `
  INSERT INTO "Email" (id, "workspaceId", "contactId", address, type, position)
  SELECT md5('growth:' || $1 || ':e' || v.i || ':' || e.position)::uuid, ${workspaceIdSql}, md5('growth:' || $1 || ':c' || v.i)::uuid,
         e.address, e.type::"EmailType", e.position
  FROM (${CONTACT_VALUES}) AS v,
       LATERAL (VALUES (0, 'WORK', ${EMAIL_SQL(0)}), (1, 'PERSONAL', ${EMAIL_SQL(1)})) AS e(position, type, address)`;

const INSERT_PHONES = `
  INSERT INTO "Phone" (id, "workspaceId", "contactId", number, e164, type, country, position)
  SELECT md5('growth:' || $1 || ':p' || v.i || ':' || p.position)::uuid, ${workspaceIdSql}, md5('growth:' || $1 || ':c' || v.i)::uuid,
         p.e164, p.e164, p.type::"PhoneType", 'DE', p.position
  FROM (${CONTACT_VALUES}) AS v, LATERAL (VALUES (0, 'MOBILE', v.p0), (1, 'WORK', v.p1)) AS p(position, type, e164)`;

/** The tenant tables a growth workspace has rows in, children first. */
const TENANT_TABLES = ['Email', 'Phone', 'Employment', 'ExternalRef', 'Address', 'ContactChange', 'IdempotentRequest', 'Contact', 'Company', 'ApiKey'];
/** The tables the seed writes in bulk: their indexes are rebuilt after the load. */
const BULK_TABLES = ['Contact', 'Email', 'Phone'];

/** Whether every workspace is in the database with this seed version and size (then there is nothing to do). */
export async function isSeeded(client: pg.Client, workspaces: GrowthWorkspace[]): Promise<boolean> {
  const { rows } = await client.query<{ name: string }>('SELECT name FROM "Workspace" WHERE name LIKE $1', ['growth %']);
  const present = new Set(rows.map((r) => r.name));
  return workspaces.every((w) => present.has(workspaceName(w))) && rows.length === workspaces.length;
}

/** Replaces every growth workspace with a fresh seed; `log` hears of each step. Returns the seconds it took. */
export async function seedGrowth(client: pg.Client, workspaces: GrowthWorkspace[], log: (message: string) => void): Promise<number> {
  const started = Date.now();
  // Triggers (foreign keys' included) off on this connection: the rows below
  // are consistent by construction, and the trigger-kept columns are filled here.
  // One transaction: a seed that fails half-way leaves the indexes and rows as they were.
  await client.query("BEGIN; SET session_replication_role = replica; SET maintenance_work_mem = '512MB'");
  await removeGrowthWorkspaces(client);
  const indexes = await dropIndexes(client);
  for (const w of workspaces) {
    await client.query(`INSERT INTO "Workspace" (id, name) VALUES (${workspaceIdSql}, $2)`, [w.name, workspaceName(w)]);
    await client.query(`INSERT INTO "ApiKey" (id, "workspaceId", hash, prefix) VALUES (md5('growth:key:' || $1)::uuid, ${workspaceIdSql}, $2, $3)`, [
      w.name,
      hashApiKey(w.apiKey),
      w.apiKey.slice(0, 10),
    ]);
    const params = [w.name, w.contacts, FIRST, LAST];
    for (const [table, sql] of [['contacts', INSERT_CONTACTS], ['emails', INSERT_EMAILS], ['phones', INSERT_PHONES]] as const) {
      const at = Date.now();
      const { rowCount } = await client.query(sql, params);
      log(`${w.name}: ${rowCount} ${table} in ${((Date.now() - at) / 1000).toFixed(1)} s`);
    }
  }
  for (const definition of indexes) {
    const at = Date.now();
    await client.query(definition);
    log(`${definition.replace(/ ON .*$/, '')} in ${((Date.now() - at) / 1000).toFixed(1)} s`);
  }
  await client.query('COMMIT; SET session_replication_role = DEFAULT');
  await client.query('VACUUM ANALYZE');
  return (Date.now() - started) / 1000;
}

async function removeGrowthWorkspaces(client: pg.Client): Promise<void> {
  const ids = (await client.query<{ id: string }>('SELECT id FROM "Workspace" WHERE name LIKE $1', ['growth %'])).rows.map((r) => r.id);
  if (ids.length === 0) return;
  for (const table of TENANT_TABLES) await client.query(`DELETE FROM "${table}" WHERE "workspaceId" = ANY($1::uuid[])`, [ids]);
  await client.query('DELETE FROM "Workspace" WHERE id = ANY($1::uuid[])', [ids]);
}

/** Drops every index of the bulk tables but their primary keys; returns their definitions, to be run again. */
async function dropIndexes(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string; definition: string }>(
    `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
     WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.contype = 'p')
     ORDER BY i.tablename, i.indexname`,
    [BULK_TABLES],
  );
  for (const { name } of rows) await client.query(`DROP INDEX "${name}"`);
  return rows.map((r) => r.definition);
}
