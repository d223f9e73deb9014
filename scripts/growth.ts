// How the list queries grow with a workspace: with one workspace of 1,000,000
// contacts, ten of 100,000 and one of 10,000 in one PostgreSQL database, the
// time of a page deep in the list (keyset), of a search for a part of an email
// and of an email lookup, in the 1M workspace against the 10k one, each the
// median of repeated runs of the query as the gateway builds it; then the
// EXPLAIN ANALYZE of each in the 1M workspace. (docs/benchmarks.md, Growth)
//
//   DATABASE_URL=postgresql://… npx tsx scripts/growth.ts
//
// Seeding takes minutes the first time; the workspaces are reused afterwards.
import pg from 'pg';
import { openStore } from '../src/db/store.js';
import { parseStoreLocation } from '../src/config.js';
import type { Prisma, PrismaClient } from '../src/generated/prisma/client.js';
import { contactFilterWhere, contactSortKey, type ContactFilter } from '../src/contacts/contact-query.js';
import { encodeCursor, planPage } from '../src/contacts/keyset.js';
import { randomBytes } from 'node:crypto';
import { explainingClient, seedWorkspace } from './seed-workspace.js';

// The script signs and reads its own cursors: any key does.
const SIGNING = randomBytes(32);

const url = process.env.DATABASE_URL ?? '';
if (!url.startsWith('postgres')) {
  console.error('Set DATABASE_URL to a postgresql:// URL.');
  process.exit(2);
}
const RUNS = Number(process.env.GROWTH_RUNS ?? 30);

const store = await openStore(parseStoreLocation(url));
await store.migrate();
await store.close();

const sql = new pg.Client({ connectionString: url });
await sql.connect();
const started = Date.now();
const large = await seedWorkspace(sql, 'growth-1m', 1_000_000);
for (let i = 0; i < 10; i++) await seedWorkspace(sql, `growth-noise-${i}`, 100_000);
const small = await seedWorkspace(sql, 'growth-10k', 10_000);
await sql.query('ANALYZE');
console.log(`seeded or found in ${((Date.now() - started) / 1000).toFixed(0)} s`);
const { prisma, explain } = explainingClient(url, sql);

/** The contact 90% of the way down the CREATED_AT order: a page after it is deep in the list. */
async function deepCursor(db: PrismaClient, workspaceId: string, size: number): Promise<string> {
  const [row] = await db.contact.findMany({ where: { workspaceId, deletedAt: null }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], skip: Math.floor(size * 0.9), take: 1 });
  return encodeCursor('Contact', contactSortKey(), row!, SIGNING);
}

function page(workspaceId: string, filter: ContactFilter, after: string | null) {
  const key = contactSortKey();
  const plan = planPage('Contact', key, { first: 20, after }, SIGNING);
  return prisma.contact.findMany({
    select: { id: true },
    where: { AND: [contactFilterWhere(workspaceId, filter, 'US'), plan.where as Prisma.ContactWhereInput] },
    orderBy: plan.orderBy as Prisma.ContactOrderByWithRelationInput[],
    take: plan.take,
  });
}

async function median(run: () => Promise<unknown>): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const cursors = { [large]: await deepCursor(prisma, large, 1_000_000), [small]: await deepCursor(prisma, small, 10_000) };
const queries: [string, (ws: string) => Promise<unknown>][] = [
  ['page after a cursor 90% down the list', (ws) => page(ws, {}, cursors[ws]!)],
  ['search "first4242@mail1" (a part of one email)', (ws) => page(ws, { search: 'first4242@mail1' }, null)],
  ['search "irst4242" (a part of a first name)', (ws) => page(ws, { search: 'irst4242' }, null)],
  ['filter email "first4242@mail1.test"', (ws) => page(ws, { email: 'first4242@mail1.test' }, null)],
];

console.log(`\n| query | 10k: ms | 1M: ms | 1M / 10k |\n| --- | --- | --- | --- |`);
for (const [label, run] of queries) {
  const a = await median(() => run(small));
  const b = await median(() => run(large));
  console.log(`| ${label} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${(b / a).toFixed(2)}× |`);
}
for (const [label, run] of queries) await explain(`${label}, 1M workspace`, () => run(large));

await prisma.$disconnect();
await sql.end();
