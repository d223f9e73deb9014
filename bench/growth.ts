// `npm run bench:growth`: does a read cost the same in a workspace of 10,000
// contacts and in one of 1,000,000 (with ten more of 100,000 beside them)?
// Seeds a dedicated PostgreSQL database set-based (bench/growth-seed.ts; once,
// reused while its seed version and sizes hold), starts the gateway as
// bench/run.ts does (bench/server.ts, its own process), and sends each read of
// bench/growth-reads.ts to its GraphQL HTTP endpoint for the small and the
// large workspace in turn (ABBA order), one request at a time, so a latency is
// one read's own. Then it runs the SQL each read sent, captured with its
// parameters from an in-process gateway, under EXPLAIN (ANALYZE, BUFFERS).
// Writes bench/growth-results.json and bench/growth-results.md.
//
// Knobs (environment): DATABASE_URL (PostgreSQL, required: a database of its
// own, since the seed replaces its growth workspaces), BENCH_GROWTH_SMALL
// (10000), BENCH_GROWTH_LARGE (1000000), BENCH_GROWTH_OTHERS (10),
// BENCH_GROWTH_OTHER_SIZE (100000), BENCH_GROWTH_REPS (500 per read and
// workspace), BENCH_GROWTH_WARMUP (30), BENCH_GROWTH_READS (every read),
// BENCH_RESEED ("1": seed again), BENCH_PIN ("0" to not pin the server to core 0).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { parseStoreLocation } from '../src/config.js';
import { openStore } from '../src/db/store.js';
import { growthWorkspaces, isSeeded, seedGrowth, type GrowthWorkspace } from './growth-seed.js';
import { GROWTH_QUERY, GROWTH_READS, captureStatements, explain, type GrowthRead } from './growth-reads.js';
import { renderGrowth, type ExplainedStatement, type GrowthResult, type ReadResult } from './growth-report.js';
import { SERVER_NODE } from './node-flags.js';
import { startServer } from './server-process.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const env = process.env;
const config = {
  databaseUrl: env.DATABASE_URL?.trim() ?? '',
  small: Number(env.BENCH_GROWTH_SMALL ?? 10_000),
  large: Number(env.BENCH_GROWTH_LARGE ?? 1_000_000),
  others: Number(env.BENCH_GROWTH_OTHERS ?? 10),
  otherSize: Number(env.BENCH_GROWTH_OTHER_SIZE ?? 100_000),
  reps: Number(env.BENCH_GROWTH_REPS ?? 500),
  warmup: Number(env.BENCH_GROWTH_WARMUP ?? 30),
  reads: (env.BENCH_GROWTH_READS ?? GROWTH_READS.map((r) => r.id).join(',')).split(',').map((s) => s.trim()),
  reseed: env.BENCH_RESEED === '1',
  pin: env.BENCH_PIN !== '0' && spawnSync('taskset', ['-V']).status === 0 && os.cpus().length >= 2,
};
const log = (message: string) => console.log(`[growth ${new Date().toISOString().slice(11, 19)}] ${message}`);

