// `npm run bench:soak -- W5`: one workload against the gateway alone for
// BENCH_SOAK_MINUTES (10) in rounds of one minute, and the gateway's resident
// memory after each round, read after a full garbage collection (what the
// process keeps, not what it has not collected yet). Growth is measured from
// the end of the first round, so start-up and the first fill of caches and
// pools are left out. The store must already be seeded (`npm run bench`).
//
// Knobs: DATABASE_URL (as for the bench), BENCH_SOAK_MINUTES, BENCH_CONNECTIONS
// (first entry, 10), BENCH_PIN (0: do not pin the gateway to core 0).
import os from 'node:os';
import { WORKLOADS, seedKeys } from './workloads.js';
import { round, stats, type RoundResult } from './load.js';
import { startServer } from './server-process.js';

interface Minute { minute: number; rssMb: number; heapMb: number; result: RoundResult }

const mb = (bytes: number) => bytes / 1024 / 1024;

function report(id: string, connections: number, minutes: Minute[]): string {
  const first = minutes[0]!;
  const last = minutes.at(-1)!;
  const growth = (a: number, b: number) => `${(((b - a) / a) * 100).toFixed(1)}%`;
  const lines = [
    `${id} soak · ${connections} connections · ${minutes.length} rounds of 60 s · ${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores · Node ${process.version}`,
    '',
    '| minute | req/s | p99 ms | failed | RSS MB (after GC) | heap used MB |',
    '| --- | --- | --- | --- | --- | --- |',
    ...minutes.map((m) => `| ${m.minute} | ${m.result.rps.toFixed(0)} | ${m.result.p99Ms.toFixed(0)} | ${m.result.failed + m.result.withErrors} | ${m.rssMb.toFixed(0)} | ${m.heapMb.toFixed(0)} |`),
    '',
    `RSS growth from the end of minute 1 to the end: ${growth(first.rssMb, last.rssMb)}; heap used: ${growth(first.heapMb, last.heapMb)}.`,
  ];
  return lines.join('\n');
}

async function soak(id: string): Promise<void> {
  const workload = WORKLOADS.find((w) => w.id === id);
  if (!workload) throw new Error(`no workload ${id}; one of ${WORKLOADS.map((w) => w.id).join(', ')}`);
  const databaseUrl = process.env.DATABASE_URL ?? '';
  const server = await startServer('gateway', databaseUrl, process.env.BENCH_PIN !== '0' && os.cpus().length >= 2);
  try {
    const connections = workload.connections ?? Number((process.env.BENCH_CONNECTIONS ?? '10').split(',')[0]);
    const seed = seedKeys(Number(process.env.BENCH_CONTACTS ?? 10_000));
    const tag = `soak-${Date.now().toString(36)}`;
    const minutes: Minute[] = [];
    for (let minute = 1; minute <= Number(process.env.BENCH_SOAK_MINUTES ?? 10); minute++) {
      const variables = workload.variables({ server: 'gateway', tag: `${tag}-${minute}`, seed });
      const result = await round({ port: server.port, query: workload.query, variables, connections, durationS: 60 });
      if (result.ok === 0) throw new Error(`every request of minute ${minute} failed (${result.firstError}); seed the store first: npm run bench`);
      const settled = await stats(server.port, true);
      minutes.push({ minute, rssMb: mb(settled.rssBytes), heapMb: mb(settled.heapUsedBytes), result });
      console.log(`[soak] minute ${minute}: ${result.rps.toFixed(0)} req/s, RSS ${mb(settled.rssBytes).toFixed(0)} MB, heap ${mb(settled.heapUsedBytes).toFixed(0)} MB`);
    }
    console.log(`\n${report(id, connections, minutes)}`);
  } finally {
    server.child.kill('SIGTERM');
  }
}

await soak(process.argv[2] ?? 'W5');
