// `npm run bench:import`: `npm run import` of one generated CSV of new
// contacts (first and last name, an email, a phone and a company name each,
// 2,000 companies), into a fresh store, then of the same file again (every row
// matches its contact and changes nothing). Each import runs as its own
// process, as a user runs it: without --url, so in-process on the store. It
// runs on PostgreSQL (a database created for the run next to the one
// DATABASE_URL names, dropped after) and on the embedded store (a folder of
// its own). Reported: rows/s as the import prints it, the import's CPU and
// peak RSS, and PostgreSQL's CPU when its server runs on this machine.
//
// Knobs: DATABASE_URL (postgresql://…; without it only the embedded store
// runs), BENCH_IMPORT_ROWS (100000), BENCH_IMPORT_EMBEDDED_ROWS (fewer rows for
// the embedded store; default: as many), BENCH_IMPORT_STORES (postgres,embedded).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { SERVER_NODE } from './node-flags.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');

/** One import run: what it printed and what it cost. */
interface Pass { rowsPerSecond: number; seconds: number; summary: string; cpuSeconds: number; peakRssMb: number; postgresCpuSeconds: number | null }
interface StoreResult { store: string; rows: number; new: Pass; again: Pass }

/** The file: row i has its own email and phone (distinct in their last nine digits) and one of 2,000 company names. */
export function writeContactsCsv(file: string, rows: number): void {
  const out = fs.openSync(file, 'w');
  let chunk = 'First Name,Last Name,Email,Phone,Company\n';
  for (let i = 0; i < rows; i++) {
    const phone = `+1 212 ${String(200 + (i % 800))} ${String(Math.floor(i / 800) % 10_000).padStart(4, '0')}`;
    chunk += `Person${i},Family${(i * 7919) % 10_007},person${i}@example${i % 97}.com,${phone},Company ${i % 2000}\n`;
    if (chunk.length > 1 << 20) {
      fs.writeSync(out, chunk);
      chunk = '';
    }
  }
  fs.writeSync(out, chunk);
  fs.closeSync(out);
}

/** CPU seconds of every process named postgres on this machine, their exited children included; null when there is none. */
function postgresCpuSeconds(): number | null {
  let ticks = 0;
  let found = false;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (name !== 'postgres') continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime, stime, cutime, cstime: fields 14-17 of the line, 11-14 after the name.
      ticks += [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
      found = true;
    } catch {
      // The process ended while it was read.
    }
  }
  return found ? ticks / 100 : null;
}

/** Runs `npm run import -- <file>` on the store as its own process; its output, CPU and peak RSS. */
function runImport(file: string, databaseUrl: string): Promise<Pass> {
  return new Promise((resolve, reject) => {
    const before = postgresCpuSeconds();
    const child = spawn(SERVER_NODE, ['--import', 'tsx', path.join(here, 'import-child.ts'), file], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (data: Buffer) => (out += data.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const usage = /^usage (\S+) (\S+)$/m.exec(out);
      const done = /rows in ([\d.]+) s, (\d+) rows\/s/.exec(out);
      const summary = /^Summary: (.*)\.$/m.exec(out);
      if (code !== 0 || !usage || !done || !summary) return reject(new Error(`the import failed (exit ${code}):\n${out}`));
      const after = postgresCpuSeconds();
      resolve({
        rowsPerSecond: Number(done[2]), seconds: Number(done[1]), summary: summary[1]!,
        cpuSeconds: Number(usage[1]), peakRssMb: Number(usage[2]),
        postgresCpuSeconds: before === null || after === null || databaseUrl.startsWith('pglite') ? null : after - before,
      });
    });
  });
}

/** A new database beside the one `url` names; its URL, and how to drop it. */
async function freshDatabase(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `bench_import_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    drop: async () => {
      const again = new pg.Client({ connectionString: url });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    },
  };
}

async function benchStore(store: string, file: string, rows: number): Promise<StoreResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-import-store-'));
  const database = store === 'postgres' ? await freshDatabase(process.env.DATABASE_URL!) : { url: `pglite:${dir}`, drop: async () => {} };
  try {
    const first = await runImport(file, database.url);
    console.log(`${store}: new contacts ${first.rowsPerSecond} rows/s (${first.summary})`);
    const again = await runImport(file, database.url);
    console.log(`${store}: the same file again ${again.rowsPerSecond} rows/s (${again.summary})`);
    return { store, rows, new: first, again };
  } finally {
    await database.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function render(results: StoreResult[]): string {
  const cpu = os.cpus()[0]?.model ?? 'cpu';
  const cell = (n: number | null, digits = 1) => (n === null ? 'n/a' : n.toFixed(digits));
  const lines = [
    `# npm run bench:import`,
    '',
    `${new Date().toISOString().slice(0, 16)} UTC · ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB · ${os.platform()} · import on Node ${execFileSync(SERVER_NODE, ['--version']).toString().trim()} · rows per store in the table`,
    '',
    '| store | rows | run | rows/s | s | summary | import CPU s | import peak RSS MB | PostgreSQL CPU s | CPU ms per row (import + PostgreSQL) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    for (const [run, pass] of [['new contacts', r.new], ['the same file again', r.again]] as const) {
      const perRow = ((pass.cpuSeconds + (pass.postgresCpuSeconds ?? 0)) * 1000) / r.rows;
      lines.push(`| ${r.store} | ${r.rows} | ${run} | ${pass.rowsPerSecond} | ${pass.seconds.toFixed(1)} | ${pass.summary} | ${cell(pass.cpuSeconds)} | ${cell(pass.peakRssMb, 0)} | ${cell(pass.postgresCpuSeconds)} | ${perRow.toFixed(3)} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const rows = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
  const wanted = (process.env.BENCH_IMPORT_STORES ?? 'postgres,embedded').split(',');
  const stores = wanted.filter((s) => s !== 'postgres' || (process.env.DATABASE_URL ?? '').startsWith('postgres'));
  if (stores.length === 0) throw new Error('nothing to run: BENCH_IMPORT_STORES names postgres, and DATABASE_URL is not a postgresql:// URL');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
  const embeddedRows = Math.min(rows, Number(process.env.BENCH_IMPORT_EMBEDDED_ROWS ?? rows));
  const results: StoreResult[] = [];
  try {
    for (const store of stores) {
      const count = store === 'embedded' ? embeddedRows : rows;
      const file = path.join(dir, `contacts-${count}.csv`);
      if (!fs.existsSync(file)) writeContactsCsv(file, count);
      results.push(await benchStore(store, file, count));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const report = render(results);
  fs.writeFileSync(path.join(here, 'import-results.md'), report);
  fs.writeFileSync(path.join(here, 'import-results.json'), `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`);
  console.log(`\n${report}`);
}

await main();
