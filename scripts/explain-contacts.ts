// EXPLAIN ANALYZE of the contacts and companies list queries on a PostgreSQL
// server, over a workspace of 10k contacts among 30k: which index serves each
// filter (docs/store.md, Indexes).
//
//   DATABASE_URL=postgresql://… npx tsx scripts/explain-contacts.ts
//
// Applies the migrations, seeds the workspaces once (SQL generate_series),
// then runs each query the way the gateway builds it (the same domain
// functions, one Prisma call) and prints the plan's shape and its time.
import pg from 'pg';
import { explainingClient, seedWorkspace } from './seed-workspace.js';
import { openStore } from '../src/db/store.js';
import { parseStoreLocation } from '../src/config.js';
import type { Prisma } from '../src/generated/prisma/client.js';
import { contactFilterWhere, contactSortKey, type ContactFilter, type ContactOrder } from '../src/contacts/contact-query.js';
import { companyFilterWhere, COMPANY_SORT_KEY } from '../src/contacts/company-query.js';
import { encodeCursor, planPage } from '../src/contacts/keyset.js';
import { randomBytes } from 'node:crypto';

// The script signs and reads its own cursors: any key does.
const SIGNING = randomBytes(32);

const url = process.env.DATABASE_URL ?? '';
if (!url.startsWith('postgres')) {
  console.error('Set DATABASE_URL to a postgresql:// URL.');
  process.exit(2);
}

const store = await openStore(parseStoreLocation(url));
await store.migrate();
await store.close();

const sql = new pg.Client({ connectionString: url });
await sql.connect();

const target = await seedWorkspace(sql, 'explain-10k', 10_000);
await seedWorkspace(sql, 'explain-noise-a', 10_000);
await seedWorkspace(sql, 'explain-noise-b', 10_000);
await sql.query('ANALYZE');

const { prisma, explain } = explainingClient(url, sql);

const workspace = (await prisma.workspace.findUniqueOrThrow({ where: { id: target } }));
const company = await prisma.company.findFirstOrThrow({ where: { workspaceId: target, name: 'Company 7' } });

// A cursor in the middle of the LAST_NAME ordering.
const middle = await prisma.contact.findFirstOrThrow({ where: { workspaceId: target, lastName: 'Last17' } });

async function contactsPage(filter: ContactFilter, order?: ContactOrder, afterMiddle?: boolean) {
  const key = contactSortKey(order);
  const plan = planPage('Contact', key, { first: 20, after: afterMiddle ? encodeCursor('Contact', key, middle, SIGNING) : null }, SIGNING);
  const where = contactFilterWhere(target, filter, workspace.defaultCountry ?? 'US');
  return prisma.contact.findMany({
    select: { id: true },
    where: { AND: [where, plan.where as Prisma.ContactWhereInput] },
    orderBy: plan.orderBy as Prisma.ContactOrderByWithRelationInput[],
    take: plan.take,
  });
}
const count = (filter: ContactFilter) => prisma.contact.count({ where: contactFilterWhere(target, filter, 'US') });

await explain('list, CREATED_AT ASC, first 20', () => contactsPage({}));
await explain('list, UPDATED_AT DESC, first 20', () => contactsPage({}, { field: 'UPDATED_AT', direction: 'desc' }));
await explain('list, CREATED_AT ASC, after a cursor', () => contactsPage({}, undefined, true));
await explain('list, UPDATED_AT DESC, after a cursor', () => contactsPage({}, { field: 'UPDATED_AT', direction: 'desc' }, true));
await explain('list, LAST_NAME ASC, after a cursor', () => contactsPage({}, { field: 'LAST_NAME', direction: 'asc' }, true));
await explain('list, LAST_NAME DESC, after a cursor', () => contactsPage({}, { field: 'LAST_NAME', direction: 'desc' }, true));
await explain('totalCount, no filter', () => count({}));
await explain('filter email', () => contactsPage({ email: 'First4242@mail1.test' }));
await explain('filter phone', () => contactsPage({ phone: '(415) 200-4242' }));
await explain('filter tag (rare: vip)', () => contactsPage({ tag: 'vip' }));
await explain('totalCount, tag vip', () => count({ tag: 'vip' }));
await explain('filter companyId', () => contactsPage({ companyId: company.id }));
await explain('totalCount, companyId', () => count({ companyId: company.id }));
await explain('filter externalNamespace (rare: pipedrive)', () => contactsPage({ externalNamespace: 'PipeDrive' }));
await explain('filter updatedSince (last hour)', () => contactsPage({ updatedSince: new Date(Date.now() - 3600_000) }));
await explain('search name "first424"', () => contactsPage({ search: 'first424' }));
await explain('totalCount, search "first424"', () => count({ search: 'first424' }));
await explain('search phone "415 200 4242"', () => contactsPage({ search: '415 200 4242' }));
await explain('search email part "@mail1" (matches half the emails)', () => contactsPage({ search: '@mail1' }));
await explain('includeDeleted + tag lead', () => contactsPage({ includeDeleted: true, tag: 'lead' }));
await explain('companies, search "company 7"', () =>
  prisma.company.findMany({
    select: { id: true },
    where: companyFilterWhere(target, { search: 'company 7' }),
    orderBy: planPage('Company', COMPANY_SORT_KEY, { first: 20 }, SIGNING).orderBy as Prisma.CompanyOrderByWithRelationInput[],
    take: 21,
  }),
);

await prisma.$disconnect();
await sql.end();
