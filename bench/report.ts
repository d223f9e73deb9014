// Medians over rounds, ratios to B1 and to PostGraphile, and the two result files. results.json
// keeps the latest run of each store; results.md is rendered from it.
import fs from 'node:fs';
import path from 'node:path';
import type { RoundResult } from './load.js';

export interface Summary {
  rounds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  sqlPerRequest: number;
  cpuMsPerRequest: number;
  peakRssMb: number;
  /** RSS after the last round against RSS after the first, in percent. */
  rssDriftPct: number;
  failed: number;
  withErrors: number;
  firstError: string | null;
  perRound: { rps: number; p50Ms: number; p99Ms: number; cpuMsPerRequest: number; sqlPerRequest: number; rssMb: number }[];
}

export interface ServerResult extends Summary {
  contacts: { created: number; expected: number | null }[];
}

export interface WorkloadResult {
  id: string;
  title: string;
  connections: number;
  gateway: ServerResult;
  baseline: ServerResult;
  /** Absent for the workloads PostGraphile does not run (writes) and in runs without it. */
  postgraphile?: ServerResult;
}

export interface RunResult {
  store: 'pglite' | 'postgres';
  date: string;
  /** node: the harness's; serverNode: the servers' (runs before it recorded only node, which the servers shared). */
  machine: { cpu: string; cores: number; node: string; serverNode?: string; platform: string };
  config: Record<string, unknown>;
  /** The PostGraphile in the run, or why it was left out. */
  postgraphile?: { version: string } | { leftOut: string };
  b0: (Summary & { connections: number })[];
  workloads: WorkloadResult[];
  skipped: { id: string; title: string; reason: string }[];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const mb = (bytes: number) => bytes / 1024 / 1024;

export function summarize(rounds: RoundResult[]): Summary {
  const first = rounds[0]!;
  const last = rounds.at(-1)!;
  return {
    rounds: rounds.length,
    rps: median(rounds.map((r) => r.rps)),
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    sqlPerRequest: median(rounds.map((r) => r.sqlPerRequest)),
    cpuMsPerRequest: median(rounds.map((r) => r.cpuMsPerRequest)),
    peakRssMb: mb(Math.max(...rounds.map((r) => r.maxRssBytes))),
    rssDriftPct: ((last.rssBytes - first.rssBytes) / first.rssBytes) * 100,
    failed: rounds.reduce((sum, r) => sum + r.failed, 0),
    withErrors: rounds.reduce((sum, r) => sum + r.withErrors, 0),
    firstError: rounds.find((r) => r.firstError !== null)?.firstError ?? null,
    perRound: rounds.map((r) => ({
      rps: r.rps,
      p50Ms: r.p50Ms,
      p99Ms: r.p99Ms,
      cpuMsPerRequest: r.cpuMsPerRequest,
      sqlPerRequest: r.sqlPerRequest,
      rssMb: mb(r.rssBytes),
    })),
  };
}

const f = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const x = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : 'n/a');

function createdCell(server: ServerResult): string {
  if (server.contacts.length === 0) return '';
  const created = server.contacts.reduce((s, c) => s + c.created, 0);
  const expected = server.contacts.reduce((s, c) => s + (c.expected ?? NaN), 0);
  return `${created}/${Number.isFinite(expected) ? expected : '?'}${created > expected ? ` (**${created - expected} extra**)` : ''}`;
}

export function renderStore(run: RunResult): string {
  return [...runHeader(run), ...ratioTable(run), ...b0Table(run), ...baselineTable(run), ...postgraphileTable(run), ...skippedAndErrors(run)].join('\n');
}

/** The store, the machine, the run's settings and the PostGraphile in it. */
function runHeader(run: RunResult): string[] {
  const lines: string[] = [];
  lines.push(`## Store: ${run.store}`, '');
  const node = run.machine.serverNode && run.machine.serverNode !== run.machine.node ? `servers on Node ${run.machine.serverNode}, harness on ${run.machine.node}` : `Node ${run.machine.node}`;
  lines.push(`${run.date} · ${run.machine.cpu}, ${run.machine.cores} cores · ${node} · ${run.machine.platform}`, '');
  const c = run.config as { durationS: number; warmupS: number; rounds: number; contacts: number; pin: boolean };
  const pgl = run.postgraphile;
  const withPgl = pgl !== undefined && 'version' in pgl;
  lines.push(
    `${c.contacts} contacts · ${c.rounds} rounds of ${c.durationS} s after a ${c.warmupS} s warm-up, ` +
      `${withPgl ? 'gateway, B1 and PostGraphile in rotating order (PostGraphile: reads only)' : 'gateway and B1 alternating'} · ` +
      `servers ${c.pin ? 'pinned to core 0, load generator to core 1' : 'not pinned'} · medians over rounds`,
    '',
  );
  if (pgl !== undefined) lines.push('version' in pgl ? `PostGraphile ${pgl.version} (bench/postgraphile).` : `PostGraphile left out: ${pgl.leftOut}.`, '');
  return lines;
}

