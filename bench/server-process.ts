// Starts one bench/server.ts process (a server of the benchmark) on the
// project's own Node with npm start's flags (node-flags.ts), optionally pinned
// to core 0, and waits for the port it prints. Shared by bench/run.ts and
// bench/growth.ts, so every benchmark runs its servers alike.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SERVER_NODE, SERVER_NODE_FLAGS } from './node-flags.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface Server {
  port: number;
  child: ChildProcess;
}

/** `env`: more variables for the server (BENCH_LEAVE_OUT, bench/plugin-cost.ts). */
export async function startServer(kind: string, databaseUrl: string, pin: boolean, env: Record<string, string> = {}): Promise<Server> {
  const node = [SERVER_NODE, ...SERVER_NODE_FLAGS, '--import', 'tsx', path.join(here, 'server.ts')];
  const [command, ...args] = pin ? ['taskset', '-c', '0', ...node] : node;
  const child = spawn(command!, args, {
    env: { ...process.env, ...env, BENCH_SERVER: kind, DATABASE_URL: databaseUrl, NODE_ENV: 'production', PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
    lines.on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { port?: number };
        if (parsed.port) resolve(parsed.port);
      } catch {
        process.stdout.write(`[${kind}] ${line}\n`);
      }
    });
  });
  return { port, child };
}
