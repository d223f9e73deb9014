// The embedded store has no autovacuum: it applies autovacuum's rule itself
// (src/db/pglite-maintenance.ts). These tests open PGlite on every stage,
// since that is the store under test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/db/store.js';
import { maintenanceCommands, maintenanceDue } from '../../src/db/pglite-maintenance.js';

describe('autovacuum\'s rule, as the embedded store applies it', () => {
  const table = (rows: number, modified: number, inserted: number, dead: number) =>
    maintenanceDue({ table: '"T"', rows, modifiedSinceAnalyze: modified, insertedSinceVacuum: inserted, deadRows: dead });

  it('analyzes past 50 changed rows plus a tenth of the table', () => {
    expect(table(-1, 50, 0, 0).analyze).toBe(false);
    expect(table(-1, 51, 0, 0).analyze).toBe(true);
    expect(table(10_000, 1050, 0, 0).analyze).toBe(false);
    expect(table(10_000, 1051, 0, 0).analyze).toBe(true);
  });

  it('vacuums past 50 dead rows plus a fifth of the table, or 1,000 inserted rows plus a fifth', () => {
    expect(table(10_000, 0, 0, 2050).vacuum).toBe(false);
    expect(table(10_000, 0, 0, 2051).vacuum).toBe(true);
    expect(table(10_000, 0, 3000, 0).vacuum).toBe(false);
    expect(table(10_000, 0, 3001, 0).vacuum).toBe(true);
  });

  it('analyzes every due table in one command, then vacuums table by table', () => {
    const activity = (table: string, modified: number, inserted: number) =>
      ({ table, rows: 0, modifiedSinceAnalyze: modified, insertedSinceVacuum: inserted, deadRows: 0 });
    expect(maintenanceCommands([activity('"A"', 100, 2000), activity('"B"', 0, 0), activity('"C"', 100, 0), activity('"D"', 0, 2000)]))
      .toEqual(['ANALYZE "A", "C"', 'VACUUM "A"', 'VACUUM "D"']);
    expect(maintenanceCommands([activity('"A"', 0, 2000)])).toEqual(['VACUUM "A"']);
    expect(maintenanceCommands([activity('"A"', 10, 10)])).toEqual([]);
  });
});

describe('the embedded store analyzes and vacuums its tables as they change', () => {
  let store: Store;
  let workspaceId: string;
  const exec = (sql: string, ...params: unknown[]) => store.prisma.$executeRawUnsafe(sql, ...params);
  const contactCounters = async () => {
    // Counters reach the statistics views when a statement ends.
    await store.prisma.$executeRawUnsafe('SELECT pg_stat_force_next_flush()');
    const [row] = await store.prisma.$queryRawUnsafe<{ seq_scan: number; n_dead_tup: number; reltuples: number }[]>(
      `SELECT s.seq_scan::int, s.n_dead_tup::int, c.reltuples::float8 AS reltuples
       FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relname = 'Contact'`,
    );
    return row!;
  };
  const addContacts = (count: number) =>
    exec(
      `INSERT INTO "Contact" (id, "workspaceId", "firstName") SELECT gen_random_uuid(), $1::uuid, 'P' || g FROM generate_series(1, $2::int) g`,
      workspaceId,
      count,
    );

  beforeAll(async () => {
    store = await openStore({ kind: 'pglite', dataDir: null });
    await store.migrate();
    workspaceId = (await store.prisma.workspace.create({ data: { name: 'maintained' } })).id;
  });
  afterAll(() => store.close());

  it('keeps a foreign-key check planned while the table was small from scanning it once it has grown', async () => {
    await addContacts(1);
    const [first] = await store.prisma.$queryRawUnsafe<{ id: string }[]>(`SELECT id::text FROM "Contact" LIMIT 1`);
    // The check of Email's reference to Contact runs often enough while
    // Contact has one row for PostgreSQL to cache one plan for it.
    for (let i = 0; i < 8; i++) {
      await exec(
        `INSERT INTO "Email" (id, "workspaceId", "contactId", address, position) VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3, $4)`,
        workspaceId, first!.id, `early${i}@example.com`, i,
      );
    }
    await addContacts(5000);
    await store.maintain();
    const analyzed = await contactCounters();
    expect(analyzed.reltuples).toBeGreaterThanOrEqual(5001);
    // 300 emails, each checked against Contact: by its primary key, not by a scan.
    await exec(
      `INSERT INTO "Email" (id, "workspaceId", "contactId", address, position)
       SELECT gen_random_uuid(), $1::uuid, c.id, 'p' || c."firstName" || '@example.com', 0
       FROM (SELECT id, "firstName" FROM "Contact" WHERE id <> $2::uuid ORDER BY id LIMIT 300) c`,
      workspaceId, first!.id,
    );
    const after = await contactCounters();
    // The statement itself reads Contact once (by its primary key index here, or a scan).
    expect(after.seq_scan - analyzed.seq_scan).toBeLessThanOrEqual(1);
  });

  it('vacuums the rows that updates left dead', async () => {
    await exec(`UPDATE "Contact" SET "lastName" = 'Updated' WHERE "workspaceId" = $1::uuid`, workspaceId);
    expect((await contactCounters()).n_dead_tup).toBeGreaterThan(5000);
    await store.maintain();
    expect((await contactCounters()).n_dead_tup).toBe(0);
  });
});
