// A real gateway over a real, migrated store, driven through its HTTP surface
// with gateway.fetch. The store is PGlite in memory, or the PostgreSQL server
// that DATABASE_URL names (as CI runs the suite a second time).
// Tests isolate themselves by workspace: each creates its own.
import { parseStoreLocation } from '../../src/config.js';
import { openStore, type Store } from '../../src/db/store.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/http/gateway.js';
import { issueApiKey } from '../../src/auth/api-keys.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export function testStoreUrl(): string {
  const url = process.env.DATABASE_URL;
  return url !== undefined && url.startsWith('postgres') ? url : 'pglite:memory';
}

export const onPostgres = testStoreUrl().startsWith('postgres');

/** TEST_POOLER=transaction: DATABASE_URL is PgBouncer in transaction-pooling mode in front of the server. */
export const behindPooler = onPostgres && process.env.TEST_POOLER === 'transaction';

export interface GraphQLResponse<T = any> {
  status: number;
  headers: Headers;
  body: { data?: T; errors?: { message: string; extensions?: Record<string, unknown>; path?: unknown[] }[] };
}

export interface TestWorkspace {
  id: string;
  apiKey: string;
  /** Runs an operation as this workspace. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
}

export interface TestGateway {
  store: Store;
  gateway: Gateway;
  /** Runs an operation with the given Authorization value (or none). */
  gql<T = any>(
    authorization: string | null,
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  newWorkspace(name?: string): Promise<TestWorkspace>;
  /** The SQL statements Prisma sent while `work` ran. */
  statements(work: () => Promise<unknown>): Promise<string[]>;
  close(): Promise<void>;
}

/** Gateway options a test may set; the others come from the harness. */
export type TestGatewayOptions = Partial<Omit<GatewayOptions, 'store' | 'adminToken'>>;

export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const store = await openStore(parseStoreLocation(testStoreUrl()), { poolSize: 10 });
  await store.migrate();
  const gateway = createGateway({ logger: { error: () => {} }, ...options, store, adminToken: ADMIN_TOKEN, production: options.production ?? false });

  const gql: TestGateway['gql'] = async (authorization, query, variables, headers = {}) => {
    const response = await gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(authorization === null ? {} : { authorization }),
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    let body: GraphQLResponse['body'];
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`HTTP ${response.status}, not JSON: ${text.slice(0, 500)}`);
    }
    return { status: response.status, headers: response.headers, body };
  };

  return {
    store,
    gateway,
    gql,
    async newWorkspace(name = 'test') {
      const workspace = await store.prisma.workspace.create({ data: { name } });
      const apiKey = await issueApiKey(store.prisma, workspace.id);
      return {
        id: workspace.id,
        apiKey,
        gql: (query, variables, headers) => gql(`Bearer ${apiKey}`, query, variables, headers),
      };
    },
    async statements(work) {
      const seen: string[] = [];
      const stop = store.onQuery((event) => seen.push(event.query));
      try {
        await work();
      } finally {
        stop();
      }
      return seen;
    },
    close: () => store.close(),
  };
}

/** The data of a response that must have no errors. */
export function dataOf<T = any>(response: GraphQLResponse<T>): T {
  if (response.body.errors !== undefined && response.body.errors.length > 0) {
    throw new Error(`GraphQL errors (HTTP ${response.status}): ${JSON.stringify(response.body.errors)}`);
  }
  if (response.body.data === undefined) throw new Error(`no data (HTTP ${response.status})`);
  return response.body.data;
}
