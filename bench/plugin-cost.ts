// `npm run bench:plugins`: what each of the gateway's plugins costs a request.
// For each plugin the bench's gateway runs (bench/server.ts: production
// settings, no metrics, request log, tracing or GraphiQL), two gateway
// processes start, one with every plugin and one without that plugin
// (BENCH_LEAVE_OUT), both new, so neither has warmed up longer than the
// other; rounds alternate between the two in ABBA order, and the report gives the
// median CPU per request of each and the difference. A last pair leaves out
// every plugin measured, for their total. The store must already be seeded
// (`npm run bench` once).
//
// Knobs: DATABASE_URL (as for the bench), BENCH_WORKLOADS ("W0,W2"),
// BENCH_DURATION (s per round, 5), BENCH_WARMUP (s, 5), BENCH_ROUNDS (pairs
// of rounds per plugin, 2), BENCH_CONNECTIONS (first entry, 10), BENCH_PIN
// ("0" to not pin), BENCH_PLUGINS (which plugins, comma-separated; all the
// bench's gateway runs), BENCH_SELF_TEST=1 (leaves nothing out: an A/A check
// of the method, whose differences are its noise). Writes
// bench/plugin-cost-results.md and .json.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GATEWAY_PLUGIN_NAMES, type GatewayPluginName } from '../src/http/gateway.js';
import { round, type RoundResult } from './load.js';
import { startServer, type Server } from './server-process.js';
import { WORKLOADS, seedKeys, type Workload } from './workloads.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const env = process.env;
const config = {
  databaseUrl: env.DATABASE_URL ?? '',
  workloads: (env.BENCH_WORKLOADS ?? 'W0,W2').split(',').map((s) => s.trim()),
  durationS: Number(env.BENCH_DURATION ?? 5),
  warmupS: Number(env.BENCH_WARMUP ?? 5),
  rounds: Number(env.BENCH_ROUNDS ?? 2),
  connections: Number((env.BENCH_CONNECTIONS ?? '10').split(',')[0]),
  pin: env.BENCH_PIN !== '0' && spawnSync('taskset', ['-V']).status === 0 && os.cpus().length >= 2,
};

/** Plugins the bench's gateway does not run (their options are off there): leaving them out changes nothing. */
const NOT_IN_BENCH: ReadonlySet<GatewayPluginName> = new Set(['request-log', 'graphiql', 'tracing', 'metrics']);
const MEASURED = GATEWAY_PLUGIN_NAMES.filter((name) => !NOT_IN_BENCH.has(name) && (env.BENCH_PLUGINS === undefined || env.BENCH_PLUGINS.split(',').includes(name)));

interface Cost {
  leftOut: string;
  workload: string;
  withAllMs: number;
  withoutMs: number;
  withAllRps: number;
  withoutRps: number;
}

const SEED = seedKeys(Number(env.BENCH_CONTACTS ?? 10_000));

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const log = (line: string) => console.log(`[plugins ${new Date().toISOString().slice(11, 19)}] ${line}`);

/** One round of `workload` on `server`; a round with failed or erroring answers stops the run. */
async function load(server: Server, workload: Workload, tag: string, durationS: number): Promise<RoundResult> {
  const variables = workload.variables({ server: 'gateway', tag, seed: SEED });
  const result = await round({ port: server.port, query: workload.query, variables, connections: config.connections, durationS });
  if (result.failed > 0 || result.withErrors > 0) throw new Error(`${workload.id} ${tag}: ${result.failed} failed, ${result.withErrors} with errors: ${result.firstError}`);
  return result;
}

/** ABBA rounds of every workload on a new gateway with every plugin and a new one without `leftOut`. */
async function measure(leftOut: GatewayPluginName[], label: string): Promise<Cost[]> {
  const all = await startServer('gateway', config.databaseUrl, config.pin);
  const without = await startServer('gateway', config.databaseUrl, config.pin, { BENCH_LEAVE_OUT: leftOut.join(',') });
  try {
    const costs: Cost[] = [];
    for (const id of config.workloads) {
      const workload = WORKLOADS.find((w) => w.id === id);
      if (!workload || workload.writes) throw new Error(`${id}: not a read workload (one of W0, W1, W2)`);
      const tag = `${label}-${id}`;
      await load(all, workload, `${tag}-warm`, config.warmupS);
      await load(without, workload, `${tag}-warm`, config.warmupS);
      const runs = { all: [] as RoundResult[], without: [] as RoundResult[] };
      for (let r = 0; r < config.rounds; r++) {
        const order = r % 2 === 0 ? (['all', 'without'] as const) : (['without', 'all'] as const);
        for (const side of order) runs[side].push(await load(side === 'all' ? all : without, workload, `${tag}-${r}`, config.durationS));
      }
      const cost: Cost = {
        leftOut: label,
        workload: id,
        withAllMs: median(runs.all.map((x) => x.cpuMsPerRequest)),
        withoutMs: median(runs.without.map((x) => x.cpuMsPerRequest)),
        withAllRps: median(runs.all.map((x) => x.rps)),
        withoutRps: median(runs.without.map((x) => x.rps)),
      };
      log(`${id} without ${label}: ${cost.withoutMs.toFixed(3)} CPU ms/req against ${cost.withAllMs.toFixed(3)} with every plugin`);
      costs.push(cost);
    }
    return costs;
  } finally {
    all.child.kill('SIGTERM');
    without.child.kill('SIGTERM');
  }
}

function report(costs: Cost[], startedAt: Date): string {
  const lines = [
    '# What each plugin costs a request',
    '',
    `Run of ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench:plugins\` (bench/plugin-cost.ts): ` +
      `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}, ` +
      `store ${config.databaseUrl.startsWith('postgres') ? 'PostgreSQL' : 'PGlite'}, ${config.connections} connections, ` +
      `${config.rounds * 2} rounds of ${config.durationS} s per plugin and workload (ABBA), medians.`,
    '',
    'The gateway with every plugin against the same gateway without one, in rounds run back to back. ' +
      'Saved is the CPU per request the plugin costs (negative: within the noise).',
    '',
    '| plugin left out | workload | CPU ms/req, all | CPU ms/req, without | saved ms/req | saved | req/s, all | req/s, without |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const c of costs) {
    const saved = c.withAllMs - c.withoutMs;
    lines.push(
      `| ${c.leftOut} | ${c.workload} | ${c.withAllMs.toFixed(3)} | ${c.withoutMs.toFixed(3)} | ${saved.toFixed(3)} | ${((100 * saved) / c.withAllMs).toFixed(1)}% | ${Math.round(c.withAllRps)} | ${Math.round(c.withoutRps)} |`,
    );
  }
  return lines.join('\n') + '\n';
}

async function main() {
  if (config.pin) spawnSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
  const startedAt = new Date();
  const costs: Cost[] = [];
  if (env.BENCH_SELF_TEST === '1') {
    for (let i = 1; i <= 3; i++) costs.push(...(await measure([], `nothing (A/A ${i})`)));
  } else {
    for (const name of MEASURED) costs.push(...(await measure([name], name)));
    costs.push(...(await measure([...MEASURED], 'all of them')));
  }
  fs.writeFileSync(path.join(here, 'plugin-cost-results.json'), JSON.stringify({ startedAt, config: { ...config, databaseUrl: undefined }, costs }, null, 2) + '\n');
  fs.writeFileSync(path.join(here, 'plugin-cost-results.md'), report(costs, startedAt));
  log('wrote bench/plugin-cost-results.md and bench/plugin-cost-results.json');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
