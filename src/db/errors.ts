// Prisma and driver errors are recognized here and nowhere else. Do not parse
// their details: PGlite and PostgreSQL report unique violations differently.

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

/**
 * The SQLSTATE behind a Prisma error: model queries carry the driver adapter's
 * error as `cause`, raw queries (P2010) in `meta.driverAdapterError.cause`.
 */
function driverCodeOf(error: unknown): string | undefined {
  const e = error as { cause?: { originalCode?: unknown }; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } } | null;
  const code = e?.cause?.originalCode ?? e?.meta?.driverAdapterError?.cause?.originalCode;
  return code === undefined ? undefined : String(code);
}

export function isUniqueViolation(error: unknown): boolean {
  return codeOf(error) === 'P2002' || driverCodeOf(error) === '23505';
}

/** A conflict the database resolved by failing one side: the work can be retried. */
export function isRetryableConflict(error: unknown): boolean {
  const code = codeOf(error);
  const driver = driverCodeOf(error);
  return code === 'P2034' || driver === '40001' || driver === '40P01';
}

// Prisma's codes for "cannot reach / lost the database server" (P1001 can't
// reach, P1002 timed out, P1003 database does not exist, P1008 operation timed out, P1017 server closed the
// connection, P2024 no pool connection in time, P2028 a transaction could not
// start in time or outlived its timeout: rolled back, nothing written); the driver adapter's error
// kinds for the same; PostgreSQL's SQLSTATE classes 08 (connection exception)
// and 57P01–57P03 (the server is shutting down or starting up), 53300 (too many
// connections).
const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1003', 'P1008', 'P1017', 'P2024', 'P2028']);
const UNAVAILABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'DatabaseDoesNotExist']);
const UNAVAILABLE_SQLSTATES = /^(08...|57P01|57P02|57P03|53300)$/;
// pg reports a socket that died mid-query with a plain Error and no code.
const UNAVAILABLE_MESSAGES = /Connection terminated|connection error and is not queryable|Client was closed and is not queryable|connection timeout|terminating connection|Connection refused|ECONNREFUSED|ECONNRESET|the database system is (starting up|shutting down)/i;

/**
 * The database server cannot be reached or dropped the connection: the request
 * failed as a whole (a transaction that lost its connection is rolled back by
 * the server) and can be retried once it is back.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return anyCause(error, (e) => {
    const code = codeOf(e);
    if (code !== undefined && (UNAVAILABLE_PRISMA_CODES.has(code) || UNAVAILABLE_SQLSTATES.test(code))) return true;
    const kind = (e as { kind?: unknown }).kind;
    if (typeof kind === 'string' && UNAVAILABLE_KINDS.has(kind)) return true;
    const originalCode = (e as { originalCode?: unknown }).originalCode;
    if (typeof originalCode === 'string' && UNAVAILABLE_SQLSTATES.test(originalCode)) return true;
    const message = (e as { message?: unknown }).message;
    return typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message);
  });
}

/**
 * Whether `test` holds for the error or for an error behind it: its `cause`
 * chain, and the driver adapter's error that Prisma's known errors carry in
 * `meta` rather than in `cause`.
 */
function anyCause(error: unknown, test: (e: object) => boolean): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const e = pending.pop();
    if (typeof e !== 'object' || e === null || seen.has(e)) continue;
    seen.add(e);
    if (test(e)) return true;
    pending.push((e as { cause?: unknown }).cause, (e as { meta?: { driverAdapterError?: { cause?: unknown } } }).meta?.driverAdapterError?.cause);
  }
  return false;
}

// The store itself failed, not the statement: SQLSTATE class 58 (a file of the
// database could not be created, read or written: 58P01 for a missing one,
// 58030 for an I/O error), 53100 (disk full), XX001 and XX002 (a data or index
// page is corrupt), or a PANIC, after which PostgreSQL's state is not to be
// trusted. PGlite's file system layer (Emscripten's) throws an ErrnoError, a
// plain object with the errno, when a file of the store is gone.
const STORE_FAILURE_SQLSTATES = /^(58...|53100|XX001|XX002)$/;

/**
 * The database could not use its own files. A PostgreSQL server restarts
 * after such an error; the embedded store, PostgreSQL inside this process,
 * cannot, and a later commit on it may never return (src/db/pglite-failure.ts).
 */
export function isStoreFailure(error: unknown): boolean {
  return anyCause(error, (e) => {
    const code = codeOf(e) ?? (e as { originalCode?: unknown }).originalCode;
    if (typeof code === 'string' && STORE_FAILURE_SQLSTATES.test(code)) return true;
    if ((e as { severity?: unknown }).severity === 'PANIC') return true;
    // The embedded store refusing a statement after such an error (src/db/pglite-failure.ts).
    if ((e as { name?: unknown }).name === 'StoreFailedError') return true;
    return (e as { name?: unknown }).name === 'ErrnoError' && typeof (e as { errno?: unknown }).errno === 'number';
  });
}

/**
 * The store cannot serve the request: its server is unavailable, or the
 * database cannot use its own files (the embedded store then takes no
 * statement until the process starts again). Answered 503, never 500.
 */
