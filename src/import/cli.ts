// `npm run import -- <file> [--format F] [--url URL --key KEY] [--resume]`
// (docs/import.md): the options, the lines it prints, and its exit code.
import { parseArgs } from 'node:util';
import { runImport, resultLines, MAX_BATCH, type ImportIo } from './import.js';
import { FORMATS, MalformedFile, type Format } from './source-file.js';
import { ColumnError } from './csv-columns.js';
import { embeddedTarget, remoteTarget, TargetError, type Target } from './target.js';
import { lineProgress, terminalProgress, type Progress } from './progress.js';
import { ResumeError } from './resume.js';
import { SendError, type SendOptions } from './send.js';
import { explainStartFailure } from '../start-errors.js';
import { ConfigError } from '../config.js';
import { StoreInUseError } from '../db/store.js';
import { StoreFailedError } from '../db/pglite-failure.js';

export const USAGE = `Usage: npm run import -- <file> [options]

  --format F          ${FORMATS.join(' | ')} (default: guessed from the file)
  --url URL           import through the gateway at URL (e.g. http://localhost:4000)
  --key KEY           the workspace's API key, with --url
  --workspace W       without --url: the workspace (name or id) of the store DATABASE_URL names
  --map col=field     CSV: fill a field from a column (customFields.<key>, or - to skip it); repeatable
  --resume            continue the interrupted import of this file
  --batch-size N      rows per upsertContacts call (1-${MAX_BATCH}, default ${MAX_BATCH})
  --concurrency N     calls in flight at once (1-8, default 4); rows naming one contact stay in file order

Without --url the rows go to the embedded store (or DATABASE_URL) in this process.
Exit code: 0 when every row was read (failed rows are in <file>.errors.csv),
1 when the import stopped, 2 for a usage error, 130 when interrupted.`;

export interface CliIo {
  print(line: string): void;
  printError(line: string): void;
  /** A terminal gets a progress bar; otherwise a line every few seconds. */
  terminal: NodeJS.WriteStream | null;
  /** Registers the Ctrl-C handler; returns its removal. */
  onInterrupt?(handler: () => void): () => void;
  send?: SendOptions;
  /** The environment of the store an import without --url opens (DATABASE_URL). */
  env?: NodeJS.ProcessEnv;
}

class UsageError extends Error {}

const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 8;

function parseOptions(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        url: { type: 'string' },
        key: { type: 'string' },
        workspace: { type: 'string' },
        map: { type: 'string', multiple: true },
        resume: { type: 'boolean', default: false },
        'batch-size': { type: 'string' },
        concurrency: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return null;
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'name the file to import.' : `one file at a time (got ${positionals.join(', ')}).`);
  const format = values.format?.toLowerCase();
  if (format !== undefined && !FORMATS.includes(format as Format)) throw new UsageError(`--format ${values.format}: formats are ${FORMATS.join(', ')}.`);
  if (values.url !== undefined && values.key === undefined) throw new UsageError('--url needs --key (the workspace\'s API key).');
  if (values.url === undefined && values.key !== undefined) throw new UsageError('--key goes with --url; without --url the import runs on the store in this process.');
  if (values.url !== undefined && values.workspace !== undefined) throw new UsageError('--workspace is for imports without --url; with --url the key names the workspace.');
  const map: Record<string, string> = {};
  for (const entry of values.map ?? []) {
    const at = entry.lastIndexOf('=');
    if (at <= 0) throw new UsageError(`--map ${entry}: write it as column=field.`);
    map[entry.slice(0, at).trim()] = entry.slice(at + 1).trim();
  }
  const batchSize = values['batch-size'] === undefined ? MAX_BATCH : Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) throw new UsageError(`--batch-size: a whole number from 1 to ${MAX_BATCH}.`);
  const concurrency = values.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) throw new UsageError(`--concurrency: a whole number from 1 to ${MAX_CONCURRENCY}.`);
  return { concurrency, file: positionals[0]!, format: format as Format | undefined, url: values.url, key: values.key, workspace: values.workspace, map, resume: values.resume, batchSize };
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  let options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    io.printError(`Usage error: ${(error as Error).message}`);
    io.printError('See: npm run import -- --help');
    return 2;
  }
  if (options === null) {
    io.print(USAGE);
    return 0;
  }
  let stopping = false;
  const removeInterrupt = io.onInterrupt?.(() => {
    if (stopping) process.exit(130);
    stopping = true;
    io.printError('Stopping after the batch in flight (Ctrl-C again to quit at once; --resume continues).');
  });
  const progress: Progress = io.terminal ? terminalProgress(io.terminal) : lineProgress(io.print);
  const importIo: ImportIo = {
    print: io.print,
    progress,
    stopping: () => stopping,
    connect: (): Promise<Target> =>
      options.url !== undefined ? Promise.resolve(remoteTarget(options.url, options.key!, io.send)) : embeddedTarget(options.workspace, io.print, io.env, io.send),
  };
  try {
    const result = await runImport(options, importIo);
    for (const line of resultLines(result)) io.print(line);
    return result.complete ? 0 : 130;
  } catch (error) {
    io.printError(`Import stopped: ${explain(error)}`);
    return 1;
  } finally {
    removeInterrupt?.();
  }
}

function explain(error: unknown): string {
  if (error instanceof MalformedFile) return `${error.message} Nothing was written.`;
  if (error instanceof ColumnError) return `${error.message} Nothing was written.`;
  if (error instanceof ResumeError || error instanceof TargetError || error instanceof SendError) return error.message;
  if (error instanceof StoreInUseError) {
    return `${error.message}, a running gateway perhaps: import through it (--url http://localhost:4000 --key <key>), or stop it first.`;
  }
  if (error instanceof StoreFailedError) {
    // The state file counts the rows the store acknowledged: true of a store that still has its files.
    return error.filesLost
      ? `${error.message}. The rows written to it are lost with its files: import the file again, without --resume.`
      : `${error.message}. Rows acknowledged so far are kept; --resume continues.`;
  }
  if (error instanceof ConfigError) return `configuration error: ${error.message}`;
  if ((error as NodeJS.ErrnoException | null)?.code === 'EACCES') return `cannot write beside the file (${(error as Error).message}).`;
  return explainStartFailure(error, null).replace(/^Start failed: /, '');
}
