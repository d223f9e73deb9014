// A start that cannot succeed prints one line on stderr that says why and how
// to fix it, and exits 1: no stack trace, no driver dump (docs/operations.md,
// Start-up errors). Each case spawns the server process as `npm start` does.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { behindPooler, onPostgres, testStoreUrl } from '../support/gateway.js';
import { runServer, startServer } from '../support/process.js';

// Production with an admin token: no default workspace, no warning, so stderr
// holds the failure alone.
const QUIET = { NODE_ENV: 'production', ADMIN_TOKEN: 'start-errors-admin-token-0123', LOG_LEVEL: 'error' };

async function failedStart(env: Record<string, string>): Promise<string> {
  const run = runServer({ ...QUIET, ...env });
  expect(await run.exit).toBe(1);
  const lines = run.stderr().trim().split('\n');
  expect(lines, run.stderr()).toHaveLength(1);
  expect(lines[0]).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  return lines[0]!;
}

describe('start-up errors: one line with the fix, exit 1', { timeout: 120_000 }, () => {
  it('names the process that has the embedded store open; a lock left by a dead process is taken over', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-store-lock-'));
    const server = await startServer({ ...QUIET, LOG_LEVEL: 'info', DATABASE_URL: `pglite:${dir}` });
    try {
      const line = await failedStart({ DATABASE_URL: `pglite:${dir}` });
      expect(line).toBe(
        `Start failed: the embedded store ${dir} is in use by another process (pid ${server.child.pid}). Fix: stop that process (an embedded store serves one process; use PostgreSQL to share a database), or set DATABASE_URL=pglite:<another folder>.`,
      );
    } finally {
      server.child.kill('SIGKILL');
      await server.exit;
    }
    // Killed: its lock stays behind, naming a process that is gone.
    expect(fs.readFileSync(`${dir}.lock`, 'utf8')).toBe(String(server.child.pid));
    const again = await startServer({ ...QUIET, LOG_LEVEL: 'info', DATABASE_URL: `pglite:${dir}` });
    again.child.kill('SIGTERM');
    expect(await again.exit).toBe(0);
    expect(fs.existsSync(`${dir}.lock`)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('names the port in use (EADDRINUSE)', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '::', resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const line = await failedStart({ PORT: String(port), DATABASE_URL: 'pglite:memory' });
      expect(line).toBe(`Start failed: port ${port} is already in use (EADDRINUSE). Fix: stop the process that holds it, or set PORT to a free port.`);
    } finally {
      holder.close();
    }
  });

  it('names a PostgreSQL server that cannot be reached', async () => {
    const line = await failedStart({ DATABASE_URL: 'postgresql://gateway:secret@127.0.0.1:1/contacts' });
    expect(line).toBe(
      'Start failed: cannot reach the PostgreSQL server at 127.0.0.1:1 (ECONNREFUSED). Fix: start PostgreSQL there, or correct the host and port in DATABASE_URL.',
    );
    expect(line).not.toContain('secret');
  });

  it('names a DATABASE_URL that is not a URL', async () => {
    const line = await failedStart({ DATABASE_URL: 'postgresql://host:port/contacts' });
    expect(line).toBe('Configuration error: DATABASE_URL: is not a valid postgresql:// URL');
  });

  it.skipIf(!onPostgres)('names a database that does not exist', async () => {
    const url = new URL(testStoreUrl());
    url.pathname = '/gw_no_such_database';
    const line = await failedStart({ DATABASE_URL: url.toString() });
    // PgBouncer answers for the server with an error of its own (08P01).
    expect(line).toMatch(
      behindPooler
        ? /^Start failed: the connection pooler at [^ ]+ refused the connection: database "gw_no_such_database" does not exist \(08P01\)\. Fix: check that the database and role/
        : /^Start failed: database "gw_no_such_database" does not exist on [^ ]+ \(3D000\)\. Fix: create it/,
    );
  });

  // A role the test creates is unknown to a pooler's list of users: directly only.
  it.skipIf(!onPostgres || behindPooler)('names pending migrations that a read-only role may not apply, and the command that applies them', async () => {
    const admin = new pg.Client({ connectionString: testStoreUrl() });
    await admin.connect();
    const suffix = `${process.pid}_${Date.now()}`;
    const database = `gw_readonly_${suffix}`;
    const role = `gw_reader_${suffix}`;
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    try {
      const url = new URL(testStoreUrl());
      url.pathname = `/${database}`;
      url.username = role;
      const line = await failedStart({ DATABASE_URL: url.toString() });
      expect(line).toMatch(
        new RegExp(`^Start failed: \\d+ migration\\(s\\) are pending \\(next: \\w+\\) and role "${role}" may not change the schema \\(42501, permission denied\\)\\. Fix: .*npm run migrate`),
      );

      // The fix as printed: migrate with the owner, then the role starts and is ready.
      const owner = new URL(url);
      owner.username = new URL(testStoreUrl()).username;
      const migrate = runServer({ DATABASE_URL: owner.toString() }, [process.execPath, '--import', 'tsx', 'scripts/migrate.ts']);
      expect(await migrate.exit, migrate.output()).toBe(0);
      expect(migrate.output()).toMatch(/^Applied: /);
      const grants = new pg.Client({ connectionString: owner.toString() });
      await grants.connect();
      await grants.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
      await grants.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
      await grants.end();
      const server = await startServer({ ...QUIET, LOG_LEVEL: 'info', DATABASE_URL: url.toString() });
      expect((await fetch(`${server.url}/ready`)).status).toBe(200);
      server.child.kill('SIGTERM');
      expect(await server.exit).toBe(0);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
      await admin.end();
    }
  });
});