export function isStoreUnavailable(error: unknown): boolean {
  return isDatabaseUnavailable(error) || isStoreFailure(error);
}

// Emscripten's errno for ENOENT, in the ErrnoError of PGlite's file system layer.
const EMSCRIPTEN_ENOENT = 44;

/**
 * A store failure because a file of the store is not there (SQLSTATE 58P01,
 * undefined_file): its folder removed under it. What it held cannot be
 * counted on, unlike after a full disk.
 */
export function isMissingStoreFile(error: unknown): boolean {
  return anyCause(
    error,
    (e) =>
      (codeOf(e) ?? (e as { originalCode?: unknown }).originalCode) === '58P01' ||
      ((e as { name?: unknown }).name === 'ErrnoError' && (e as { errno?: unknown }).errno === EMSCRIPTEN_ENOENT),
  );
}

/**
 * The database refused a value it cannot represent: PostgreSQL text cannot
 * hold U+0000 (SQLSTATE 22021, character not in repertoire; 22P05,
 * untranslatable character). Such a value can match nothing and be stored
 * nowhere: the client sent it, so it is the client's error, not a 500.
 */
export function isUnstorableText(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e: unknown = error; typeof e === 'object' && e !== null && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const originalCode = (e as { originalCode?: unknown }).originalCode;
    if (originalCode === '22021' || originalCode === '22P05') return true;
    const adapterCause = (e as { meta?: { driverAdapterError?: { cause?: unknown } } }).meta?.driverAdapterError?.cause;
    if (adapterCause !== undefined && isUnstorableText(adapterCause)) return true;
  }
  return false;
}

/** Where a PostgreSQL URL points, without its password (for messages). */
export function describeServer(url: string): { server: string; database: string; user: string } {
  try {
    const parsed = new URL(url);
    return {
      server: `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}`,
      database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default)',
      user: decodeURIComponent(parsed.username) || '(default)',
    };
  } catch {
    return { server: '(unparsable URL)', database: '?', user: '?' };
  }
}

/** The first non-blank line of an error's message, for a one-line report. */
export function firstLine(text: string): string {
  return text.split('\n').map((line) => line.trim()).find((line) => line !== '') ?? 'unknown error';
}

/**
 * Why opening or migrating a PostgreSQL store failed, as one line with the
 * fix; null when the error is none of the known start failures. The driver's
 * network code or SQLSTATE decides, never its message text.
 */
export function explainStoreStartError(error: unknown, url: string): string | null {
  const { server, database, user } = describeServer(url);
  const causes: unknown[] = [];
  for (let e: unknown = error; typeof e === 'object' && e !== null && causes.length < 5; e = (e as { cause?: unknown }).cause) causes.push(e);
  const codes = causes.map(codeOf).filter((c): c is string => c !== undefined);
  const has = (...wanted: string[]) => codes.find((c) => wanted.includes(c));
  const migration = causes.find((e): e is { migration: string; pending: number } => typeof (e as { migration?: unknown }).migration === 'string');
  let code: string | undefined;
  if ((code = has('ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH'))) {
    return `cannot reach the PostgreSQL server at ${server} (${code}). Fix: start PostgreSQL there, or correct the host and port in DATABASE_URL.`;
  }
  if ((code = has('ENOTFOUND', 'EAI_AGAIN'))) {
    return `the host of DATABASE_URL (${server}) cannot be resolved (${code}). Fix: correct the host in DATABASE_URL.`;
  }
  if (causes.some((e) => /timeout/i.test(String((e as { message?: unknown }).message)))) {
    return `the PostgreSQL server at ${server} did not answer in time. Fix: check that it runs and that this host may connect to it (firewall, pg_hba.conf).`;
  }
  if ((code = has('28P01', '28000'))) {
    return `PostgreSQL at ${server} refused the login of role "${user}" (${code}). Fix: correct the user and password in DATABASE_URL, or allow the role in pg_hba.conf.`;
  }
  if ((code = has('3D000'))) {
    return `database "${database}" does not exist on ${server} (3D000). Fix: create it (createdb -h <host> -p <port> ${database}) or correct its name in DATABASE_URL.`;
  }
  // PgBouncer refuses a database or role it cannot serve with 08P01 and a
  // message of its own (the server's SQLSTATE does not reach the client).
  if ((code = has('08P01'))) {
    const message = causes.map((e) => (e as { message?: unknown }).message).find((m): m is string => typeof m === 'string' && m !== '') ?? 'refused';
    return `the connection pooler at ${server} refused the connection: ${firstLine(message)} (08P01). Fix: check that the database and role in DATABASE_URL exist and that the pooler is configured to serve them.`;
  }
  if (migration !== undefined && has('42501')) {
    return (
      `${migration.pending} migration(s) are pending (next: ${migration.migration}) and role "${user}" may not change the schema (42501, permission denied). ` +
      'Fix: apply them once with a role that owns the schema (DATABASE_URL=<owner URL> npm run migrate), then start again.'
    );
  }
  if ((code = has('ECONNRESET', '57P03', '53300'))) {
    return `the PostgreSQL server at ${server} dropped or refused the connection (${code}). Fix: check that it is up and has connections free (max_connections).`;
  }
  return null;
}
