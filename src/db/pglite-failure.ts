// The embedded store runs PostgreSQL inside this process. When it cannot use
// its own files (its folder removed, the disk full: isStoreFailure in
// errors.ts), the statement fails, but PostgreSQL is left mid-way: its next
// commit or rollback can spin in the WAL flush for ever, on this thread, where
// no timer or signal handler runs again. So after the first such error no
// statement reaches it: each fails at once with the StoreFailedError, and the
// store is not closed (closing runs a shutdown checkpoint, which spins too).
import fs from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { firstLine, isMissingStoreFile, isStoreFailure } from './errors.js';

/** The embedded store failed and takes no more statements. */
export class StoreFailedError extends Error {
  /** Files of the store are gone (its folder, or one it needed): what was written to it is not kept. */
  readonly filesLost: boolean;

  constructor(
    readonly dataDir: string | null,
    cause: unknown,
  ) {
    const folderGone = dataDir !== null && !fs.existsSync(dataDir);
    super(`the embedded store failed (${folderGone ? `its folder ${dataDir} is gone` : plainCause(cause)})`, { cause });
    this.name = 'StoreFailedError';
    this.filesLost = folderGone || isMissingStoreFile(cause);
  }
}

/** PostgreSQL's own line for the failure, or what the file system layer's errno says. */
function plainCause(cause: unknown): string {
  if (cause instanceof Error) return firstLine(cause.message);
  return isMissingStoreFile(cause) ? 'a file of the store is missing' : `a file of the store could not be used, errno ${String((cause as { errno?: unknown } | null)?.errno)}`;
}

/** Stops `db` taking statements after its first store failure; returns that failure, null while there is none. */
export function refuseStatementsAfterFailure(db: PGlite, dataDir: string | null): () => StoreFailedError | null {
  let failure: StoreFailedError | null = null;
  const folderGone = folderWatch(dataDir);
  // Every statement, the transactions' own BEGIN, COMMIT and ROLLBACK too, runs through these.
  const runSync = db.execProtocolRawSync.bind(db);
  db.execProtocolRawSync = (message) => {
    if (failure === null && folderGone()) failure = new StoreFailedError(dataDir, new Error(`its folder ${dataDir} is gone`));
    if (failure !== null) throw failure;
    return runSync(message);
  };
  const noticing = <A extends unknown[], R>(run: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    try {
      return await run(...args);
    } catch (error) {
      if (failure === null && isStoreFailure(error)) failure = new StoreFailedError(dataDir, error);
      throw error;
    }
  };
  db.execProtocol = noticing(db.execProtocol.bind(db));
  db.execProtocolStream = noticing(db.execProtocolStream.bind(db));
  return () => failure;
}

/** How often, at most, a statement looks for the store's folder (folderWatch). */
const FOLDER_CHECK_MS = 200;

/**
 * Whether the store's folder has been removed, looked for at most every
 * FOLDER_CHECK_MS. PostgreSQL does not notice by itself: it keeps writing to
 * the files it has open, which no one can open again, until a statement
 * needs a new file. Those writes would be answered as done and then lost.
 */
function folderWatch(dataDir: string | null): () => boolean {
  if (dataDir === null) return () => false;
  let checkedAt = 0;
  return () => {
    const now = Date.now();
    if (now - checkedAt < FOLDER_CHECK_MS) return false;
    checkedAt = now;
    return !fs.existsSync(dataDir);
  };
}
