// One benchmark server process: the gateway (createGateway, exactly as
// src/server.ts builds it), B1 (bench/baseline), PostGraphile
// (bench/postgraphile, PostgreSQL only) or B0 (yoga answering { __typename }). Bench-only hooks live here, outside the gateway's code:
// GET /__bench/stats reports this process's requests, SQL statements, CPU and
// memory, POST /__bench/sql runs a read-only check query for the harness, and
// POST /__bench/profile/start|stop records a V8 CPU profile of this process
// between the two calls (bench/profile.ts: load only, start-up left out).
//
//   BENCH_SERVER=gateway|baseline|postgraphile|b0 DATABASE_URL=… node --import tsx bench/server.ts
// Prints one JSON line {"port": …} when it listens.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Session } from 'node:inspector/promises';
import v8 from 'node:v8';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { runInNewContext } from 'node:vm';
import { createYoga, createSchema } from 'graphql-yoga';
import pg from 'pg';
import { GraphQLError } from 'graphql';
import { PGlite } from '@electric-sql/pglite';
import { parseStoreLocation } from '../src/config.js';
import { PGLITE_EXTENSIONS } from '../src/db/extensions.js';
import { openStore } from '../src/db/store.js';
import { createGateway, DEFAULT_API_KEY_CACHE_MS, GATEWAY_PLUGIN_NAMES, type GatewayPluginName } from '../src/http/gateway.js';
import { baselineSchema, workspaceIdForKey, type BaselineContext } from './baseline/schema.js';
import type { Sql } from './baseline/sql.js';

// gc() without starting the servers with --expose-gc (they run with npm start's flags).
v8.setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;
interface Running {
  handler: Handler;
  statements: () => number;
  check: (text: string, params: unknown[]) => Promise<unknown[]>;
  close: () => Promise<void>;
}

const kind = process.env.BENCH_SERVER ?? 'gateway';
const databaseUrl = process.env.DATABASE_URL ?? '';
const poolSize = Number(process.env.DATABASE_POOL_SIZE ?? 10);

async function startGateway(): Promise<Running> {
  const store = await openStore(parseStoreLocation(databaseUrl), { poolSize });
  await store.migrate();
  let statements = 0;
  store.onQuery(() => void statements++);
  // API_KEY_CACHE_MS as src/server.ts reads it (0: one key lookup per request, as B1 does).
  const apiKeyCacheMs = process.env.API_KEY_CACHE_MS ? Number(process.env.API_KEY_CACHE_MS) : undefined;
  // Production settings, but introspection on: the harness reads the schema to
  // skip workloads whose operation the gateway lacks (production turns it off).
  const gateway = createGateway({ store, adminToken: null, production: true, introspection: true, apiKeyCacheMs, leaveOut: pluginsLeftOut() });
  return {
    handler: gateway as unknown as Handler,
    statements: () => statements,
    check: (text, params) => store.prisma.$queryRawUnsafe(text, ...params),
    close: () => store.close(),
  };
}

/** BENCH_LEAVE_OUT: the gateway's plugins to leave out, comma-separated (bench/plugin-cost.ts). */
function pluginsLeftOut(): Set<GatewayPluginName> {
  const names = (process.env.BENCH_LEAVE_OUT ?? '').split(',').filter((name) => name !== '');
  for (const name of names) {
    if (!(GATEWAY_PLUGIN_NAMES as readonly string[]).includes(name)) throw new Error(`BENCH_LEAVE_OUT: no plugin ${name}; one of ${GATEWAY_PLUGIN_NAMES.join(', ')}`);
  }
  return new Set(names as GatewayPluginName[]);
}

async function openSql(): Promise<{ sql: Sql; close: () => Promise<void> }> {
  let statements = 0;
  if (databaseUrl.startsWith('postgres')) {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
    return {
      sql: {
        get statements() {
          return statements;
        },
        async query(name, text, params) {
          statements++;
          // A named query is prepared once per connection and then only bound and executed.
          return (await pool.query({ name, text, values: params })).rows;
        },
      },
      close: () => pool.end(),
    };
  }
  const location = parseStoreLocation(databaseUrl);
  if (location.kind !== 'pglite') throw new Error('unreachable');
  // With the store's extensions: the email index is a pg_trgm one, and without
  // it every write touching emails failed ("Unexpected error", on PGlite only).
  const db = location.dataDir === null ? new PGlite({ extensions: PGLITE_EXTENSIONS }) : new PGlite(location.dataDir, { extensions: PGLITE_EXTENSIONS });
  await db.waitReady;
  return {
    sql: {
      get statements() {
        return statements;
      },
      async query(_name, text, params) {
        statements++;
        return (await db.query<any>(text, params)).rows;
      },
    },
    close: () => db.close(),
  };
}

