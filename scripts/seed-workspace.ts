// Seeds a workspace of generated contacts straight in SQL (generate_series),
// once: a workspace of that name is reused. Each contact has 2 emails, 1
// phone, 1 employment at one of 200 companies and 1 external ref; names
// repeat (200 last names, 1 in 10 NULL), created over a year, updated over a
// month, 1 in 97 deleted.
import type pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../src/generated/prisma/client.js';

export async function seedWorkspace(sql: pg.Client, name: string, contacts: number): Promise<string> {
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

/**
 * A Prisma client whose statements are captured, and `explain`, which runs a
 * Prisma call and prints the EXPLAIN ANALYZE of each statement it sent, with
 * its parameters, as sent.
 */
export function explainingClient(url: string, sql: pg.Client) {
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }), log: [{ emit: 'event', level: 'query' }] });
  let captured: { query: string; params: unknown[] }[] = [];
  (prisma as unknown as PrismaClient<'query'>).$on('query', (e) => captured.push({ query: e.query, params: JSON.parse(e.params) as unknown[] }));

  async function explain(label: string, run: () => Promise<unknown>): Promise<string[]> {
    captured = [];
    await run();
    const shapes: string[] = [];
    for (const statement of captured) {
      const plan = await sql.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS OFF) ${statement.query}`, statement.params);
      const lines = plan.rows.map((r) => r['QUERY PLAN']);
      const shape = lines.filter((l) => /Scan|Join|Sort|Limit|Aggregate|SubPlan|Hash /.test(l) && !/LATERAL|Subquery Scan/.test(l)).slice(0, 6);
      const text = `${shape.map((l) => '  ' + l.trim().replace(/\(cost=[^)]*\)\s*/, '')).join('\n')}\n  ${lines.at(-1)}`;
      console.log(`\n## ${label}\n${text}`);
      shapes.push(text);
    }
    return shapes;
  }
  return { prisma, explain };
}
