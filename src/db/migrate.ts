// Applies the committed migrations in prisma/migrations, in order, each in its
// own transaction, and records them in _prisma_migrations with Prisma's columns
// and checksum, so `prisma migrate status/deploy` agree on a machine that has
// Prisma's native engine.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SqlSession {
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Runs a script of one or more statements. */
  exec(sql: string): Promise<void>;
}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
  /** Migrations whose file changed after they were applied (Prisma warns too). */
  modified: string[];
}

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../prisma/migrations');

// Two gateways starting together must apply each migration once.
const MIGRATION_LOCK = 'contacts-gateway:migrations';

export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
    });
}

const CREATE_HISTORY_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** A migration the database refused; `cause` is the driver's error. */
export class MigrationError extends Error {
  constructor(
    readonly migration: string,
    /** Migrations still to apply, this one included. */
    readonly pending: number,
    cause: unknown,
  ) {
    super(`migration ${migration} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'MigrationError';
  }
}

async function historyTableExists(session: Pick<SqlSession, 'query'>): Promise<boolean> {
  const rows = await session.query(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`);
  return rows[0]?.['present'] === true;
}

/** The committed migrations that the database has not applied (all of them on an empty database). */
export async function pendingMigrations(session: Pick<SqlSession, 'query'>, migrations: Migration[] = readMigrations()): Promise<string[]> {
  if (!(await historyTableExists(session))) return migrations.map((m) => m.name);
  const rows = await session.query(
    'SELECT migration_name FROM "_prisma_migrations" WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL',
  );
  const applied = new Set(rows.map((row) => String(row['migration_name'])));
  return migrations.filter((m) => !applied.has(m.name)).map((m) => m.name);
}

/**
 * Runs `work` in a transaction that holds the migration lock. The lock is
 * transaction-scoped, taken again in each transaction that writes: it holds
 * through a transaction pooler (PgBouncer in transaction mode), where a
 * session lock could be taken on one server connection and released on
 * another, or never.
 */
async function inLockedTransaction<T>(session: SqlSession, lock: boolean, work: () => Promise<T>): Promise<T> {
  await session.exec('BEGIN');
  try {
    if (lock) await session.query('SELECT pg_advisory_xact_lock(hashtext($1))::text', [MIGRATION_LOCK]);
    const result = await work();
    await session.exec('COMMIT');
    return result;
  } catch (error) {
    await session.exec('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** The checksum of each applied migration, by name; throws on one that started and never finished. */
async function appliedChecksums(session: SqlSession): Promise<Map<string, string>> {
  const rows = await session.query('SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL');
  const unfinished = rows.filter((row) => row.finished_at === null).map((row) => String(row.migration_name));
  if (unfinished.length > 0) {
    throw new Error(`migration(s) ${unfinished.join(', ')} started but never finished: resolve them before starting`);
  }
  return new Map(rows.map((row) => [String(row.migration_name), String(row.checksum)]));
}

export async function applyMigrations(
  session: SqlSession,
  options: { lock?: boolean; migrations?: Migration[] } = {},
): Promise<MigrationReport> {
  const migrations = options.migrations ?? readMigrations();
  const locked = <T>(work: () => Promise<T>) => inLockedTransaction(session, options.lock === true, work);

  // Only when missing: CREATE TABLE IF NOT EXISTS needs the CREATE privilege
  // even when the table exists, and a role that may only read and write data
  // must still start once every migration is applied.
  if (!(await historyTableExists(session))) {
    try {
      await locked(async () => {
        if (!(await historyTableExists(session))) await session.exec(CREATE_HISTORY_TABLE);
      });
    } catch (error) {
      throw new MigrationError(migrations[0]?.name ?? '_prisma_migrations', migrations.length, error);
    }
  }
  const seen = await appliedChecksums(session);
  const report: MigrationReport = { applied: [], alreadyApplied: 0, modified: [] };
  for (const migration of migrations) {
    let checksum = seen.get(migration.name);
    if (checksum === undefined) {
      try {
        // Under the lock, looked up again: another process may have applied it meanwhile.
        checksum = await locked(async () => {
          const rows = await session.query('SELECT checksum FROM "_prisma_migrations" WHERE migration_name = $1 AND rolled_back_at IS NULL', [migration.name]);
          if (rows.length > 0) return String(rows[0]!['checksum']);
          await session.exec(migration.sql);
          await session.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
             VALUES ($1, $2, $3, now(), now(), 1)`,
            [crypto.randomUUID(), migration.checksum, migration.name],
          );
          return undefined;
        });
      } catch (error) {
        throw new MigrationError(migration.name, migrations.length - report.alreadyApplied - report.applied.length, error);
      }
      if (checksum === undefined) {
        report.applied.push(migration.name);
        continue;
      }
    }
    report.alreadyApplied += 1;
    if (checksum !== migration.checksum) report.modified.push(migration.name);
  }
  return report;
}
