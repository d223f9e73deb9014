// A streaming read replica (DATABASE_REPLICA_URL): a PostgreSQL hot standby
// that replays the primary's write-ahead log. Plain reads may be served there;
// a read that must see a given write is served there only once the standby has
// replayed past that write's position in the log, and by the primary
// otherwise. Positions are PostgreSQL LSNs ("16/B374D848"), compared as
// numbers: pg_current_wal_lsn() on the primary after a write committed,
// pg_last_wal_replay_lsn() on the standby.
import pg from 'pg';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import { isDatabaseUnavailable, isRetryableConflict } from './errors.js';

/** A position in the primary's write-ahead log. */
export type LogPosition = bigint;

const LSN = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i;

/** The position an LSN's text stands for, or null when the text is not one. */
export function parseLogPosition(text: string): LogPosition | null {
  const match = LSN.exec(text.trim());
  if (match === null) return null;
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** The LSN text of a position, as PostgreSQL prints it. */
export function formatLogPosition(position: LogPosition): string {
  return `${(position >> 32n).toString(16).toUpperCase()}/${(position & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** After a failure, how long reads go to the primary before the replica is tried again. */
export const REPLICA_RETRY_MS = 2_000;

/**
 * How many scopes (workspaces) may wait for the replica at once; past it the
 * oldest waits are dropped and those scopes read from the primary until the
 * replica catches up with the newest write (see `wrote`).
 */
const MAX_WAITING_SCOPES = 100_000;

export interface ReadReplica {
  /**
   * The replica's client. A statement the replica cannot run because it is
   * unreachable, or that it cancelled for a conflict with recovery, is run on
   * the primary instead, so a read started on the replica finishes.
   */
  readonly prisma: PrismaClient;
  /** What the server at DATABASE_REPLICA_URL is: a standby, a server that is not one, or unreachable. */
  probe(): Promise<'standby' | 'not a standby' | 'unreachable'>;
  /**
   * The client a read should use: the replica when it is reachable and has
   * replayed `needs` (null: any position will do) and the scope's own
   * writes recorded with `wrote`; the primary otherwise.
   */
  readerFor(scope: string | null, needs: LogPosition | null): Promise<PrismaClient>;
  /**
   * Records that `scope` has written: asks the primary where its log stands
   * (past every commit that has returned) and returns that position. Until the
   * replica has replayed it, the scope's reads in this process go to the primary.
   */
  wrote(scope: string | null): Promise<LogPosition | null>;
  /** Whether the replica answered the last time it was asked. */
  reachable(): boolean;
  close(): Promise<void>;
}

export interface ReadReplicaParts {
  /** The primary's client (migrations, writes, reads that must be current). */
  primary: PrismaClient;
  /** A pool on the primary, for asking where its log stands. */
  primaryPool: pg.Pool;
  /** A pool on the replica, for asking how far it has replayed. */
  replicaPool: pg.Pool;
  /** Builds the replica's client over the given adapter factory. */
  client(adapter: SqlDriverAdapterFactory): PrismaClient;
  /** The replica's adapter factory and one on the primary to fall back to. */
  replicaAdapter: SqlDriverAdapterFactory;
  fallbackAdapter: SqlDriverAdapterFactory;
}

/** What this process knows of the replica: when it may be tried again, how far it has replayed, and what each scope waits for. */
interface ReplicaState {
  downUntil: number;
  replayed: LogPosition;
  /** Per scope, the position of its last write in this process that the replica has not yet replayed. */
  waiting: Map<string, LogPosition>;
  /** The replay-position query in flight, which concurrent askers share. */
  asking: Promise<LogPosition | null> | null;
}

/** After a failure, reads go to the primary for REPLICA_RETRY_MS. */
function markDown(state: ReplicaState): void {
  state.downUntil = Date.now() + REPLICA_RETRY_MS;
}

/** The replica's replay position now (one query; concurrent askers share it), or null when it does not answer. */
function askReplayed(state: ReplicaState, replicaPool: pg.Pool): Promise<LogPosition | null> {
  state.asking ??= (async () => {
    try {
      const row = (await replicaPool.query<{ lsn: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS lsn')).rows[0];
      const position = row?.lsn == null ? null : parseLogPosition(row.lsn);
      if (position === null) return null;
      if (position > state.replayed) state.replayed = position;
      for (const [scope, needed] of state.waiting) if (needed <= state.replayed) state.waiting.delete(scope);
      return state.replayed;
    } catch {
      markDown(state);
      return null;
    } finally {
      state.asking = null;
    }
  })();
  return state.asking;
}

/** Whether a statement the replica failed is run on the primary: it is unreachable (and marked down), or it cancelled the statement. */
function runsOnPrimaryInstead(state: ReplicaState, error: unknown): boolean {
  if (isDatabaseUnavailable(error)) {
    markDown(state);
    return true;
  }
  // A hot standby cancels a query whose rows recovery must remove (40001, conflict with recovery).
  return isRetryableConflict(error);
}

/** The position a read must see: the later of `needs` and the scope's own last write; null when any will do. */
function neededPosition(state: ReplicaState, scope: string | null, needs: LogPosition | null): LogPosition | null {
  const own = scope === null ? undefined : state.waiting.get(scope);
  return own === undefined ? needs : needs === null || own > needs ? own : needs;
}

/** Where the primary's log stands now, or null when it does not say. */
async function primaryLogPosition(primaryPool: pg.Pool): Promise<LogPosition | null> {
  try {
    const row = (await primaryPool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0];
    return row === undefined ? null : parseLogPosition(row.lsn);
  } catch {
    // The write has committed; without its position the scope reads from the primary for a while.
    return null;
  }
}

/** Makes the scope wait for `position`, keeping at most MAX_WAITING_SCOPES scopes waiting (the oldest dropped). */
function awaitReplay(state: ReplicaState, scope: string, position: LogPosition): void {
  state.waiting.delete(scope);
  state.waiting.set(scope, position);
  if (state.waiting.size > MAX_WAITING_SCOPES) {
    const oldest = state.waiting.keys().next().value;
    if (oldest !== undefined) state.waiting.delete(oldest);
  }
}

export function readReplica(parts: ReadReplicaParts): ReadReplica {
  const { primary, primaryPool, replicaPool } = parts;
  const state: ReplicaState = { downUntil: 0, replayed: 0n, waiting: new Map(), asking: null };
  const replica = parts.client(withFallback(parts.replicaAdapter, parts.fallbackAdapter, (error) => runsOnPrimaryInstead(state, error)));

  return {
    prisma: replica,
    async probe() {
      try {
        const row = (await replicaPool.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby')).rows[0];
        return row?.standby === true ? 'standby' : 'not a standby';
      } catch {
        markDown(state);
        return 'unreachable';
      }
    },
    async readerFor(scope, needs) {
      if (Date.now() < state.downUntil) return primary;
      const needed = neededPosition(state, scope, needs);
      if (needed === null || needed <= state.replayed) return replica;
      const now = await askReplayed(state, replicaPool);
      return now !== null && needed <= now ? replica : primary;
    },
    async wrote(scope) {
      const position = await primaryLogPosition(primaryPool);
      if (scope !== null && position !== null && position > state.replayed) awaitReplay(state, scope, position);
      return position;
    },
    reachable: () => Date.now() >= state.downUntil,
    close: async () => {
      await replica.$disconnect();
    },
  };
}

/**
 * The replica's adapter, whose statements are run on `fallback` when the
 * replica fails them in a way `retry` accepts. A transaction falls back only
 * when it cannot begin; once begun on the replica, it ends there.
 */
function withFallback(replica: SqlDriverAdapterFactory, fallback: SqlDriverAdapterFactory, retry: (error: unknown) => boolean): SqlDriverAdapterFactory {
  let fallbackConnection: Promise<SqlDriverAdapter> | null = null;
  const onFallback = () => (fallbackConnection ??= fallback.connect());
  const guarded = <A extends unknown[], R>(onReplica: (...args: A) => Promise<R>, onPrimary: (connection: SqlDriverAdapter, ...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await onReplica(...args);
      } catch (error) {
        if (!retry(error)) throw error;
        return onPrimary(await onFallback(), ...args);
      }
    };
  return {
    provider: replica.provider,
    adapterName: replica.adapterName,
    connect: async () => {
      const connection = await replica.connect();
      const wrapped: SqlDriverAdapter = {
        provider: connection.provider,
        adapterName: connection.adapterName,
        queryRaw: guarded((query) => connection.queryRaw(query), (primary, query) => primary.queryRaw(query)),
        executeRaw: guarded((query) => connection.executeRaw(query), (primary, query) => primary.executeRaw(query)),
        executeScript: (script) => connection.executeScript(script),
        startTransaction: guarded(
          (level) => connection.startTransaction(level),
          (primary, level) => primary.startTransaction(level) as Promise<Transaction>,
        ),
        ...(connection.getConnectionInfo ? { getConnectionInfo: () => connection.getConnectionInfo!() } : {}),
        dispose: async () => {
          await connection.dispose();
          // The fallback connection is the primary's pool, which the primary's client disposes.
        },
      };
      return wrapped;
    },
  };
}
