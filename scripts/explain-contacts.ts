// EXPLAIN ANALYZE of the contacts and companies list queries on a PostgreSQL
// server, over a workspace of 10k contacts among 30k (issue 4: "indexes that
// make these filters fast, checked with EXPLAIN").
//
//   DATABASE_URL=postgresql://… npx tsx scripts/explain-contacts.ts
//
// Applies the migrations, seeds the workspaces once (SQL generate_series),
// then runs each query the way the gateway builds it (the same domain
// functions, one Prisma call) and prints the plan's shape and its time.
import pg from 'pg';
import { openStore } from '../src/db/store.js';
import { parseStoreLocation } from '../src/config.js';
import { PrismaClient, type Prisma } from '../src/generated/prisma/client.js';
import { PrismaPg } from '@prisma/adapter-pg';
import { contactFilterWhere, contactSortKey, type ContactFilter, type ContactOrder } from '../src/contacts/contact-query.js';
import { companyFilterWhere, COMPANY_SORT_KEY } from '../src/contacts/company-query.js';
import { encodeCursor, planPage } from '../src/contacts/keyset.js';

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

async function seedWorkspace(name: string, contacts: number): Promise<string> {
  const found = await sql.query<{ id: string }>('SELECT id FROM "Workspace" WHERE name = $1', [name]);
  if (found.rows[0]) return found.rows[0].id;
  const ws = (await sql.query<{ id: string }>('INSERT INTO "Workspace" (id, name) VALUES (gen_random_uuid(), $1) RETURNING id', [name])).rows[0]!.id;
  await sql.query(
    `INSERT INTO "Company" (id, "workspaceId", name, domain, "updatedAt")
     SELECT gen_random_uuid(), $1, 'Company ' || i, 'company' || i || '.test', now() FROM generate_series(1, 200) i`,
    [ws],
  );
  // Names repeat (200 last names, 1 in 10 NULL), created over a year, updated over a month.
  await sql.query(
    `INSERT INTO "Contact" (id, "workspaceId", "firstName", "lastName", tags, "createdAt", "updatedAt", "deletedAt")
     SELECT gen_random_uuid(), $1, 'First' || i, CASE WHEN i % 10 = 0 THEN NULL ELSE 'Last' || (i % 200) END,
            CASE WHEN i % 50 = 0 THEN ARRAY['vip', 'lead'] WHEN i % 7 = 0 THEN ARRAY['lead'] ELSE ARRAY['t' || (i % 100)] END,
            now() - (i || ' minutes')::interval * 50, now() - (i % 43200 || ' minutes')::interval,
            CASE WHEN i % 97 = 0 THEN now() ELSE NULL END
     FROM generate_series(1, $2::int) i`,
    [ws, contacts],
  );
  await sql.query(
    `INSERT INTO "Email" (id, "workspaceId", "contactId", address, position)
     SELECT gen_random_uuid(), c."workspaceId", c.id, lower(c."firstName") || '@mail' || n || '.test', n
     FROM "Contact" c, generate_series(0, 1) n WHERE c."workspaceId" = $1`,
    [ws],
  );
  await sql.query(
    `INSERT INTO "Phone" (id, "workspaceId", "contactId", number, e164, position)
     SELECT gen_random_uuid(), c."workspaceId", c.id, e164, e164, 0
     FROM (SELECT *, '+14152' || lpad((row_number() OVER ())::text, 6, '0') AS e164 FROM "Contact" WHERE "workspaceId" = $1) c`,
    [ws],
  );
  await sql.query(
    `INSERT INTO "Employment" (id, "workspaceId", "contactId", "companyId", "primary", position)
     SELECT gen_random_uuid(), c."workspaceId", c.id, co.id, true, 0
     FROM (SELECT *, row_number() OVER () % 200 AS k FROM "Contact" WHERE "workspaceId" = $1) c
     JOIN (SELECT *, row_number() OVER () % 200 AS k FROM "Company" WHERE "workspaceId" = $1) co USING (k)`,
    [ws],
  );
  await sql.query(
    `INSERT INTO "ExternalRef" (id, "workspaceId", "contactId", namespace, "externalId")
     SELECT gen_random_uuid(), "workspaceId", id, CASE WHEN random() < 0.05 THEN 'pipedrive' ELSE 'salesforce' END, id::text
     FROM "Contact" WHERE "workspaceId" = $1`,
    [ws],
  );
  return ws;
}

const target = await seedWorkspace('explain-10k', 10_000);
await seedWorkspace('explain-noise-a', 10_000);
await seedWorkspace('explain-noise-b', 10_000);
await sql.query('ANALYZE');

// The statements Prisma sends, with their parameters, to EXPLAIN them as sent.
const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }), log: [{ emit: 'event', level: 'query' }] });
let captured: { query: string; params: unknown[] }[] = [];
(prisma as unknown as PrismaClient<'query'>).$on('query', (e) => captured.push({ query: e.query, params: JSON.parse(e.params) as unknown[] }));

async function explain(label: string, run: () => Promise<unknown>) {
  captured = [];
  await run();
  for (const statement of captured) {
    const plan = await sql.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS OFF) ${statement.query}`, statement.params);
    const lines = plan.rows.map((r) => r['QUERY PLAN']);
    const shape = lines.filter((l) => /Scan|Join|Sort|Limit|Aggregate|SubPlan|Hash /.test(l) && !/LATERAL|Subquery Scan/.test(l)).slice(0, 6);
    console.log(`\n## ${label}\n${shape.map((l) => '  ' + l.trim().replace(/\(cost=[^)]*\)\s*/, '')).join('\n')}\n  ${lines.at(-1)}`);
  }
}

const workspace = (await prisma.workspace.findUniqueOrThrow({ where: { id: target } }));
const company = await prisma.company.findFirstOrThrow({ where: { workspaceId: target, name: 'Company 7' } });

// A cursor in the middle of the LAST_NAME ordering.
const middle = await prisma.contact.findFirstOrThrow({ where: { workspaceId: target, lastName: 'Last17' } });

async function contactsPage(filter: ContactFilter, order?: ContactOrder, afterMiddle?: boolean) {
  const key = contactSortKey(order);
  const plan = planPage('Contact', key, { first: 20, after: afterMiddle ? encodeCursor('Contact', key, middle) : null });
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
    orderBy: planPage('Company', COMPANY_SORT_KEY, { first: 20 }).orderBy as Prisma.CompanyOrderByWithRelationInput[],
    take: 21,
  }),
);

await prisma.$disconnect();
await sql.end();
