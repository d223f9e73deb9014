// Starts the gateway as `npm start` does (node --import tsx src/server.ts), on a
// free port, and reads what it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface GatewayProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

export function runServer(
  env: Record<string, string>,
  command: string[] = [process.execPath, '--import', 'tsx', 'src/server.ts'],
): { child: ChildProcess; output: () => string; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(command[0]!, command.slice(1), {
    cwd: ROOT,
    // JSON logs: the runner's own environment would turn them off, and tests read them.
    env: { ...process.env, PORT: '0', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => {
    output += chunk;
    stderr += chunk;
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, stderr: () => stderr, exit };
}

export async function startServer(env: Record<string, string>, timeoutMs = 90_000, command?: string[]): Promise<GatewayProcess> {
  const run = runServer(env, command);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /Contacts gateway on (http:\/\/localhost:\d+)\/graphql/.exec(run.output());
    if (match) return { ...run, url: match[1]! };
    if (run.child.exitCode !== null) throw new Error(`gateway exited: ${run.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  run.child.kill('SIGKILL');
  throw new Error(`gateway did not start: ${run.output()}`);
}

/** A GraphQL POST to a started gateway, with a bearer token; the body as text and whether it was an idempotent replay. */
export async function postGraphQL(url: string, authorization: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${authorization}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, text: await response.text(), replayed: response.headers.get('idempotent-replayed') };
}
