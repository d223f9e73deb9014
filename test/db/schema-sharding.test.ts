// Every tenant table can be distributed by workspace (docs/scaling.md): its
// primary key and each unique index lead with workspaceId, and every foreign
// key between two tenant tables includes workspaceId, so that each lookup,
// uniqueness check and join stays on one shard. Read from the catalog of the
// migrated test database, not from prisma/schema.prisma: the migrations add
// indexes the schema file does not name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let t: TestGateway;
let tenantTables: string[];
let keys: { table: string; index: string; primary: boolean; columns: string[] }[];
let foreignKeys: { table: string; name: string; references: string; columns: string[] }[];

beforeAll(async () => {
  t = await startTestGateway();
  const sql = <T>(text: string) => t.store.prisma.$queryRawUnsafe<T[]>(text);
  tenantTables = (
    await sql<{ table: string }>(`
      SELECT table_name AS "table" FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = 'workspaceId' ORDER BY 1`)
  ).map((r) => r.table);
  keys = await sql(`
    SELECT c.relname AS "table", i.relname AS "index", x.indisprimary AS "primary",
           array(SELECT coalesce(a.attname, '(expression)') FROM unnest(x.indkey) WITH ORDINALITY k(attnum, ord)
                 LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns
    FROM pg_index x
    JOIN pg_class c ON c.oid = x.indrelid
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND x.indisunique ORDER BY 1, 2`);
  foreignKeys = await sql(`
    SELECT c.relname AS "table", f.conname AS name, r.relname AS "references",
           array(SELECT a.attname FROM unnest(f.conkey) k(attnum) JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum)::text[] AS columns
    FROM pg_constraint f
    JOIN pg_class c ON c.oid = f.conrelid
    JOIN pg_class r ON r.oid = f.confrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND f.contype = 'f' ORDER BY 1, 2`);
});
afterAll(() => t.close());

/** One rule applied to one constraint: its table, its name, and whether it holds. */
interface Check { rule: string; table: string; constraint: string; holds: boolean }

function checks(): Check[] {
  const tenant = new Set(tenantTables);
  const out: Check[] = [];
  for (const key of keys.filter((k) => tenant.has(k.table))) {
    out.push({ rule: key.primary ? 'primary key leads with workspaceId' : 'unique index leads with workspaceId', table: key.table, constraint: key.index, holds: key.columns[0] === 'workspaceId' });
  }
  for (const fk of foreignKeys.filter((f) => tenant.has(f.table) && tenant.has(f.references))) {
    out.push({ rule: 'foreign key between tenant tables includes workspaceId', table: fk.table, constraint: fk.name, holds: fk.columns.includes('workspaceId') });
  }
  return out;
}

/**
 * Where the schema does not yet meet the rules, each listed in docs/scaling.md,
 * Gaps. A gap that is closed makes its `it.fails` below fail: remove it here
 * and from the document.
 */
const GAPS = [
  'Address_pkey', 'ApiKey_pkey', 'Company_pkey', 'Contact_pkey', 'ContactChange_pkey', 'Email_pkey', 'Employment_pkey', 'ExternalRef_pkey', 'Phone_pkey',
  'ApiKey_hash_key', 'Email_contactId_address_key', 'Phone_contactId_e164_key',
  'Address_contactId_fkey', 'Contact_mergedIntoId_fkey', 'Email_contactId_fkey', 'Employment_companyId_fkey', 'Employment_contactId_fkey',
  'ExternalRef_contactId_fkey', 'Phone_contactId_fkey',
];

describe('tenant tables can be distributed by workspaceId (docs/scaling.md)', () => {
  it('the tenant tables are the tables with a workspaceId column', () => {
    expect(tenantTables).toEqual(['Address', 'ApiKey', 'Company', 'Contact', 'ContactChange', 'Email', 'Employment', 'ExternalRef', 'IdempotentRequest', 'Phone']);
  });

  it('every constraint that is not a listed gap meets its rule', () => {
    const met = checks().filter((c) => !GAPS.includes(c.constraint));
    expect(met.filter((c) => !c.holds)).toEqual([]);
    // These meet the rules today; they must go on doing so.
    expect(met.map((c) => c.constraint).sort()).toEqual(
      ['Company_workspaceId_nameKey_key', 'ContactChange_workspaceId_position_key', 'ExternalRef_workspaceId_namespace_externalId_live_key', 'IdempotentRequest_pkey'],
    );
  });

  it('every listed gap is a constraint of a tenant table that a rule applies to', () => {
    const known = new Set(checks().map((c) => c.constraint));
    expect(GAPS.filter((gap) => !known.has(gap))).toEqual([]);
  });

  for (const gap of GAPS) {
    it.fails(`${gap} meets its rule (a gap: docs/scaling.md, Gaps)`, () => {
      const check = checks().find((c) => c.constraint === gap);
      expect(check?.holds, `${check?.table} ${gap}: ${check?.rule}`).toBe(true);
    });
  }
});
