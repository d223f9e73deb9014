// Opens the store named by the configuration: an embedded PGlite (in memory or
// in a folder) or a PostgreSQL server. Both speak PostgreSQL, run the same
// migrations and are reached through a Prisma 7 driver adapter.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_EXTENSIONS } from './extensions.js';
import { pgliteMaintainer } from './pglite-maintenance.js';
import { refuseStatementsAfterFailure, StoreFailedError } from './pglite-failure.js';
import { isStoreFailure } from './errors.js';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { applyMigrations, pendingMigrations, readMigrations, type MigrationReport, type SqlSession } from './migrate.js';
import { statementLog, type QueryListener } from './statement-log.js';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { readReplica, type ReadReplica } from './read-replica.js';


/** Where the data lives: a PGlite folder (null: in memory) or a PostgreSQL server. */
export type StoreLocation =
  | { kind: 'pglite'; dataDir: string | null }
  | { kind: 'postgres'; url: string };

export type { QueryListener };


export interface Store {
  readonly kind: 'pglite' | 'postgres';
  /** The primary's client: every write, and every read not routed to the replica. */
  readonly prisma: PrismaClient;
  /** The streaming replica plain reads may go to (DATABASE_REPLICA_URL); null: the primary serves every read. */
  readonly replica: ReadReplica | null;
  /** Applies pending migrations (under an advisory lock on PostgreSQL). */
  migrate(): Promise<MigrationReport>;
  /** true when the database answers a trivial query. */
  ping(): Promise<boolean>;
  /** The committed migrations the database lacks; throws when it cannot be asked. */
  pendingMigrations(): Promise<string[]>;
  /** Subscribes to every SQL statement Prisma sends; returns the unsubscribe. */
  onQuery(listener: QueryListener): () => void;
  /**
   * Whether statements are prepared under a name once per connection and
   * reused: on PostgreSQL reached directly, after migrate(); never behind a
   * transaction pooler, nor on PGlite.
   */
  namesStatements(): boolean;
  /**
   * Analyzes and vacuums the tables that autovacuum's rule says are due. The
   * embedded store, which has no autovacuum, does this by itself every
   * second; on PostgreSQL, autovacuum does it and this does nothing.
   */
  maintain(): Promise<void>;
  /**
   * Why the embedded store takes no more statements: its files failed it
   * (src/db/pglite-failure.ts). null while it works, and always on PostgreSQL.
   */
  failure(): StoreFailedError | null;
  close(): Promise<void>;
}

export interface StoreOptions {
  poolSize?: number;
  /** A PostgreSQL hot standby of the server the store opens (docs/operations.md, Read replica). */
  replicaUrl?: string | null;
}

/** Whether a trivial query succeeds. */
async function answers(query: () => Promise<unknown>): Promise<boolean> {
  try {
    await query();
    return true;
  } catch {
    return false;
  }
}

export async function openStore(location: StoreLocation, options: StoreOptions = {}): Promise<Store> {
  if (location.kind === 'pglite') {
    if (options.replicaUrl) throw new Error('a read replica needs a PostgreSQL primary (DATABASE_URL=postgresql://…)');
    return openPglite(location.dataDir);
  }
  return openPostgres(location.url, options.poolSize ?? 10, options.replicaUrl ?? null);
}

function createClient(adapter: SqlDriverAdapterFactory) {
  const log = statementLog(adapter);
  const prisma = new PrismaClient({ adapter: log.factory });
  // The migrations of this build: read once, they do not change while it runs.
  const committed = readMigrations();
  const pending = () => pendingMigrations({ query: (sql, params = []) => prisma.$queryRawUnsafe(sql, ...params) }, committed);
  return { prisma, onQuery: log.onQuery, pendingMigrations: pending };
}

/** How often an embedded store checks whether a table is due an ANALYZE or a VACUUM (src/db/pglite-maintenance.ts). */
const PGLITE_MAINTAIN_EVERY_MS = 1000;

/** Another live process has the embedded store's folder open. */
export class StoreInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`the embedded store ${dataDir} is in use by another process (pid ${pid})`);
    this.name = 'StoreInUseError';
  }
}

/**
 * An embedded store is one process' files: a second process writing them
 * would corrupt them. `<folder>.lock`, beside the folder, names the process
 * that has it open; a lock whose process is gone is taken over. Released on close.
 */
