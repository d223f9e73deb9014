// Connections may name their company instead of giving its id (API.md, Seed
// fields: CompanyRefInput). A name is the workspace's company of that name,
// compared case-insensitively on the company's nameKey (lower(btrim(name)),
// unique per workspace), or a company created with it inside the contact
// write's transaction. Two writes naming one new company concurrently create
// it once: the second insert waits on the unique key for the first to commit
// and then inserts nothing, and its following read sees the winner's row.
import { userError, type UserError } from '../errors.js';
import type { CompanyName } from './contact-input.js';
import type { ContactChanges } from './contact-state.js';
import type { Db } from './contact-store.js';
import { newRowId } from './row-id.js';

/** The ids of the workspace's companies with these names, by each name's placeholder. */
export async function companiesNamed(db: Db, workspaceId: string, names: readonly CompanyName[]): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  const rows = await db.$queryRaw<{ id: string; name: string }[]>`
    SELECT c.id, g.name FROM unnest(${names.map((n) => n.name)}::text[]) AS g(name)
    JOIN "Company" c ON c."workspaceId" = ${workspaceId}::uuid AND c."nameKey" = lower(btrim(g.name))`;
  const idOf = new Map(rows.map((r) => [r.name, r.id]));
  return new Map(names.filter((n) => idOf.has(n.name)).map((n) => [n.placeholder, idOf.get(n.name)!]));
}

/**
 * Creates the companies of these names that the workspace lacks, then reads
 * the ids of all of them. In key order, so two writers naming the same new
 * companies wait for each other in one order and cannot deadlock. The read is
 * a statement of its own: it sees a company another writer committed while
 * this insert waited.
 */
export async function findOrCreateCompanies(tx: Db, workspaceId: string, names: readonly CompanyName[]): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  const given = names.map((n) => n.name);
  await tx.$executeRaw`INSERT INTO "Company" (id, "workspaceId", name)
    SELECT g.id, ${workspaceId}::uuid, g.name
    FROM unnest(${names.map(() => newRowId())}::uuid[], ${given}::text[]) AS g(id, name)
    ORDER BY lower(btrim(g.name))
    ON CONFLICT ("workspaceId", "nameKey") DO NOTHING`;
  const ids = await companiesNamed(tx, workspaceId, names);
  const missing = names.filter((n) => !ids.has(n.placeholder));
  if (missing.length > 0) throw new Error(`companies not found after insert: ${missing.length}`);
  return ids;
}

/** The changes with each named company's placeholder replaced by its id (those in `ids`). */
export function withCompanyIds(changes: ContactChanges, ids: ReadonlyMap<string, string>): ContactChanges {
  if (changes.connections === undefined || ids.size === 0) return changes;
  return { ...changes, connections: changes.connections.map((c) => ({ ...c, companyId: ids.get(c.companyId) ?? c.companyId })) };
}

/** INVALID when one company is connected twice once names are resolved (by id and by name). */
export function repeatedCompany(changes: ContactChanges): UserError[] {
  const ids = (changes.connections ?? []).map((c) => c.companyId);
  return new Set(ids).size === ids.length ? [] : [userError('INVALID', ['connections'], 'A company appears twice in connections.')];
}

/** Names among `names` not in `ids`, once each: the companies still to find or create. */
export function unresolved(names: readonly CompanyName[], ids: ReadonlyMap<string, string>): CompanyName[] {
  const seen = new Set<string>();
  return names.filter((n) => !ids.has(n.placeholder) && !seen.has(n.placeholder) && seen.add(n.placeholder));
}
