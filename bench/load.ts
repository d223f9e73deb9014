// One load round with autocannon against one server, plus the server's own
// figures (requests, SQL statements, CPU, RSS) read before and after it.
import autocannon from 'autocannon';
import { BENCH_API_KEY } from './seed.js';

export interface ServerStats {
  requests: number;
  /** Requests received and not yet answered. */
  inFlight: number;
  statements: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  rssBytes: number;
  heapUsedBytes: number;
  maxRssBytes: number;
}

export interface RoundResult {
  durationS: number;
  ok: number;
  /** Non-2xx answers, socket errors and timeouts. */
  failed: number;
  /** 2xx answers whose body holds GraphQL errors or userErrors. */
  withErrors: number;
  firstError: string | null;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  serverRequests: number;
  sqlPerRequest: number;
  cpuMsPerRequest: number;
  rssBytes: number;
  maxRssBytes: number;
}

/** settle: the server collects garbage first (RSS then measures what it keeps; for drift). */
export async function stats(port: number, settle = false): Promise<ServerStats> {
  const response = await fetch(`http://127.0.0.1:${port}/__bench/stats${settle ? '?settle=1' : ''}`);
  return (await response.json()) as ServerStats;
}

/** Runs a read-only check query in the server process (its own store: PGlite folders are per process). */
export async function checkSql<T>(port: number, text: string, params: unknown[]): Promise<T[]> {
  const response = await fetch(`http://127.0.0.1:${port}/__bench/sql`, { method: 'POST', body: JSON.stringify({ text, params }) });
  if (!response.ok) throw new Error(`check query failed: ${await response.text()}`);
  return ((await response.json()) as { rows: T[] }).rows;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface RoundOptions {
  port: number;
  query: string;
  variables: (n: number) => Record<string, unknown>;
  connections: number;
  durationS: number;
  /** The server, for the warnings. */
  server?: string;
}

/** 2xx answers whose body holds GraphQL errors or userErrors, and the first error of any answer. */
interface AnswerErrors {
  withErrors: number;
  firstError: string | null;
}

function noteAnswer(errors: AnswerErrors, status: number, body: string): void {
  if (status >= 200 && status < 300 && (body.includes('"errors"') || /"userErrors":\[\{/.test(body))) {
    errors.withErrors++;
    errors.firstError ??= body.slice(0, 400);
  } else if (status >= 300) {
    errors.firstError ??= `HTTP ${status}: ${body.slice(0, 400)}`;
  }
}

/** autocannon's own histogram has 1 ms resolution; this keeps the per-response times it measures in full. */
function latencyRecorder() {
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  return {
    add(responseTime: number): void {
      if (count === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[count++] = responseTime;
    },
    sorted: (): Float64Array => latencies.slice(0, count).sort(),
  };
}

/** autocannon posting the round's query, numbered variables per request, each answer shown to `onAnswer`. */
function startLoad(options: RoundOptions, onAnswer: (status: number, body: string) => void) {
  let n = 0;
  return autocannon({
    url: `http://127.0.0.1:${options.port}/graphql`,
    connections: options.connections,
    duration: options.durationS,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      authorization: `Bearer ${BENCH_API_KEY}`,
    },
    requests: [
      {
        setupRequest: (request) => ({ ...request, body: JSON.stringify({ query: options.query, variables: options.variables(n++) }) }),
        onResponse: onAnswer,
      },
    ],
    // Without a callback autocannon returns an emitter that is also a promise of the result.
  }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
}

/**
 * The server's stats once the requests in flight when autocannon stopped are
 * answered, which the server does all the same: up to a minute (a W5 call on
 * PGlite queues behind up to 49 others), else they land in the next round's count.
 */
async function statsWhenAnswered(port: number, server: string): Promise<ServerStats> {
  let after = await stats(port);
  for (let i = 0; after.inFlight > 0 && i < 2400; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    after = await stats(port);
  }
  if (after.inFlight > 0) console.warn(`[bench] ${server}: ${after.inFlight} requests still in flight a minute after the round: created/expected of the next round will be off`);
  return after;
}

export async function round(options: RoundOptions): Promise<RoundResult> {
  const before = await stats(options.port);
  const errors: AnswerErrors = { withErrors: 0, firstError: null };
  const latencies = latencyRecorder();
  const instance = startLoad(options, (status, body) => noteAnswer(errors, status, body));
  instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    if (status >= 200 && status < 300) latencies.add(responseTime);
  });
  const result = await instance;
  const after = await statsWhenAnswered(options.port, options.server ?? `port ${options.port}`);
  const settled = await stats(options.port, true);
  const sorted = latencies.sorted();
  const serverRequests = after.requests - before.requests;
  const cpuMs = after.cpuUserMs + after.cpuSystemMs - (before.cpuUserMs + before.cpuSystemMs);
  const ok = result['2xx'];
  return {
    durationS: result.duration,
    ok,
    failed: result.non2xx + result.errors + result.timeouts,
    ...errors,
    rps: ok / result.duration,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    serverRequests,
    sqlPerRequest: (after.statements - before.statements) / Math.max(1, serverRequests),
    cpuMsPerRequest: cpuMs / Math.max(1, serverRequests),
    rssBytes: settled.rssBytes,
    maxRssBytes: settled.maxRssBytes,
  };
}