function lockDataDir(dataDir: string): () => void {
  const lockFile = `${dataDir.replace(/[\\/]+$/, '')}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return () => {};
    }
    const pid = Number.parseInt(fs.readFileSync(lockFile, 'utf8'), 10);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processIsAlive(pid)) throw new StoreInUseError(dataDir, pid);
    // Ours (a store of this process) or stale: taken over.
    fs.rmSync(lockFile, { force: true });
  }
  return () => {};
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function openPglite(dataDir: string | null): Promise<Store> {
  if (dataDir !== null) fs.mkdirSync(path.resolve(dataDir), { recursive: true });
  const unlock = dataDir === null ? () => {} : lockDataDir(path.resolve(dataDir));
  const db = dataDir === null
    ? new PGlite({ extensions: PGLITE_EXTENSIONS })
    : new PGlite(path.resolve(dataDir), { extensions: PGLITE_EXTENSIONS });
  try {
    await db.waitReady;
  } catch (error) {
    unlock();
    throw isStoreFailure(error) ? new StoreFailedError(dataDir === null ? null : path.resolve(dataDir), error) : error;
  }
  const failure = refuseStatementsAfterFailure(db, dataDir === null ? null : path.resolve(dataDir));
  const { prisma, onQuery, pendingMigrations: pending } = createClient(new PrismaPGlite(db));
  const session: SqlSession = {
    query: async (sql, params) => (await db.query<Record<string, unknown>>(sql, params as unknown[])).rows,
    exec: async (sql) => void (await db.exec(sql)),
  };
  let closed = false;
  const maintainer = pgliteMaintainer(db, PGLITE_MAINTAIN_EVERY_MS);
  return {
    kind: 'pglite',
    prisma,
    replica: null,
    onQuery,
    pendingMigrations: pending,
    namesStatements: () => false,
    // PGlite runs one connection in one process: no lock is needed, but the
    // same runner keeps both stores on one code path.
    migrate: async () => {
      const report = await applyMigrations(session);
      await maintainer.analyzeAll();
      return report;
    },
    maintain: () => maintainer.runDue(),
    failure,
    ping: () => answers(() => db.query('SELECT 1')),
    close: async () => {
      if (closed) return;
      closed = true;
      await maintainer.stop();
      await prisma.$disconnect();
      // A failed store is left as it is: closing it would run a checkpoint.
      if (failure() === null) await db.close();
      unlock();
    },
  };
}

/**
 * Names Prisma's statements so that each pooled connection parses and plans a
 * statement once and then only binds and executes it (the hand-written
 * baseline's named queries do the same). A name is a hash of the SQL text, so
 * one name never stands for two texts. Texts that vary with the input (a
 * createMany of n rows, an IN list of n ids) would make every connection keep
 * a statement per variant forever: past `max` distinct texts, the rest go
 * unnamed, which bounds what each connection holds.
 *
 * Prisma renders each statement's text anew, as a string built of pieces. A
 * Map keyed by the text would hash all of it on every statement (about 12 µs
 * for a 5 KB text, most of the lookup); the texts are found by their length
 * and then compared whole, which stops at the first character that differs.
 */
export function statementNames(max = 1000): (query: { sql: string }) => string {
  const byLength = new Map<number, Array<{ sql: string; name: string }>>();
  let count = 0;
  return ({ sql }) => {
    const known = byLength.get(sql.length);
    if (known !== undefined) {
      for (const entry of known) if (entry.sql === sql) return entry.name;
    }
    if (count >= max) return ''; // pg sends an empty name as an unnamed statement
    const name = `p${crypto.createHash('sha1').update(sql).digest('base64url')}`;
    if (known === undefined) byLength.set(sql.length, [{ sql, name }]);
    else known.push({ sql, name });
    count++;
    return name;
  };
}

// Connecting to a server that does not answer fails after this long instead of
// hanging the request or the start.
export const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Whether a connection to `url` reaches PostgreSQL itself: the server sees
 * this connection's own TCP port as its client's, on the port the URL names.
 * Behind a pooler (PgBouncer) or a proxy the server's client is the pooler,
 * and a pooler in transaction mode hands one server connection to several
 * clients, so session state (named prepared statements) does not stay with a
 * client. Over a Unix socket nothing can be told: not direct, to be safe.
 */
async function reachesServerDirectly(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on('error', () => {});
  await client.connect();
  try {
    const row = (await client.query('SELECT inet_client_port() AS "clientPort", inet_server_port() AS "serverPort"')).rows[0];
    const localPort = (client as unknown as { connection?: { stream?: { localPort?: number } } }).connection?.stream?.localPort;
    const urlPort = Number(new URL(url).port || 5432);
    return row.clientPort !== null && localPort !== undefined && Number(row.clientPort) === localPort && Number(row.serverPort) === urlPort;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * `pgbouncer=true` in the URL (as Prisma reads it) says the server is behind a
 * transaction pooler; it is not passed on to the driver.
 */
export function pgbouncerFlag(url: string): { url: string; pooled: boolean } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url, pooled: false };
  }
  const flag = parsed.searchParams.get('pgbouncer');
  if (flag === null) return { url, pooled: false };
  parsed.searchParams.delete('pgbouncer');
  return { url: parsed.toString(), pooled: flag === 'true' };
}

/**
 * A pool on a PostgreSQL server. When the server restarts it ends every
 * connection with an error event (57P01). A connection between two uses can
 * have no listener for a moment (the adapter removes its own before releasing
 * it to the pool): every connection gets one for its whole life, so such an
 * event never crashes the process. The query that was using the connection
 * fails on its own.
 */
function serverPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  pool.on('connect', (client) => client.on('error', () => {}));
  pool.on('error', () => {});
  return pool;
}

async function openPostgres(given: string, poolSize: number, replicaGiven: string | null): Promise<Store> {
  const { url, pooled } = pgbouncerFlag(given);
  const pool = serverPool(url, poolSize);
  const names = statementNames();
  let named = false;
  const { prisma, onQuery, pendingMigrations: pending } = createClient(
    // Unnamed until migrate() has seen that the connections reach the server
    // itself: behind a transaction pooler a named statement prepared on one
    // server connection is missing, or already there, on the next.
    new PrismaPg(pool, { disposeExternalPool: true, statementNameGenerator: (query) => (named ? names(query) : '') }),
  );
  const withSession = async <T>(work: (session: SqlSession) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    // A dropped connection must surface as a failed call, not an uncaught error.
    client.on('error', () => {});
    await client.connect();
    try {
      return await work({
        query: async (sql, params) => (await client.query(sql, params as unknown[])).rows,
        exec: async (sql) => void (await client.query(sql)),
      });
    } finally {
      await client.end().catch(() => {});
    }
  };
  const replica = replicaGiven === null ? null : openReplica(replicaGiven, poolSize, prisma, pool);
  let closed = false;
  return {
    kind: 'postgres',
    prisma,
    replica: replica?.replica ?? null,
    onQuery: replica === null ? onQuery : (listener) => {
      const stops = [onQuery(listener), replica.onQuery(listener)];
      return () => stops.forEach((stop) => stop());
    },
    pendingMigrations: pending,
    migrate: async () => {
      const report = await withSession((session) => applyMigrations(session, { lock: true }));
      named = !pooled && (await reachesServerDirectly(url));
      if (replica !== null) await replica.decideNames();
      return report;
    },
    namesStatements: () => named,
    maintain: async () => {},
    failure: () => null,
    // Prisma would reconnect a closed client; a closed store is not usable.
    ping: async () => !closed && (await answers(() => prisma.$executeRaw`SELECT 1`)),
    close: async () => {
      if (closed) return;
      closed = true;
      await replica?.replica.close();
      await prisma.$disconnect();
    },
  };
}

/**
 * The replica's client, over a pool of its own, with statements it cannot run
 * sent to the primary's pool (read-replica.ts). Its statements are reported to
 * the same listeners as the primary's.
 */
function openReplica(given: string, poolSize: number, primary: PrismaClient, primaryPool: pg.Pool) {
  const { url, pooled } = pgbouncerFlag(given);
  const replicaPool = serverPool(url, poolSize);
  const names = statementNames();
  let named = false;
  const replicaLog = statementLog(new PrismaPg(replicaPool, { disposeExternalPool: true, statementNameGenerator: (query) => (named ? names(query) : '') }));
  // Falling back, statements go unnamed: a replica that fails is the rare case.
  const fallbackLog = statementLog(new PrismaPg(primaryPool));
  const replica = readReplica({
    primary,
    primaryPool,
    replicaPool,
    client: (adapter) => new PrismaClient({ adapter }),
    replicaAdapter: replicaLog.factory,
    fallbackAdapter: fallbackLog.factory,
  });
  return {
    replica,
    onQuery: (listener: QueryListener) => {
      const stops = [replicaLog.onQuery(listener), fallbackLog.onQuery(listener)];
      return () => stops.forEach((stop) => stop());
    },
    decideNames: async () => {
      named = !pooled && (await reachesServerDirectly(url).catch(() => false));
    },
  };
}
