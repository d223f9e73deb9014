// A start that fails says why in one line on stderr, with the fix, and exits
// non-zero: no stack trace, no driver dump (docs/operations.md, Start-up errors).
import { ConfigError, type Config } from './config.js';
import { explainStoreStartError, firstLine } from './db/errors.js';
import { StoreInUseError } from './db/store.js';

/** The listening socket could not be opened. */
export class ListenError extends Error {
  constructor(
    readonly port: number,
    readonly code: string | undefined,
    cause: unknown,
  ) {
    super(`cannot listen on port ${port}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ListenError';
  }
}

/** DATABASE_REPLICA_URL names a server that is not a hot standby (it accepts writes of its own). */
export class ReplicaNotStandbyError extends Error {
  constructor(readonly server: string) {
    super(`the read replica at ${server} is not a standby (pg_is_in_recovery() is false)`);
    this.name = 'ReplicaNotStandbyError';
  }
}

/** The one line printed when the start fails. */
export function explainStartFailure(error: unknown, config: Config | null): string {
  if (error instanceof ConfigError) return `Configuration error: ${error.message}`;
  if (error instanceof ListenError) {
    if (error.code === 'EADDRINUSE') {
      return `Start failed: port ${error.port} is already in use (EADDRINUSE). Fix: stop the process that holds it, or set PORT to a free port.`;
    }
    if (error.code === 'EACCES') {
      return `Start failed: this user may not listen on port ${error.port} (EACCES). Fix: set PORT to a port above 1023, or put a proxy in front.`;
    }
    return `Start failed: ${firstLine(error.message)}. Fix: set PORT to a free port.`;
  }
  if (error instanceof ReplicaNotStandbyError) {
    return `Start failed: ${error.message}. Fix: point DATABASE_REPLICA_URL at a streaming standby of DATABASE_URL's server (pg_basebackup -R, hot_standby = on), or unset it.`;
  }
  if (config?.store.kind === 'postgres') {
    const explained = explainStoreStartError(error, config.store.url);
    if (explained !== null) return `Start failed: ${explained}`;
  }
  if (error instanceof StoreInUseError) {
    return `Start failed: ${error.message}. Fix: stop that process (an embedded store serves one process; use PostgreSQL to share a database), or set DATABASE_URL=pglite:<another folder>.`;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (config?.store.kind === 'pglite' && (code === 'EACCES' || code === 'EROFS')) {
    return `Start failed: the embedded store's folder ${config.store.dataDir} cannot be written (${code}). Fix: make it writable, or set DATABASE_URL=pglite:<another folder>.`;
  }
  return `Start failed: ${firstLine(error instanceof Error ? error.message : String(error))}`;
}
