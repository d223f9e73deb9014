// The reads of the growth benchmark (bench/growth.ts), each made for one
// workspace of bench/growth-seed.ts, and the capture of the SQL each runs
// with its parameters, to be explained (EXPLAIN (ANALYZE, BUFFERS)).
import pg from 'pg';
import type { PrismaClient } from '../src/generated/prisma/client.js';
import { contactSortKey } from '../src/contacts/contact-query.js';
import { encodeCursor } from '../src/contacts/keyset.js';
import { storedCursorKey } from '../src/db/cursor-secret.js';
import type { Store } from '../src/db/store.js';
import { createGateway } from '../src/http/gateway.js';
import { growthEmail, workspaceIdSql, type GrowthWorkspace } from './growth-seed.js';

/** One query text for every read: only the variables vary (bench/workloads.ts). */
export const GROWTH_QUERY = `query Growth($first: Int!, $after: String, $filter: ContactFilter) {
  contacts(first: $first, after: $after, filter: $filter) {
    edges { cursor node { id firstName lastName email emails { address } phones { e164 } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export interface GrowthRead {
  id: string;
  title: string;
  /** How many contacts the answer must hold, else the run stops (the read is not doing what it says). */
  expect: (edges: number) => boolean;
  variables(workspace: GrowthWorkspace, prisma: PrismaClient): Promise<Record<string, unknown>>;
}

/** Contact i exists in every workspace with the same values: the search and email reads look for this one. */
const PROBE = 5000;

/** "hamilton.5000@": the last name and number in PROBE's work email, up to its "@", so no other contact of a workspace has it. */
const probeSearch = () => growthEmail(PROBE, 0).split('@')[0]!.split('.').slice(1).join('.') + '@';

export const GROWTH_READS: GrowthRead[] = [
  {
    id: 'deep-page',
    title: 'contacts(first: 50, after: the cursor 90% into the list), CREATED_AT order',
    expect: (edges) => edges === 50,
    variables: async (workspace, prisma) => ({ first: 50, after: await cursorAt(prisma, workspace, Math.floor(workspace.contacts * 0.9)) }),
  },
  {
    id: 'search',
    title: `contacts(first: 20, filter: { search: "<last name>.${PROBE}@" }): a substring of one contact's email`,
    expect: (edges) => edges === 1,
    variables: async () => ({ first: 20, filter: { search: probeSearch().replace(/^./, (c) => c.toUpperCase()) } }),
  },
  {
    id: 'search-common',
    title: 'contacts(first: 20, filter: { search: "hopper" }): a last name 1 contact in 16 has',
    expect: (edges) => edges === 20,
    variables: async () => ({ first: 20, filter: { search: 'hopper' } }),
  },
  {
    id: 'email',
    title: `contacts(first: 20, filter: { email: <contact ${PROBE}'s second email> })`,
    expect: (edges) => edges === 1,
    variables: async () => ({ first: 20, filter: { email: growthEmail(PROBE, 1).toUpperCase() } }),
  },
];

/** The cursor of the workspace's i-th contact in CREATED_AT order, signed with the key the gateway uses. */
async function cursorAt(prisma: PrismaClient, workspace: GrowthWorkspace, i: number): Promise<string> {
  const [row] = await prisma.$queryRawUnsafe<{ id: string; createdAt: Date }[]>(
    `SELECT id::text, "createdAt" FROM "Contact" WHERE "workspaceId" = ${workspaceIdSql} AND "createdAt" = timestamp '2025-01-01' + $2 * interval '1 second'`,
    workspace.name,
    i,
  );
  if (row === undefined) throw new Error(`${workspace.name}: no contact ${i}`);
  return encodeCursor('Contact', contactSortKey(), row, await storedCursorKey(prisma));
}

export interface CapturedStatement {
  sql: string;
  args: readonly unknown[];
}

/**
 * Runs the read once through an in-process gateway on `store` and returns
 * the statements on contacts it sent (the API-key lookup and cursor key
 * left out), with their parameters.
 */
export async function captureStatements(store: Store, apiKey: string, variables: Record<string, unknown>): Promise<CapturedStatement[]> {
  const gateway = createGateway({ store, adminToken: null, production: true, apiKeyCacheMs: 0 });
  const captured: CapturedStatement[] = [];
  const stop = store.onQuery(({ query, args }) => {
    if (/FROM "public"\."Contact"/.test(query)) captured.push({ sql: query, args: args ?? [] });
  });
  try {
    const response = await gateway.fetch('http://growth.local/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query: GROWTH_QUERY, variables }),
    });
    const body = (await response.json()) as { errors?: unknown[] };
    if (body.errors) throw new Error(`capture: ${JSON.stringify(body.errors)}`);
  } finally {
    stop();
  }
  return captured;
}

export interface Plans {
  /** Planned for these parameters, as PostgreSQL plans a statement's first executions. */
  custom: string[];
  /**
   * Planned for any parameters: what a prepared statement (the gateway names
   * its statements on PostgreSQL, src/db/store.ts) may switch to after five
   * executions, when its estimated cost is no worse than the custom plans'.
   */
  generic: string[];
}

/** EXPLAIN (ANALYZE, BUFFERS) of a captured statement with its own parameters, custom and generic. */
export async function explain(client: pg.Client, statement: CapturedStatement): Promise<Plans> {
  const lines = async (text: string, args: readonly unknown[] = []) =>
    (await client.query<{ 'QUERY PLAN': string }>(text, args as unknown[])).rows.map((r) => r['QUERY PLAN']);
  const custom = await lines(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, statement.args);
  await client.query(`PREPARE growth_read AS ${statement.sql}`);
  try {
    await client.query('SET plan_cache_mode = force_generic_plan');
    // EXECUTE takes no bound parameters: the values go as literals, cast to the statement's types by PostgreSQL.
    const values = statement.args.map((arg) => literal(client, arg)).join(', ');
    return { custom, generic: await lines(`EXPLAIN (ANALYZE, BUFFERS) EXECUTE growth_read(${values})`) };
  } finally {
    await client.query('RESET plan_cache_mode; DEALLOCATE growth_read');
  }
}

function literal(client: pg.Client, value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return client.escapeLiteral(typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : JSON.stringify(value));
}
