// A throw-away PostgreSQL cluster of the test's own, which it may stop and
// restart: initdb into a temp folder as the postgres user, on a free port.
// Needs root (to run as postgres) and Debian's PostgreSQL binaries; tests skip
// otherwise. The shared servers are never touched.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const PGBIN = (() => {
  try {
    const versions = fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    const bin = versions.map((v) => `/usr/lib/postgresql/${v}/bin`).find((b) => fs.existsSync(`${b}/initdb`));
    return bin ?? null;
  } catch {
    return null;
  }
})();

export const canRunOwnPostgres = PGBIN !== null && process.getuid?.() === 0;

export interface OwnPostgres {
  url: string;
  /** Asynchronous, so that requests stay in flight while the server goes down. */
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
    server.on('error', reject);
  });
}

function asPostgresSync(command: string): void {
  execFileSync('su', ['postgres', '-c', command], { stdio: 'pipe' });
}

const run = promisify(execFile);
async function asPostgres(command: string): Promise<void> {
  await run('su', ['postgres', '-c', command]);
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  if (!canRunOwnPostgres) throw new Error('own PostgreSQL needs root and initdb');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'own-pg-'));
  fs.chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()));
  const port = await freePort();
  const data = `${dir}/data`;
  asPostgresSync(`${PGBIN}/initdb -D ${data} -A trust -U postgres >/dev/null`);
  const start = () => asPostgres(`${PGBIN}/pg_ctl -D ${data} -l ${dir}/server.log -w start -o "-p ${port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" >/dev/null`);
  const stop = () => asPostgres(`${PGBIN}/pg_ctl -D ${data} -m fast -w stop >/dev/null`);
  await start();
  asPostgresSync(`${PGBIN}/createdb -h 127.0.0.1 -p ${port} gateway`);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/gateway`,
    start,
    stop,
    destroy: () => {
      try {
        asPostgresSync(`${PGBIN}/pg_ctl -D ${data} -m immediate -w stop >/dev/null`);
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
