// `npm run bench`: seeds the store, starts the gateway, B1, PostGraphile (on
// PostgreSQL) and B0 each in its own process, and drives them with autocannon
// from this process, pinned to different cores when taskset exists. Rounds
// rotate through the servers (gateway, B1, PostGraphile; then B1,
// PostGraphile, gateway; …: with two servers, ABBA order), medians are
// reported. PostGraphile runs the reads that have a PostGraphile form (W1,
// W2). Writes bench/results.json and bench/results.md.
//
// Every server runs on the project's own Node (bench/node-flags.ts).
//
// Knobs (environment): DATABASE_URL (unset: PGlite folders under bench/.data),
// BENCH_DURATION (s per round, 10), BENCH_WARMUP (s, 3), BENCH_ROUNDS (3),
// BENCH_CONNECTIONS ("10,50"), BENCH_CONTACTS (10000), BENCH_WORKLOADS
// ("W1,W2,W3a,W3b,W3c,W4,W5"), BENCH_PIN ("0" to not pin), BENCH_RESEED ("1"),
// BENCH_POSTGRAPHILE ("0" to leave PostGraphile out).
// BENCH_SELF_TEST=1 puts a second B1 in the gateway's place (an A/A run that
// checks the harness itself: ratios near 1.00×); it prints and writes no results.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseStoreLocation } from '../src/config.js';
import { openStore } from '../src/db/store.js';
import { BENCH_API_KEY, SEED_VERSION, generateSeed, seedStore } from './seed.js';
import { WORKLOADS, seedKeys, type ServerName, type Workload } from './workloads.js';
import { contactsOf, firstDifference } from './postgraphile/same-data.js';
import { checkSql, round, stats, type RoundResult } from './load.js';
import { SERVER_NODE } from './node-flags.js';
import { startServer as startBenchServer, type Server } from './server-process.js';
import { renderStore, summarize, writeResults, type RunResult, type ServerResult, type WorkloadResult } from './report.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const env = process.env;
const config = {
  databaseUrl: env.DATABASE_URL?.trim() || '',
  durationS: Number(env.BENCH_DURATION ?? 10),
  warmupS: Number(env.BENCH_WARMUP ?? 3),
  rounds: Number(env.BENCH_ROUNDS ?? 3),
  connections: (env.BENCH_CONNECTIONS ?? '10,50').split(',').map(Number),
  contacts: Number(env.BENCH_CONTACTS ?? 10_000),
  workloads: (env.BENCH_WORKLOADS ?? WORKLOADS.map((w) => w.id).join(',')).split(',').map((s) => s.trim()),
  pin: env.BENCH_PIN !== '0' && spawnSync('taskset', ['-V']).status === 0 && os.cpus().length >= 2,
  reseed: env.BENCH_RESEED === '1',
  selfTest: env.BENCH_SELF_TEST === '1',
  postgraphile: env.BENCH_POSTGRAPHILE !== '0',
};
const serverNode = SERVER_NODE;
const serverNodeVersion = spawnSync(serverNode, ['--version'], { encoding: 'utf8' }).stdout.trim();
const onPostgres = config.databaseUrl.startsWith('postgres');
const storeName = onPostgres ? 'postgres' : 'pglite';
const log = (message: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

/** Seeds once; on PGlite every server gets its own copy of a seeded template folder (one folder, one process). */
async function prepareStore(): Promise<Record<ServerName, string>> {
  if (onPostgres) {
    const store = await openStore(parseStoreLocation(config.databaseUrl));
    try {
      await store.migrate();
      log(`seeding ${config.contacts} contacts into PostgreSQL…`);
      await seedStore(store.prisma, config.contacts);
    } finally {
      await store.close();
    }
    return { gateway: config.databaseUrl, baseline: config.databaseUrl, postgraphile: config.databaseUrl };
  }
  const dataDir = path.join(here, '.data');
  const template = path.join(dataDir, `seed-v${SEED_VERSION}-${config.contacts}`);
  if (config.reseed || !fs.existsSync(path.join(template, 'SEEDED'))) {
    fs.rmSync(template, { recursive: true, force: true });
    const store = await openStore({ kind: 'pglite', dataDir: template });
    try {
      await store.migrate();
      log(`seeding ${config.contacts} contacts into a PGlite template…`);
      await seedStore(store.prisma, config.contacts);
    } finally {
      await store.close();
    }
    fs.writeFileSync(path.join(template, 'SEEDED'), new Date().toISOString());
  } else {
    // A template seeded before: opening it applies any newer migration and
    // analyzes it (the PGlite store does both), so both copies start equal.
    const store = await openStore({ kind: 'pglite', dataDir: template });
    await store.migrate().finally(() => store.close());
  }
  // PostGraphile runs on PostgreSQL only: no folder for it.
  const copies = { postgraphile: '' } as Record<ServerName, string>;
  for (const server of ['gateway', 'baseline'] as const) {
    const copy = path.join(dataDir, `run-${server}`);
    fs.rmSync(copy, { recursive: true, force: true });
    fs.cpSync(template, copy, { recursive: true });
    copies[server] = `pglite:${copy}`;
  }
  return copies;
}

const startServer = (kind: ServerName | 'b0', databaseUrl: string) => startBenchServer(kind, databaseUrl, config.pin);

async function rootFields(port: number): Promise<{ query: Set<string>; mutation: Set<string> }> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_API_KEY}` },
    body: JSON.stringify({ query: '{ __schema { queryType { fields { name } } mutationType { fields { name } } } }' }),
  });
  const body = (await response.json()) as any;
  const names = (type: { fields: { name: string }[] } | null) => new Set((type?.fields ?? []).map((f) => f.name));
  return { query: names(body.data.__schema.queryType), mutation: names(body.data.__schema.mutationType) };
}

/**
 * The count once it stopped moving: a request whose client has gone (the end
 * of a round) can finish its HTTP exchange while its mutation still runs, so
 * the in-flight count alone does not say every write has landed (W5 on PGlite
 * showed contacts of a round counted in the next). At most a minute.
 */
async function settledCount(port: number, workspaceId: string): Promise<number> {
  let count = await countContacts(port, workspaceId);
  for (let i = 0; i < 60; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const again = await countContacts(port, workspaceId);
    if (again === count) return count;
    count = again;
  }
  log('contacts still being created a minute after the round: created/expected of the next round will be off');
  return count;
}

/** The installed PostGraphile's version (package.json). */
function postgraphileVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(here, '..', 'node_modules', 'postgraphile', 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/** Why PostGraphile is not in this run, or null when it is. */
function postgraphileLeftOut(): string | null {
  if (!config.postgraphile) return 'BENCH_POSTGRAPHILE=0';
  if (!onPostgres) return 'it runs on PostgreSQL only (DATABASE_URL=postgresql://…)';
  const major = Number(/^v(\d+)/.exec(serverNodeVersion)?.[1] ?? 0);
  if (major < 22) return `PostGraphile 5 needs Node 22 or newer; the servers run on ${serverNodeVersion || serverNode}`;
  return null;
}

async function post(port: number, query: string, variables: Record<string, unknown>): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${BENCH_API_KEY}` },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

