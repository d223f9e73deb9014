// A real gateway over a real, migrated store, driven through its HTTP surface
// with gateway.fetch. The store is PGlite in memory, or the PostgreSQL server
// that DATABASE_URL names (as CI runs the suite a second time).
// Tests isolate themselves by workspace: each creates its own.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
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

/**
 * The gateway and the one workspace that a test file's cases share: the
 * gateway starts and the workspace is created in beforeAll, the gateway closes
 * in afterAll. `t` and `ws` can be used as the file's own from the start: each
 * call goes to the gateway and workspace of the running file.
 */
export function useTestWorkspace(options: TestGatewayOptions = {}, name?: string): { t: TestGateway; ws: TestWorkspace } {
  let gateway: TestGateway | undefined;
  let workspace: TestWorkspace | undefined;
  beforeAll(async () => {
    gateway = await startTestGateway(options);
    workspace = await gateway.newWorkspace(name);
  });
  afterAll(() => gateway?.close());
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useTestWorkspace: used outside a test (before its beforeAll ran)');
    return value;
  };
  const t: TestGateway = {
    get store() {
      return started(gateway).store;
    },
    get gateway() {
      return started(gateway).gateway;
    },
    gql: (authorization, query, variables, headers) => started(gateway).gql(authorization, query, variables, headers),
    newWorkspace: (workspaceName) => started(gateway).newWorkspace(workspaceName),
    statements: (work) => started(gateway).statements(work),
    close: () => started(gateway).close(),
  };
  const ws: TestWorkspace = {
    get id() {
      return started(workspace).id;
    },
    get apiKey() {
      return started(workspace).apiKey;
    },
    gql: (query, variables, headers) => started(workspace).gql(query, variables, headers),
  };
  return { t, ws };
}

/** The data of a response that must have no errors. */
/**
 * Runs `work` with the gateway served over node:http on a free port of
 * 127.0.0.1, as src/server.ts serves it, where the body arrives as a stream
 * of its declared length; the server is closed after.
 */
export async function overNodeHttp<T>(gateway: Gateway, work: (port: number) => Promise<T>): Promise<T> {
  const server = http.createServer(gateway);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await work((server.address() as AddressInfo).port);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

export function dataOf<T = any>(response: GraphQLResponse<T>): T {
  if (response.body.errors !== undefined && response.body.errors.length > 0) {
    throw new Error(`GraphQL errors (HTTP ${response.status}): ${JSON.stringify(response.body.errors)}`);
  }
  if (response.body.data === undefined) throw new Error(`no data (HTTP ${response.status})`);
  return response.body.data;
}