/** The gateway over B1 and over PostGraphile, per workload: the table to read first. */
function ratioTable(run: RunResult): string[] {
  const lines = [
    'Ratios from this run, gateway over the other server: CPU/req above 1 = the gateway spends more per request; ' +
      'req/s below 1 = the gateway serves fewer; p99 above 1 = the gateway\'s tail is slower.',
    '',
    '| workload | conns | CPU/req gw/B1 | req/s gw/B1 | p99 gw/B1 | CPU/req gw/PostGraphile | req/s gw/PostGraphile | p99 gw/PostGraphile |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const w of run.workloads) {
    const g = w.gateway;
    const b = w.baseline;
    const p = w.postgraphile;
    lines.push(
      `| ${w.id} | ${w.connections} | ${x(g.cpuMsPerRequest / b.cpuMsPerRequest)} | ${x(g.rps / b.rps)} | ${x(g.p99Ms / b.p99Ms)} ` +
        (p ? `| ${x(g.cpuMsPerRequest / p.cpuMsPerRequest)} | ${x(g.rps / p.rps)} | ${x(g.p99Ms / p.p99Ms)} |` : '| – | – | – |'),
    );
  }
  lines.push('');
  return lines;
}

function b0Table(run: RunResult): string[] {
  const lines = ['| | conns | req/s | p50 ms | p99 ms | CPU ms/req |', '| --- | --- | --- | --- | --- | --- |'];
  for (const b0 of run.b0) {
    lines.push(`| B0 \`{ __typename }\` | ${b0.connections} | ${f(b0.rps, 0)} | ${f(b0.p50Ms)} | ${f(b0.p99Ms)} | ${f(b0.cpuMsPerRequest, 3)} |`);
  }
  lines.push('');
  return lines;
}

/** The gateway's and B1's own figures side by side, per workload. */
function baselineTable(run: RunResult): string[] {
  const lines = [
    '| workload | conns | gateway req/s | B1 req/s | throughput vs B1 | CPU ms/req gw / B1 | CPU efficiency vs B1 | p50 ms gw / B1 | p50 vs B1 | p99 ms gw / B1 | p99 vs B1 | SQL/req gw / B1 | peak RSS MB gw / B1 | RSS drift gw / B1 | created/expected gw · B1 | errors gw / B1 |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const w of run.workloads) {
    const g = w.gateway;
    const b = w.baseline;
    lines.push(
      `| ${w.id} | ${w.connections} | ${f(g.rps, 0)} | ${f(b.rps, 0)} | ${x(g.rps / b.rps)} | ${f(g.cpuMsPerRequest)} / ${f(b.cpuMsPerRequest)} | ${x(b.cpuMsPerRequest / g.cpuMsPerRequest)} ` +
        `| ${f(g.p50Ms)} / ${f(b.p50Ms)} | ${x(g.p50Ms / b.p50Ms)} | ${f(g.p99Ms)} / ${f(b.p99Ms)} | ${x(g.p99Ms / b.p99Ms)} ` +
        `| ${f(g.sqlPerRequest)} / ${f(b.sqlPerRequest)} | ${f(g.peakRssMb, 0)} / ${f(b.peakRssMb, 0)} | ${f(g.rssDriftPct, 1)}% / ${f(b.rssDriftPct, 1)}% ` +
        `| ${createdCell(g) || '–'} · ${createdCell(b) || '–'} | ${g.failed + g.withErrors} / ${b.failed + b.withErrors} |`,
    );
  }
  lines.push('');
  return lines;
}

/** PostGraphile's figures beside the gateway's, for the workloads it ran; nothing in a run without it. */
function postgraphileTable(run: RunResult): string[] {
  const pglRows = run.workloads.filter((w) => w.postgraphile);
  if (pglRows.length === 0) return [];
  const lines = [
    '| workload | conns | PostGraphile req/s | CPU ms/req gw / PostGraphile | CPU efficiency vs PostGraphile | p50 ms gw / PostGraphile | p99 ms gw / PostGraphile | SQL/req gw / PostGraphile | peak RSS MB gw / PostGraphile | RSS drift PostGraphile | errors PostGraphile |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const w of pglRows) {
    const g = w.gateway;
    const p = w.postgraphile!;
    lines.push(
      `| ${w.id} | ${w.connections} | ${f(p.rps, 0)} | ${f(g.cpuMsPerRequest)} / ${f(p.cpuMsPerRequest)} | ${x(p.cpuMsPerRequest / g.cpuMsPerRequest)} ` +
        `| ${f(g.p50Ms)} / ${f(p.p50Ms)} | ${f(g.p99Ms)} / ${f(p.p99Ms)} | ${f(g.sqlPerRequest)} / ${f(p.sqlPerRequest)} ` +
        `| ${f(g.peakRssMb, 0)} / ${f(p.peakRssMb, 0)} | ${f(p.rssDriftPct, 1)}% | ${p.failed + p.withErrors} |`,
    );
  }
  lines.push('');
  return lines;
}

