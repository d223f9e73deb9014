// The embedded store runs PostgreSQL inside this process. When it cannot use
// its own files (its folder removed, the disk full: isStoreFailure in
// errors.ts), the statement fails, but PostgreSQL is left mid-way: its next
// commit or rollback can spin in the WAL flush for ever, on this thread, where
// no timer or signal handler runs again. So after the first such error no
// statement reaches it: each fails at once with the StoreFailedError, and the
// store is not closed (closing runs a shutdown checkpoint, which spins too).
import fs from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { firstLine, isStoreFailure } from './errors.js';

/** The embedded store failed and takes no more statements. */
export class StoreFailedError extends Error {
  /** Its folder no longer exists: what was written to it is gone with it. */
  readonly folderGone: boolean;

  constructor(
    readonly dataDir: string | null,
    cause: unknown,
  ) {
    const folderGone = dataDir !== null && !fs.existsSync(dataDir);
    const why = folderGone
      ? `its folder ${dataDir} is gone`
      : cause instanceof Error
        ? firstLine(cause.message)
        : `a file of the store could not be used, errno ${String((cause as { errno?: unknown } | null)?.errno)}`;
    super(`the embedded store failed (${why})`, { cause });
    this.name = 'StoreFailedError';
    this.folderGone = folderGone;
  }
}

/** Stops `db` taking statements after its first store failure; returns that failure, null while there is none. */
export function refuseStatementsAfterFailure(db: PGlite, dataDir: string | null): () => StoreFailedError | null {
  let failure: StoreFailedError | null = null;
  // Every statement, the transactions' own BEGIN, COMMIT and ROLLBACK too, runs through these.
  const runSync = db.execProtocolRawSync.bind(db);
  db.execProtocolRawSync = (message) => {
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