/**
 * A read's first request to each server, answers compared: PostGraphile must
 * return the same contacts with the same lists as the gateway and B1, else
 * the run stops (a ratio between different data would mean nothing).
 */
async function checkSameData(workload: Workload, ports: Partial<Record<ServerName, number>>, context: Parameters<Workload['variables']>[0]): Promise<void> {
  const answers: [ServerName, ReturnType<typeof contactsOf>][] = [];
  for (const [server, port] of Object.entries(ports) as [ServerName, number][]) {
    const form = server === 'postgraphile' ? workload.postgraphile! : workload;
    answers.push([server, contactsOf(workload.id, server, await post(port, form.query, form.variables({ ...context, server })(0)))]);
  }
  const [first, ...others] = answers;
  if (first![1].length === 0) throw new Error(`${workload.id}: the check request found no contact on ${first![0]}`);
  for (const [server, contacts] of others) {
    const difference = firstDifference(first![1], contacts);
    if (difference !== null) throw new Error(`${workload.id}: ${server} answers other data than ${first![0]}: ${difference}`);
  }
  log(`${workload.id}: ${answers.map(([s]) => s).join(', ')} answer the same ${first![1].length} contact(s) with the same lists`);
}

const countContacts = async (port: number, workspaceId: string) =>
  (await checkSql<{ n: number }>(port, `SELECT count(*)::int AS n FROM "Contact" WHERE "workspaceId" = $1::uuid`, [workspaceId]))[0]!.n;

