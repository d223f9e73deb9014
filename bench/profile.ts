// `npm run bench:profile -- W2`: runs one workload against the gateway alone,
// records a CPU profile of the server during the load (after a warm-up, so
// start-up is left out), then prints where its CPU went: self time by package
// (graphql-js, yoga/whatwg-node, Pothos, Prisma, pg, Node http, GC, …) and the
// hottest functions. The store must already be seeded (run `npm run bench` once).
//
// Knobs: DATABASE_URL (as for the bench), BENCH_DURATION (s, 10),
// BENCH_CONNECTIONS (first entry, 10), BENCH_PROFILE_DIR (bench/.profiles),
// BENCH_PROFILE_SERVER (gateway; baseline or postgraphile to profile B1 or
// PostGraphile the same way; PostGraphile needs DATABASE_URL=postgresql://…).
// `npm run bench:profile -- --summarize file.cpuprofile` only summarizes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { WORKLOADS, seedKeys, type ServerName } from './workloads.js';
import { round } from './load.js';
import { SERVER_NODE, SERVER_NODE_FLAGS } from './node-flags.js';

const here = path.dirname(fileURLToPath(import.meta.url));

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The package a script belongs to: the first node_modules folder after the last one, or a Node/engine bucket. */
export function packageOf(url: string, functionName: string): string {
  if (url === '') {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'program (V8/native)';
    return 'native';
  }
  if (url.startsWith('node:')) {
    if (/node:(_?http|internal\/http|internal\/streams|net|internal\/stream_base|stream)/.test(url)) return 'Node http/net/streams';
    return 'Node other';
  }
  const at = url.lastIndexOf('/node_modules/');
  if (at >= 0) {
    const rest = url.slice(at + '/node_modules/'.length).split('/');
    const name = rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
    if (name === '@prisma/client' && url.includes('query_compiler')) return '@prisma/client (query compiler wasm glue)';
    return name;
  }
  if (url.includes('/src/generated/')) return 'ours: generated prisma client';
  if (url.includes('/src/')) return 'ours: src';
  if (url.includes('/bench/')) return 'ours: bench';
  if (url.startsWith('wasm://')) return 'wasm';
  return url;
}

export function summarize(profile: Profile, top = 25): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const pkg = packageOf(node.callFrame.url, node.callFrame.functionName);
    if (pkg === 'idle') continue;
    busy += us;
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const file = node.callFrame.url.split('/node_modules/').at(-1)!.split('/').slice(-2).join('/');
    const fn = `${node.callFrame.functionName || '(anonymous)'} ${file}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
  const lines = [`busy CPU ${(busy / 1000).toFixed(0)} ms (idle excluded)`, '', 'self time by package:'];
  for (const [pkg, us] of [...byPackage].sort((a, b) => b[1] - a[1])) lines.push(`  ${pct(us)}  ${pkg}`);
  lines.push('', `top ${top} functions by self time:`);
  for (const [fn, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(us)}  ${fn}`);
  return lines.join('\n');
}

async function profileWorkload(id: string) {
  const workload = WORKLOADS.find((w) => w.id === id);
  if (!workload) throw new Error(`no workload ${id}; one of ${WORKLOADS.map((w) => w.id).join(', ')}`);
  const dir = path.resolve(process.env.BENCH_PROFILE_DIR ?? path.join(here, '.profiles'));
  fs.mkdirSync(dir, { recursive: true });
  const wanted = process.env.BENCH_PROFILE_SERVER;
  const server: ServerName = wanted === 'baseline' || wanted === 'postgraphile' ? wanted : 'gateway';
  const form = server === 'postgraphile' ? workload.postgraphile : workload;
  if (!form) throw new Error(`${id} has no PostGraphile form (PostGraphile runs the reads W1 and W2)`);
  const child = spawn(SERVER_NODE, [...SERVER_NODE_FLAGS, '--import', 'tsx', path.join(here, 'server.ts')], {
    env: { ...process.env, BENCH_SERVER: server, NODE_ENV: 'production', PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        try {
          const parsed = JSON.parse(line) as { port?: number };
          if (parsed.port) resolve(parsed.port);
        } catch {
          /* not the port line */
        }
      });
    });
    const connections = workload.connections ?? Number((process.env.BENCH_CONNECTIONS ?? '10').split(',')[0]);
    const seed = seedKeys(Number(process.env.BENCH_CONTACTS ?? 10_000));
    const tag = `prof-${Date.now().toString(36)}`;
    const load = (label: string, durationS: number) =>
      round({ port, query: form.query, variables: form.variables({ server, tag: `${tag}-${label}`, seed }), connections, durationS });
    const warm = await load('warm', Number(process.env.BENCH_WARMUP ?? 3));
    // A profile of refused requests measures the refusal: an unseeded store answers every request 401.
    if (warm.failed > 0 && warm.rps === 0) throw new Error(`every warm-up request failed (${warm.firstError}); seed the store first: npm run bench`);
    const post = async (what: string) => (await fetch(`http://127.0.0.1:${port}/__bench/profile/${what}`, { method: 'POST' })).json();
    await post('start');
    const result = await load('run', Number(process.env.BENCH_DURATION ?? 10));
    const profile = (await post('stop')) as Profile;
    console.log(
      `${id} c=${connections}: ${Math.round(result.rps)} req/s, ${result.cpuMsPerRequest.toFixed(2)} CPU ms/req (profiler on), ` +
        `${result.sqlPerRequest.toFixed(2)} SQL/req, ${result.failed} failed, ${result.withErrors} with errors${result.firstError ? `: ${result.firstError}` : ''}`,
    );
    const file = path.join(dir, `${id}-${server}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
    fs.writeFileSync(file, JSON.stringify(profile));
    console.log(`\n${file}\n${summarize(profile)}`);
  } finally {
    child.kill('SIGTERM');
  }
}

const args = process.argv.slice(2);
if (args[0] === '--summarize') {
  for (const file of args.slice(1)) console.log(summarize(JSON.parse(fs.readFileSync(file, 'utf8')) as Profile));
} else {
  profileWorkload(args[0] ?? 'W2').catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