/** Migrates, seeds when the database lacks this seed, and returns the PostgreSQL version. */
async function prepare(workspaces: GrowthWorkspace[]): Promise<string> {
  const store = await openStore(parseStoreLocation(config.databaseUrl));
  try {
    await store.migrate();
  } finally {
    await store.close();
  }
  const client = new pg.Client({ connectionString: config.databaseUrl });
  await client.connect();
  try {
    if (config.reseed || !(await isSeeded(client, workspaces))) {
      const total = workspaces.reduce((sum, w) => sum + w.contacts, 0);
      log(`seeding ${total} contacts in ${workspaces.length} workspaces…`);
      log(`seeded in ${(await seedGrowth(client, workspaces, log)).toFixed(0)} s`);
    } else {
      log('the database holds this seed already');
    }
    return (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  } finally {
    await client.end();
  }
}

/** One request to the gateway over HTTP: its latency in ms, after checking the answer. */
async function timeRead(port: number, read: GrowthRead, workspace: GrowthWorkspace, variables: Record<string, unknown>): Promise<number> {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${workspace.apiKey}` },
    body: JSON.stringify({ query: GROWTH_QUERY, variables }),
  });
  const body = (await response.json()) as { data?: { contacts: { edges: unknown[] } }; errors?: unknown[] };
  const elapsed = performance.now() - started;
  const edges = body.data?.contacts.edges.length ?? -1;
  if (body.errors || !read.expect(edges)) throw new Error(`${read.id} on ${workspace.name}: ${edges} contacts, ${JSON.stringify(body.errors ?? null)}`);
  return elapsed;
}

/** Every read, small and large alternating (ABBA), warm-up requests first and not kept. */
async function measure(port: number, reads: GrowthRead[], pair: GrowthWorkspace[], variables: Map<string, Record<string, unknown>>) {
  const samples = new Map<string, number[]>();
  for (const read of reads) {
    for (const w of pair) samples.set(`${read.id}/${w.name}`, []);
    for (let r = 0; r < config.warmup + config.reps; r++) {
      const order = r % 2 === 0 ? pair : [...pair].reverse();
      for (const w of order) {
        const ms = await timeRead(port, read, w, variables.get(`${read.id}/${w.name}`)!);
        if (r >= config.warmup) samples.get(`${read.id}/${w.name}`)!.push(ms);
      }
    }
    log(`${read.id}: ${config.reps} requests per workspace`);
  }
  return samples;
}

/** The plans of the SQL each read sends, per workspace of the pair. */
async function plans(reads: GrowthRead[], pair: GrowthWorkspace[], variables: Map<string, Record<string, unknown>>) {
  const store = await openStore(parseStoreLocation(config.databaseUrl), { poolSize: 2 });
  const client = new pg.Client({ connectionString: config.databaseUrl });
  await client.connect();
  const result = new Map<string, ExplainedStatement[]>();
  try {
    for (const read of reads) {
      for (const w of pair) {
        const statements = await captureStatements(store, w.apiKey, variables.get(`${read.id}/${w.name}`)!);
        const explained = [];
        for (const statement of statements) explained.push({ sql: statement.sql, plan: await explain(client, statement) });
        result.set(`${read.id}/${w.name}`, explained);
      }
    }
  } finally {
    await client.end();
    await store.close();
  }
  return result;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
};

async function main() {
  if (!config.databaseUrl.startsWith('postgres')) throw new Error('DATABASE_URL: the growth benchmark runs on PostgreSQL (a database of its own)');
  // As bench/run.ts: the server on core 0, this process (the client) on core 1.
  if (config.pin) spawnSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
  const started = new Date();
  const workspaces = growthWorkspaces(config.small, config.large, config.others, config.otherSize);
  const postgres = await prepare(workspaces);
  const pair = workspaces.slice(0, 2);
  const reads = GROWTH_READS.filter((r) => config.reads.includes(r.id));
  const variables = await readVariables(reads, pair);
  const server = await startServer('gateway', config.databaseUrl, config.pin);
  let samples: Map<string, number[]>;
  try {
    samples = await measure(server.port, reads, pair, variables);
  } finally {
    server.child.kill('SIGTERM');
  }
  const explained = await plans(reads, pair, variables);
  const result: GrowthResult = {
    date: started.toISOString(),
    machine: machine(postgres),
    config: { ...config, databaseUrl: 'postgresql://…' },
    reads: reads.map((read): ReadResult => {
      const [small, large] = pair.map((w) => samples.get(`${read.id}/${w.name}`)!);
      const figures = (s: number[]) => ({ medianMs: quantile(s, 0.5), p95Ms: quantile(s, 0.95) });
      return { id: read.id, title: read.title, small: figures(small!), large: figures(large!), plans: { small: explained.get(`${read.id}/small`)!, large: explained.get(`${read.id}/large`)! } };
    }),
  };
  fs.writeFileSync(path.join(here, 'growth-results.json'), JSON.stringify(result, null, 2) + '\n');
  fs.writeFileSync(path.join(here, 'growth-results.md'), renderGrowth(result));
  console.log(renderGrowth(result).split('\n## Plans')[0]);
  log('wrote bench/growth-results.md and bench/growth-results.json');
}

async function readVariables(reads: GrowthRead[], pair: GrowthWorkspace[]) {
  const store = await openStore(parseStoreLocation(config.databaseUrl), { poolSize: 1 });
  const variables = new Map<string, Record<string, unknown>>();
  try {
    for (const read of reads) for (const w of pair) variables.set(`${read.id}/${w.name}`, await read.variables(w, store.prisma));
  } finally {
    await store.close();
  }
  return variables;
}

function machine(postgres: string): GrowthResult['machine'] {
  const serverNode = spawnSync(SERVER_NODE, ['--version'], { encoding: 'utf8' }).stdout.trim();
  return { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: serverNode, postgres, platform: `${os.type()} ${os.release()}` };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
