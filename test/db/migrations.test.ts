import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/store.js';
import { MIGRATIONS_DIR, readMigrations } from '../../src/db/migrate.js';
import { onPostgres, testStoreUrl } from '../support/gateway.js';

describe('migrations are applied by the gateway (Migrations)', () => {
  it('applies every migration once, in order, with Prisma checksums, and nothing the second time', async () => {
    const store = await openStore({ kind: 'pglite', dataDir: null });
    try {
      const first = await store.migrate();
      const names = fs.readdirSync(MIGRATIONS_DIR).filter((n) => fs.existsSync(path.join(MIGRATIONS_DIR, n, 'migration.sql'))).sort();
      expect(first.applied).toEqual(names);
      const second = await store.migrate();
      expect(second).toEqual({ applied: [], alreadyApplied: names.length, modified: [] });
      const rows = await store.prisma.$queryRawUnsafe<{ migration_name: string; checksum: string; finished_at: Date | null }[]>(
        'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
      );
      expect(rows.map((r) => r.migration_name)).toEqual(names);
      for (const row of rows) {
        const sql = fs.readFileSync(path.join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
        expect(row.checksum).toBe(crypto.createHash('sha256').update(sql).digest('hex'));
        expect(row.finished_at).not.toBeNull();
      }
    } finally {
      await store.close();
    }
  });

  it('leaves a PGlite store analyzed (it has no autovacuum to gather the planner\'s statistics)', async () => {
    const store = await openStore({ kind: 'pglite', dataDir: null });
    try {
      await store.migrate();
      // reltuples is -1 until a table is first analyzed (or vacuumed).
      const tables = await store.prisma.$queryRaw<{ relname: string; reltuples: number }[]>`
        SELECT relname, reltuples::float8 AS reltuples FROM pg_class WHERE relname IN ('Contact', 'Email', 'Phone') ORDER BY relname`;
      expect(tables.map((t) => [t.relname, t.reltuples >= 0])).toEqual([['Contact', true], ['Email', true], ['Phone', true]]);
      // Every table of the schema (the store analyzes them one by one).
      const never = await store.prisma.$queryRaw<{ tablename: string }[]>`
        SELECT t.tablename FROM pg_tables t JOIN pg_class c ON c.relname = t.tablename AND c.relnamespace = 'public'::regnamespace
        WHERE t.schemaname = 'public' AND c.reltuples < 0`;
      expect(never).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('keeps the data of a PGlite folder across a close and a reopen', async () => {
    const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'gateway-pglite-'));
    try {
      const first = await openStore({ kind: 'pglite', dataDir: dir });
      await first.migrate();
      await first.prisma.workspace.create({ data: { name: 'kept' } });
      await first.close();
      const again = await openStore({ kind: 'pglite', dataDir: dir });
      expect((await again.migrate()).applied).toEqual([]);
      expect(await again.prisma.workspace.findMany({ select: { name: true } })).toEqual([{ name: 'kept' }]);
      await again.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!onPostgres)('applies each migration once when two gateways start together on one PostgreSQL', async () => {
    // A database of its own, so the race starts from nothing.
    const admin = new pg.Client({ connectionString: testStoreUrl() });
    await admin.connect();
    const database = `migrate_race_${process.pid}_${Date.now()}`;
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(testStoreUrl());
    url.pathname = `/${database}`;
    try {
      const stores = await Promise.all([0, 1, 2].map(() => openStore({ kind: 'postgres', url: url.toString() })));
      const reports = await Promise.all(stores.map((s) => s.migrate()));
      const appliedCounts = reports.map((r) => r.applied.length);
      expect(appliedCounts.reduce((a, b) => a + b, 0)).toBe(readMigrations().length);
      const rows = await stores[0]!.prisma.$queryRawUnsafe<{ n: bigint }[]>('SELECT count(*) AS n FROM "_prisma_migrations"');
      expect(Number(rows[0]!.n)).toBe(readMigrations().length);
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    }
  });
});
