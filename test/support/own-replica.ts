// A primary and its streaming hot standby, both the test's own: initdb into a
// temp folder, then pg_basebackup -R of it into another, each on a free port,
// run as the postgres user. Needs what own-postgres.ts needs (root and
// Debian's PostgreSQL binaries). Replay on the standby can be paused to inject
// lag, and the standby stopped to take it away.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { canRunOwnPostgres, freePort, PGBIN } from './own-postgres.js';

export { canRunOwnPostgres };

const run = promisify(execFile);
const asPostgres = async (command: string) => void (await run('su', ['postgres', '-c', command]));

export interface OwnReplicaPair {
  primaryUrl: string;
  replicaUrl: string;
  /** One statement on the primary or the replica, over a connection of its own. */
  onPrimary<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  onReplica<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Resolves once the replica has replayed everything the primary had written when it was called. */
  caughtUp(timeoutMs?: number): Promise<void>;
  stopReplica(): Promise<void>;
  destroy(): Promise<void>;
}

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end().catch(() => {});
  }
}

export async function startOwnReplicaPair(): Promise<OwnReplicaPair> {
  if (!canRunOwnPostgres || PGBIN === null) throw new Error('own PostgreSQL needs root and initdb');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'own-replica-'));
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  fs.chownSync(dir, uid, gid);
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const primaryData = `${dir}/primary`;
  const replicaData = `${dir}/replica`;
  // initdb's pg_hba.conf lets local and 127.0.0.1 replication connections in (trust).
  await asPostgres(`${PGBIN}/initdb -D ${primaryData} -A trust -U postgres >/dev/null`);
  const options = (port: number) => `-p ${port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  await asPostgres(`${PGBIN}/pg_ctl -D ${primaryData} -l ${dir}/primary.log -w start -o "${options(primaryPort)} -c wal_level=replica -c max_wal_senders=4" >/dev/null`);
  await asPostgres(`${PGBIN}/createdb -h 127.0.0.1 -p ${primaryPort} gateway`);
  await asPostgres(`${PGBIN}/pg_basebackup -h 127.0.0.1 -p ${primaryPort} -U postgres -D ${replicaData} -R -X stream -c fast`);
  await asPostgres(`${PGBIN}/pg_ctl -D ${replicaData} -l ${dir}/replica.log -w start -o "${options(replicaPort)} -c hot_standby=on" >/dev/null`);
  const primaryUrl = `postgresql://postgres@127.0.0.1:${primaryPort}/gateway`;
  const replicaUrl = `postgresql://postgres@127.0.0.1:${replicaPort}/gateway`;
  const stop = async (data: string, mode: string) => {
    try {
      await asPostgres(`${PGBIN}/pg_ctl -D ${data} -m ${mode} -w stop >/dev/null`);
    } catch {
      // already stopped
    }
  };
  return {
    primaryUrl,
    replicaUrl,
    onPrimary: (sql, params) => query(primaryUrl, sql, params),
    onReplica: (sql, params) => query(replicaUrl, sql, params),
    pauseReplay: async () => void (await query(replicaUrl, 'SELECT pg_wal_replay_pause()')),
    resumeReplay: async () => void (await query(replicaUrl, 'SELECT pg_wal_replay_resume()')),
    async caughtUp(timeoutMs = 15_000) {
      const lsn = (await query<{ lsn: string }>(primaryUrl, 'SELECT pg_current_wal_lsn()::text AS lsn'))[0]!.lsn;
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const [row] = await query<{ done: boolean }>(replicaUrl, 'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done', [lsn]);
        if (row?.done) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`the replica did not replay ${lsn} within ${timeoutMs} ms`);
    },
    stopReplica: () => stop(replicaData, 'fast'),
    async destroy() {
      await stop(replicaData, 'immediate');
      await stop(primaryData, 'immediate');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