async function startBaseline(): Promise<Running> {
  const { sql, close } = await openSql();
  const yoga = createYoga<Record<string, never>, BaselineContext>({
    schema: baselineSchema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: false,
    logging: false,
    // As the gateway: yoga's own body limit pipes every body through a
    // TransformStream, which cost an empty request half its CPU. B1 keeps no
    // limit at all (the gateway buffers and limits bodies itself).
    maxRequestBodySize: false,
    context: async ({ request }) => {
      const workspaceId = await workspaceIdForKey(sql, request.headers.get('authorization'));
      if (workspaceId === null) {
        throw new GraphQLError('A valid API key is required.', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
      }
      return { sql, workspaceId };
    },
  });
  return {
    handler: yoga as unknown as Handler,
    statements: () => sql.statements,
    check: (text, params) => sql.query('', text, params),
    close,
  };
}

async function startB0(): Promise<Running> {
  const yoga = createYoga({
    schema: createSchema({ typeDefs: 'type Query { ok: Boolean }' }),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: false,
    logging: false,
    maxRequestBodySize: false,
  });
  return { handler: yoga as unknown as Handler, statements: () => 0, check: async () => [], close: async () => {} };
}

/** PostGraphile, loaded only in its own process (it needs Node 22 or newer; the others do not load it). */
async function startPostGraphileServer(): Promise<Running> {
  if (!databaseUrl.startsWith('postgres')) throw new Error('PostGraphile runs on PostgreSQL only (DATABASE_URL=postgresql://…)');
  const { startPostGraphile } = await import('./postgraphile/server.js');
  const apiKeyCacheMs = process.env.API_KEY_CACHE_MS ? Number(process.env.API_KEY_CACHE_MS) : DEFAULT_API_KEY_CACHE_MS;
  const running = await startPostGraphile({ databaseUrl, poolSize, apiKeyCacheMs });
  return { ...running, handler: running.handler as Handler };
}

const starters: Record<string, () => Promise<Running>> = {
  gateway: startGateway,
  baseline: startBaseline,
  postgraphile: startPostGraphileServer,
  b0: startB0,
};

/** This process's requests so far and those still being handled (GET /__bench/stats). */
interface Counters {
  requests: number;
  inFlight: number;
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** GET /__bench/stats: requests, SQL statements, CPU and memory of this process. */
function answerStats(req: IncomingMessage, res: ServerResponse, running: Running, counters: Counters): void {
  // settle: a full collection first, so RSS measures what the process
  // keeps rather than where its young generation happened to be.
  if (req.url!.endsWith('settle=1')) collectGarbage();
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  json(res, {
    requests: counters.requests,
    inFlight: counters.inFlight,
    statements: running.statements(),
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  });
}

/** POST /__bench/profile/start and /stop: a V8 CPU profile of this process between the two. */
function cpuProfiler() {
  let profiler: Session | null = null;
  return {
    get recording() {
      return profiler !== null;
    },
    start(res: ServerResponse): void {
      profiler ??= new Session();
      profiler.connect();
      void profiler
        .post('Profiler.enable')
        .then(() => profiler!.post('Profiler.start'))
        .then(() => json(res, { started: true }), (error) => res.writeHead(500).end(String(error)));
    },
    stop(res: ServerResponse): void {
      const session = profiler!;
      profiler = null;
      void session.post('Profiler.stop').then(
        ({ profile }) => {
          session.disconnect();
          json(res, profile);
        },
        (error) => res.writeHead(500).end(String(error)),
      );
    },
  };
}

/** POST /__bench/sql: the harness's read-only check query, its rows as JSON. */
function answerCheckSql(req: IncomingMessage, res: ServerResponse, running: Running): void {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', async () => {
    try {
      const { text, params } = JSON.parse(body) as { text: string; params: unknown[] };
      json(res, { rows: await running.check(text, params) });
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
}

/** The harness's own routes under /__bench/; 404 for any other. */
function answerBenchHook(req: IncomingMessage, res: ServerResponse, running: Running, counters: Counters, profiler: ReturnType<typeof cpuProfiler>): void {
  if (req.url === '/__bench/stats' || req.url === '/__bench/stats?settle=1') answerStats(req, res, running, counters);
  else if (req.url === '/__bench/profile/start' && req.method === 'POST') profiler.start(res);
  else if (req.url === '/__bench/profile/stop' && req.method === 'POST' && profiler.recording) profiler.stop(res);
  else if (req.url === '/__bench/sql' && req.method === 'POST') answerCheckSql(req, res, running);
  else res.writeHead(404).end();
}

/** Hands the request to the server under test, counting it in flight until its handler is done. */
function serveCounted(req: IncomingMessage, res: ServerResponse, running: Running, counters: Counters): void {
  counters.requests++;
  counters.inFlight++;
  // In flight until the handler is done, not until the socket closes: when
  // autocannon stops it drops its connections with requests still running,
  // and a write counted as done before it commits made W3 rounds look short
  // of contacts (and the next round's count long). Except a response whose
  // head was sent when its socket closed: the work is done, and the handler
  // may never finish (@whatwg-node/server waits for a 'drain' that a closed
  // socket never emits; the pending promise is garbage with the socket).
  let done = false;
  const finish = () => {
    if (!done) counters.inFlight--;
    done = true;
  };
  res.once('close', () => {
    if (res.headersSent) finish();
  });
  void Promise.resolve(running.handler(req, res)).finally(finish);
}

async function main() {
  const start = starters[kind];
  if (start === undefined) throw new Error(`BENCH_SERVER: unknown server ${kind}`);
  const running = await start();
  const counters: Counters = { requests: 0, inFlight: 0 };
  const profiler = cpuProfiler();
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/__bench/')) answerBenchHook(req, res, running, counters, profiler);
    else serveCounted(req, res, running, counters);
  });
  server.keepAliveTimeout = 60_000;
  if (process.env.BENCH_STALL_MS) {
    watchStalls(Number(process.env.BENCH_STALL_MS));
    watchWaits(server);
  }
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const address = server.address();
    console.log(JSON.stringify({ port: typeof address === 'object' && address ? address.port : null, pid: process.pid }));
  });
  const stop = () => server.close(() => void running.close().then(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** The time of day to the millisecond, for the diagnostic lines below. */
const stamp = () => new Date().toISOString().slice(11, 23);

/**
 * BENCH_STALL_MS: writes to stderr, with the time, every pause of the event
 * loop and every garbage collection at least that long, to tell what is
 * behind a p99 (the run's log has the time of each workload).
 */
function watchStalls(thresholdMs: number) {
  process.stderr.write(`[${kind} ${stamp()}] watching for stalls of ${thresholdMs} ms or more\n`);
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    if (now - last - 10 >= thresholdMs) process.stderr.write(`[${kind} ${stamp()}] event loop stalled ${Math.round(now - last - 10)} ms\n`);
    last = now;
  }, 10).unref();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.duration >= thresholdMs / 2) process.stderr.write(`[${kind} ${stamp()}] gc ${Math.round(entry.duration)} ms\n`);
    }
  }).observe({ entryTypes: ['gc'] });
}