/** The workloads skipped and why, and the first error each server gave per workload. */
function skippedAndErrors(run: RunResult): string[] {
  const lines: string[] = [];
  if (run.skipped.length > 0) {
    lines.push('Skipped (the operation is not in the gateway yet; not measured, not faked):', '');
    for (const s of run.skipped) lines.push(`- ${s.id} (${s.title}): ${s.reason}`);
    lines.push('');
  }
  const errors = run.workloads.flatMap((w) =>
    (['gateway', 'baseline', 'postgraphile'] as const)
      .filter((s) => (w[s]?.firstError ?? null) !== null)
      .map((s) => `- ${w.id} c=${w.connections} ${s}: \`${w[s]!.firstError!.replace(/`/g, "'")}\``),
  );
  if (errors.length > 0) lines.push('First error seen per workload and server:', '', ...errors, '');
  return lines;
}

const NOTES = `## How to read this

- **B1** is the same yoga server shape with hand-written resolvers (bench/baseline): one SQL statement per read
  (LATERAL + json_agg), single-statement \`INSERT … ON CONFLICT\` / CTE writes, plus one API-key lookup per request,
  as the gateway does. Its \`upsertContacts\` runs its single-upsert statements once per input (no bulk statement).
  **B0** is yoga answering \`{ __typename }\`: the HTTP + GraphQL ceiling of this machine.
- **PostGraphile** (bench/postgraphile, PostgreSQL only) is PostGraphile 5 with its \`amber\` preset over the same
  tables, served by grafserv on Node's http, with order and conditions allowed on unindexed columns. It runs the
  reads only (W1, W2), in its own naming, selecting the same columns and relations; before any round the harness
  checks that it answers the same contacts with the same lists as the gateway and B1. The API key is looked up
  before grafserv (cached 2 s, as the gateway caches it); the workspace travels in the query's \`condition\`
  (no row-level security, so no transaction per request).
- **CPU ms/req** is the server process's own user+system CPU (process.cpuUsage) over a round divided by the
  requests it served; **CPU efficiency vs B1** is B1's CPU per request over the gateway's (1.00× = as lean as B1).
  On PostgreSQL the database's CPU is not in it: the server is a separate, unpinned process that shares the
  machine (and, during development, other engineers' work), so it is not measured per request. On PGlite the
  database runs inside the server process, so its CPU *is* included, for both servers.
- **SQL/req** counts the statements each server sent (in the gateway, at its driver adapter: BEGIN and COMMIT
  included), API-key lookup included.
  Under concurrency Prisma batches \`findUnique\` calls of one tick into one statement (the API-key lookup),
  so the gateway can show slightly under 2.00 for a one-statement read.
- **Latency** is measured per response by autocannon in the load-generator process (full resolution, not
  autocannon's 1 ms histogram); p50/p99 are medians over rounds of each round's percentile.
- **created/expected** (writes): contacts in the workspace after minus before each round, against what the
  successful requests should have created; more than expected means duplicates.
- **RSS drift**: RSS after the last round against after the first, per workload, each read after a full garbage
  collection (a bench-only hook), so it measures memory kept rather than where the young generation was;
  peak RSS is the process's maxRSS.
- On PGlite each server has its own copy of the seeded folder (PGlite is one process per folder).
- Short rounds on a shared 2-core machine are noisy (B0 itself moves by 2× between runs): read ratios from
  rounds run back to back, not absolute numbers, and prefer the default 3 × 10 s rounds on an idle machine.
`;

export function writeResults(dir: string, run: RunResult): void {
  const jsonPath = path.join(dir, 'results.json');
  let all: Record<string, RunResult> = {};
  if (fs.existsSync(jsonPath)) {
    try {
      all = JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as Record<string, RunResult>;
    } catch {
      all = {};
    }
  }
  all[run.store] = run;
  fs.writeFileSync(jsonPath, JSON.stringify(all, null, 2) + '\n');
  const stores = Object.values(all).sort((a, b) => a.store.localeCompare(b.store));
  const md = ['# Benchmark results', '', 'Written by `npm run bench` (bench/run.ts); the latest run of each store.', '', ...stores.map(renderStore), NOTES];
  fs.writeFileSync(path.join(dir, 'results.md'), md.join('\n'));
}
