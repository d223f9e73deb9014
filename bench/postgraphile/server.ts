// PostGraphile 5 as the bench's third server: what a team picking a GraphQL
// layer over PostgreSQL would put in front of the same database. The stock
// `amber` preset over the `public` schema (the gateway's Prisma tables, with
// PostGraphile's own naming: allContacts, emailsByContactId, …), served by
// grafserv's Node adaptor, on a pg Pool of the same size as the other servers'.
// Nothing is tuned beyond turning off what a production deployment turns off
// (GraphiQL, watch mode, explain) and allowing order and conditions on
// unindexed columns.
//
// Tenancy: the gateway and B1 resolve the API key to a workspace and scope
// every query to it. PostGraphile has no API keys of its own; here the same
// key lookup runs before grafserv (cached for API_KEY_CACHE_MS, 2 s, as the
// gateway caches it) and a request without a valid key is refused with 401.
// The workspace itself travels in the query (condition: { workspaceId }):
// PostGraphile's own way to enforce it would be row-level security with
// pgSettings, a transaction and a set_config per request, which this server
// does not do.
//
// Reads only: PostGraphile's generated CRUD mutations have none of the
// gateway's upsert semantics (matching, merging lists, the change feed), so
// the write workloads are not run against it.
//
// Needs Node 22 or newer (PostGraphile 5's engines).
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { WORKSPACE_BY_KEY_HASH } from '../baseline/sql.js';

export interface PostGraphileServer {
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  statements: () => number;
  check: (text: string, params: unknown[]) => Promise<unknown[]>;
  close: () => Promise<void>;
}

export async function startPostGraphile(options: { databaseUrl: string; poolSize: number; apiKeyCacheMs: number }): Promise<PostGraphileServer> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize });
  const statements = countStatements(pool);
  const pgl = postgraphile(amberPreset(pool));
  const serv = pgl.createServ(grafserv);
  // Build the schema now, not on the first request.
  await pgl.getSchema();
  const graphql = serv.createHandler();
  const workspaceFor = workspaceLookup(pool, options.apiKeyCacheMs);

  return {
    async handler(req, res) {
      if ((await workspaceFor(req.headers.authorization)) === null) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message: 'A valid API key is required.', extensions: { code: 'UNAUTHENTICATED' } }] }));
        return;
      }
      // grafserv answers through res; the returned promise ends when the response does.
      await new Promise<void>((resolve, reject) => {
        res.once('close', resolve);
        graphql(req, res, (error) => (error ? reject(error) : resolve()));
      });
    },
    statements,
    check: async (text, params) => (await pool.query(text, params)).rows,
    async close() {
      // Releases grafserv as well; the pool is this module's to end.
      await pgl.release();
      await pool.end();
    },
  };
}

/**
 * Every statement any pooled connection sends (PostGraphile's queries, its
 * per-connection settings, the key lookup), counted once.
 */
function countStatements(pool: pg.Pool): () => number {
  let statements = 0;
  pool.on('connect', (client) => {
    const query = client.query;
    client.query = function (this: pg.PoolClient, ...args: unknown[]) {
      statements++;
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof client.query;
  });
  return () => statements;
}

/** The stock amber preset over `public`, with what a production deployment turns off turned off. */
function amberPreset(pool: pg.Pool): GraphileConfig.Preset {
  return {
    extends: [PostGraphileAmberPreset],
    // Ordering and conditions on every column, not only indexed ones (the
    // nested lists are ordered by position, the page filtered on deletedAt:
    // what the gateway asks of the same tables).
    disablePlugins: ['PgIndexBehaviorsPlugin'],
    pgServices: [makePgService({ pool, schemas: ['public'] })],
    grafserv: { graphqlPath: '/graphql', graphiql: false, watch: false, websockets: false },
    grafast: { explain: false },
  };
}

/** The workspace of a Bearer API key, or null; kept for `cacheMs` (0: looked up on every request), as the gateway does. */
function workspaceLookup(pool: pg.Pool, cacheMs: number): (authorization: string | undefined) => Promise<string | null> {
  const keys = new Map<string, { workspaceId: string | null; until: number }>();
  return async (authorization) => {
    const match = authorization === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) return null;
    const now = Date.now();
    const cached = keys.get(match[1]!);
    if (cached !== undefined && cached.until > now) return cached.workspaceId;
    const hash = crypto.createHash('sha256').update(match[1]!, 'utf8').digest('hex');
    const { rows } = await pool.query<{ id: string }>({ name: 'pgl_auth', text: WORKSPACE_BY_KEY_HASH, values: [hash] });
    const workspaceId = rows[0]?.id ?? null;
    if (cacheMs > 0) keys.set(match[1]!, { workspaceId, until: now + cacheMs });
    return workspaceId;
  };
}