/**
 * With BENCH_STALL_MS, also writes to stderr once a second where a request's
 * latency went: `served` is from the request's arrival in JS to its response
 * handed to the socket; `unread` is from the previous response on the same
 * connection to this request's arrival (the client sends its next request at
 * once, so this is the time its bytes waited for this process to read them).
 */
function watchWaits(server: ReturnType<typeof createServer>) {
  const served: number[] = [];
  const unread: number[] = [];
  const lastResponse = new WeakMap<object, number>();
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/__bench/')) return;
    const arrived = performance.now();
    const previous = lastResponse.get(req.socket);
    if (previous !== undefined) unread.push(arrived - previous);
    res.once('finish', () => {
      const now = performance.now();
      served.push(now - arrived);
      lastResponse.set(req.socket, now);
    });
  });
  const percentiles = (values: number[]) => {
    const sorted = values.sort((a, b) => a - b);
    const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
    return `p50 ${at(0.5)} p99 ${at(0.99)} max ${at(1)} ms`;
  };
  setInterval(() => {
    if (served.length > 0 && unread.length > 0) {
      process.stderr.write(`[${kind} ${stamp()}] ${served.length} requests: served ${percentiles(served)}; unread ${percentiles(unread)}\n`);
    }
    served.length = 0;
    unread.length = 0;
  }, 1000).unref();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