/** What every round of the run needs: the servers' ports, the seed, and what tells one run's rows from another's. */
interface Bench {
  port(server: ServerName | 'b0'): number;
  started: Date;
  seed: ReturnType<typeof seedKeys>;
  workspaceId: string;
  /** Whether PostGraphile runs in this run. */
  withPostGraphile: boolean;
}

type Created = { created: number; expected: number | null };

function newRunResult(started: Date, leftOut: string | null): RunResult {
  return {
    store: storeName,
    date: started.toISOString(),
    machine: {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      node: process.version,
      serverNode: serverNodeVersion,
      platform: `${os.type()} ${os.release()}`,
    },
    config: { ...config, databaseUrl: onPostgres ? 'postgresql://…' : 'pglite (folder per server)' },
    postgraphile: leftOut === null ? { version: postgraphileVersion() } : { leftOut },
    b0: [],
    workloads: [],
    skipped: [],
  };
}

/** Starts the servers into `servers` one by one, so that whichever have started are stopped if a later one fails. */
async function startServers(servers: Partial<Record<ServerName | 'b0', Server>>, urls: Record<ServerName, string>, withPostGraphile: boolean): Promise<void> {
  servers.gateway = await startServer(config.selfTest ? 'baseline' : 'gateway', urls.gateway);
  servers.baseline = await startServer('baseline', urls.baseline);
  if (withPostGraphile) servers.postgraphile = await startServer('postgraphile', urls.postgraphile);
  servers.b0 = await startServer('b0', '');
}

/** The workloads asked for whose root fields the gateway's schema has; the others are recorded as skipped. */
async function runnableWorkloads(bench: Bench, result: RunResult): Promise<Workload[]> {
  const have = await rootFields(bench.port('gateway'));
  const runnable = WORKLOADS.filter((w) => config.workloads.includes(w.id)).filter((w) => {
    const missing = [...(w.needs.query ?? []).filter((f) => !have.query.has(f)), ...(w.needs.mutation ?? []).filter((f) => !have.mutation.has(f))];
    if (missing.length > 0) result.skipped.push({ id: w.id, title: w.title, reason: `the gateway's schema has no ${missing.join(', ')} yet` });
    return missing.length === 0;
  });
  for (const skip of result.skipped) log(`skipped ${skip.id}: ${skip.reason}`);
  return runnable;
}

function serversOf(bench: Bench, workload: Workload): ServerName[] {
  return bench.withPostGraphile && workload.postgraphile ? ['gateway', 'baseline', 'postgraphile'] : ['gateway', 'baseline'];
}

/** B0 (an empty query) at `connections`: the ceiling of the HTTP stack alone. */
async function measureB0(bench: Bench, connections: number, result: RunResult): Promise<void> {
  const b0Rounds: RoundResult[] = [];
  await round({ port: bench.port('b0'), query: '{ __typename }', variables: () => ({}), connections, durationS: config.warmupS });
  for (let r = 0; r < config.rounds; r++) {
    b0Rounds.push(await round({ port: bench.port('b0'), query: '{ __typename }', variables: () => ({}), connections, durationS: config.durationS }));
  }
  result.b0.push({ connections, ...summarize(b0Rounds) });
  log(`B0 c=${connections}: ${Math.round(result.b0.at(-1)!.rps)} req/s`);
}

/** One round of a workload on one server; a writing workload's contacts created are pushed to `created`. */
async function serverRound(bench: Bench, workload: Workload, server: ServerName, c: number, tag: string, durationS: number, created: Created[]): Promise<RoundResult> {
  if (env.BENCH_STALL_MS) log(`${workload.id} c=${c}: ${server} round ${tag}`);
  const serverPort = bench.port(server);
  const requestsBefore = (await stats(serverPort)).requests;
  const before = workload.writes ? await countContacts(serverPort, bench.workspaceId) : 0;
  const form = server === 'postgraphile' ? workload.postgraphile! : workload;
  const variables = form.variables({ server, tag: `${bench.started.getTime().toString(36)}-${server}-${c}-${tag}`, seed: bench.seed });
  const outcome = await round({ port: serverPort, query: form.query, variables, connections: c, durationS, server });
  if (workload.writes) {
    const after = await settledCount(serverPort, bench.workspaceId);
    // Requests the server took between the two counts: a busy server
    // (PGlite runs in its process) may read requests autocannon sent
    // just before it stopped only after the round's own figures were
    // taken; they write all the same.
    const requests = (await stats(serverPort)).requests - requestsBefore;
    created.push({ created: after - before, expected: workload.expectedCreated?.(Math.max(0, requests - outcome.failed - outcome.withErrors)) ?? null });
  }
  return outcome;
}

