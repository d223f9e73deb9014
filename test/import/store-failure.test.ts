// `npm run import` without --url when the embedded store fails under it
// (docs/import.md, Interrupted, resumed): one plain line and exit code 1,
// promptly. Run as a child process, since a store left spinning would hold
// the process that runs it for ever.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runServer } from '../support/process.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-store-failure-'));

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A CSV of `rows` distinct contacts: more than the import gets through before the store fails. */
function contactsFile(rows: number): string {
  const lines = ['email,phone,firstName,company'];
  for (let n = 1; n <= rows; n++) lines.push(`p${n}@failure.test,+1 202 ${String(5_000_000 + n).padStart(7, '0')},First${n},Company ${n % 200}`);
  const file = path.join(dir, 'people.csv');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

describe('npm run import without --url: the embedded store fails', () => {
  it('stops with one plain line and exit code 1 when the store\'s folder is removed during the import', async () => {
    const storeDir = path.join(dir, 'store');
    const csv = contactsFile(20_000);
    const run = runServer({ DATABASE_URL: `pglite:${storeDir}` }, [process.execPath, '--import', 'tsx', 'src/import/run.ts', csv]);
    let exitCode: number | null | undefined;
    void run.exit.then((code) => (exitCode = code));
    try {
      expect(await waitFor(() => run.output().includes('Importing into'), 20_000), run.output()).toBe(true);
      // Once the store holds contacts: a failed write then has batches in flight
      // beside it, and the store's tables have been written to since it opened.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      fs.rmSync(storeDir, { recursive: true, force: true });
      // The next statement after the removal finds the folder gone (src/db/pglite-failure.ts).
      expect(await waitFor(() => exitCode !== undefined, 15_000), `still running after the removal:\n${run.output()}`).toBe(true);
    } finally {
      // SIGKILL: a process spinning inside the store runs no signal handler.
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
    expect(exitCode).toBe(1);
    const errors = run.stderr().trim().split('\n');
    expect(errors).toHaveLength(1);
    // The folder, or the first file of it the store found missing while the removal ran.
    expect(errors[0]).toMatch(
      /^Import stopped: the embedded store failed \((its folder \S+ is gone|could not \w+ file "[^"]+": No such file or directory)\)\. The rows written to it are lost with its files: import the file again, without --resume\.$/,
    );
    expect(run.output()).not.toMatch(/prisma|invocation/i);
  }, 45_000);
});