/** A workload's warm-up and rounds on each of its servers, at `c` connections. */
async function measureWorkload(bench: Bench, workload: Workload, c: number): Promise<WorkloadResult> {
  const names = serversOf(bench, workload);
  const rounds = Object.fromEntries(names.map((s) => [s, [] as RoundResult[]])) as Partial<Record<ServerName, RoundResult[]>>;
  const created = Object.fromEntries(names.map((s) => [s, [] as Created[]])) as Partial<Record<ServerName, Created[]>>;
  for (const server of names) await serverRound(bench, workload, server, c, 'warm', config.warmupS, created[server]!);
  for (const server of names) created[server]!.length = 0;
  // Round r starts at the r-th server and goes round: every server takes
  // every place in the order equally often (two servers: ABBA).
  for (let r = 0; r < config.rounds; r++) {
    const order = names.map((_, i) => names[(r + i) % names.length]!);
    for (const server of order) rounds[server]!.push(await serverRound(bench, workload, server, c, `r${r}`, config.durationS, created[server]!));
  }
  return {
    id: workload.id,
    title: workload.title,
    connections: c,
    gateway: { ...summarize(rounds.gateway!), contacts: created.gateway! },
    baseline: { ...summarize(rounds.baseline!), contacts: created.baseline! },
    ...(rounds.postgraphile ? { postgraphile: { ...summarize(rounds.postgraphile), contacts: created.postgraphile! } } : {}),
  };
}

function logWorkload(entry: WorkloadResult): void {
  const figures = (label: string, s: ServerResult) => `${label} ${Math.round(s.rps)} req/s, ${s.cpuMsPerRequest.toFixed(2)} CPU ms/req, ${s.sqlPerRequest.toFixed(2)} SQL/req`;
  log(
    `${entry.id} c=${entry.connections}: ${figures('gateway', entry.gateway)}; ${figures('B1', entry.baseline)}` +
      (entry.postgraphile ? `; ${figures('PostGraphile', entry.postgraphile)}` : ''),
  );
}

/** B0, then every runnable workload, at each connection count. */
async function measure(bench: Bench, runnable: Workload[], result: RunResult): Promise<void> {
  for (const workload of runnable) {
    const names = serversOf(bench, workload);
    if (names.includes('postgraphile')) {
      const ports = Object.fromEntries(names.map((s) => [s, bench.port(s)]));
      await checkSameData(workload, ports, { server: 'gateway', tag: 'check', seed: bench.seed });
    }
  }
  for (const connections of config.connections) {
    await measureB0(bench, connections, result);
    for (const workload of runnable) {
      // A fixed-connection workload (the contention case) runs once, with the first list entry.
      if (workload.connections !== undefined && connections !== config.connections[0]) continue;
      const entry = await measureWorkload(bench, workload, workload.connections ?? connections);
      result.workloads.push(entry);
      logWorkload(entry);
    }
  }
}

async function main() {
  if (config.pin) spawnSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
  const started = new Date();
  const urls = await prepareStore();
  const leftOut = postgraphileLeftOut();
  if (leftOut !== null) log(`PostGraphile left out: ${leftOut}`);
  const servers: Partial<Record<ServerName | 'b0', Server>> = {};
  const result = newRunResult(started, leftOut);
  const bench: Bench = {
    port: (server) => servers[server]!.port,
    started,
    seed: seedKeys(config.contacts),
    workspaceId: generateSeed(1, 1).workspace.id!,
    withPostGraphile: leftOut === null,
  };
  try {
    await startServers(servers, urls, leftOut === null);
    await measure(bench, await runnableWorkloads(bench, result), result);
  } finally {
    for (const server of Object.values(servers)) server?.child.kill('SIGTERM');
  }
  if (config.selfTest) {
    log('self-test (B1 against B1): nothing written');
    console.log(renderStore(result));
    return;
  }
  writeResults(here, result);
  log(`wrote bench/results.md and bench/results.json (store: ${storeName})`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
