// Configuration is read and validated once, at start-up; a bad value stops the
// start with one line that names the variable.

import type { StoreLocation } from './db/store.js';

export type { StoreLocation };

/** Web origins allowed to call from a browser: every one ('*'), or the exact origins listed ("https://app.example.com"). */
export type CorsOrigins = '*' | string[];

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFormat = 'json' | 'pretty' | 'off';

export interface Config {
  /** Settings that work but that the operator should hear about, logged at start. */
  warnings: string[];
  port: number;
  store: StoreLocation;
  /** A hot standby of the PostgreSQL primary that plain reads go to (DATABASE_REPLICA_URL); null: none. */
  replicaUrl: string | null;
  adminToken: string | null;
  /** The admin token before a rotation, accepted as well until it is unset (docs/operations.md). */
  previousAdminToken: string | null;
  logLevel: LogLevel;
  /** json: one object per line; pretty: for a terminal; off: nothing (src/log.ts). */
  logFormat: LogFormat;
  production: boolean;
  /** Connections in the pool to a PostgreSQL server. */
  poolSize: number;
  limits: OperationLimits;
  rateLimit: RateLimitConfig;
  /** Whether the schema can be introspected (`__schema`, `__type`). */
  introspection: boolean;
  /** Whether GET /graphql with Accept: text/html serves GraphiQL. */
  graphiql: boolean;
  /** How long SIGTERM waits for in-flight requests before closing their connections. */
  shutdownGraceMs: number;
  /** How long a process reuses an API key's workspace before asking again (auth/key-cache.ts). */
  apiKeyCacheMs: number;
  /** Bearer token of GET /metrics; null: no metrics (src/http/metrics.ts). */
  metricsToken: string | null;
  /** Manifest of the only operations accepted (TRUSTED_DOCUMENTS); null: any operation. */
  trustedDocuments: string | null;
  /** Automatic persisted queries (APQ), on unless trusted documents are configured. */
  apq: boolean;
  /** Web origins that may call from a browser (CORS_ORIGINS; src/http/cors.ts). */
  corsOrigins: CorsOrigins;
  /** The secret cursors are signed with (CURSOR_SECRET); null: a key kept in the database (src/db/cursor-secret.ts). */
  cursorSecret: string | null;
}

/** Limits on one request, checked before anything executes (docs/operations.md, Limits). */
export interface OperationLimits {
  /** Deepest field nesting; fragments do not add a level. */
  maxDepth: number;
  /** Estimated number of values resolved (src/http/operation-cost.ts). */
  maxCost: number;
  maxAliases: number;
  /** Lexical tokens of the query text; variables do not count. */
  maxTokens: number;
  maxDirectives: number;
  /** Bytes of a request body. */
  maxBodyBytes: number;
}

/** Fixed-window counter per API key, shared through the database (src/http/rate-limit.ts). */
export interface RateLimitConfig {
  /** Requests per window and key; 0 turns the limiter off. */
  max: number;
  windowSeconds: number;
}

// Generous enough for every query of the contract (a full contacts(first: 100)
// page with every field, an upsertContacts of 100 inputs written inline), tight
// enough that one request cannot occupy the server (test/http/limits.test.ts pins both).
export const DEFAULT_LIMITS: OperationLimits = {
  maxDepth: 12,
  maxCost: 10_000,
  maxAliases: 30,
  maxTokens: 20_000,
  maxDirectives: 30,
  maxBodyBytes: 4 * 1024 * 1024,
};

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];
const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty', 'off'];

/**
 * LOG_FORMAT, else: off under the test runner (its output is the tests'),
 * pretty on a terminal outside production, json otherwise (a log collector).
 */
function parseLogFormat(env: NodeJS.ProcessEnv, production: boolean, terminal: boolean): LogFormat {
  const value = env.LOG_FORMAT?.trim().toLowerCase();
  if (value === undefined || value === '') {
    if (env.VITEST !== undefined || env.NODE_ENV === 'test') return 'off';
    return !production && terminal ? 'pretty' : 'json';
  }
  if (!LOG_FORMATS.includes(value as LogFormat)) {
    throw new ConfigError('LOG_FORMAT', `must be one of ${LOG_FORMATS.join(', ')}, got "${env.LOG_FORMAT}"`);
  }
  return value as LogFormat;
}

export const DEFAULT_DATA_DIR = './.data/pglite';

/** A CURSOR_SECRET shorter than this is refused: it could be guessed, and then cursors forged. */
export const MIN_CURSOR_SECRET_LENGTH = 32;

/** Below this, the start logs a warning about ADMIN_TOKEN. */
export const ADVISED_ADMIN_TOKEN_LENGTH = 16;

export function parseStoreLocation(value: string | undefined): StoreLocation {
  if (value === undefined || value.trim() === '') return { kind: 'pglite', dataDir: DEFAULT_DATA_DIR };
  const url = value.trim();
  if (url === 'pglite:memory') return { kind: 'pglite', dataDir: null };
  if (url.startsWith('pglite:')) {
    const dir = url.slice('pglite:'.length);
    if (dir === '') throw new ConfigError('DATABASE_URL', 'pglite: needs a folder, e.g. pglite:./.data/pglite, or pglite:memory');
    return { kind: 'pglite', dataDir: dir };
  }
  if (url.startsWith('postgresql://') || url.startsWith('postgres://')) {
    try {
      new URL(url);
    } catch {
      throw new ConfigError('DATABASE_URL', 'is not a valid postgresql:// URL');
    }
    return { kind: 'postgres', url };
  }
  throw new ConfigError('DATABASE_URL', 'must be unset, pglite:<dir>, pglite:memory or postgresql://…');
}

/** DATABASE_REPLICA_URL: a postgresql:// URL, only beside a PostgreSQL DATABASE_URL. */
export function parseReplicaUrl(value: string | undefined, store: StoreLocation): string | null {
  if (value === undefined || value.trim() === '') return null;
  const url = value.trim();
  if (!url.startsWith('postgresql://') && !url.startsWith('postgres://')) throw new ConfigError('DATABASE_REPLICA_URL', 'must be a postgresql://… URL');
  try {
    new URL(url);
  } catch {
    throw new ConfigError('DATABASE_REPLICA_URL', 'is not a valid postgresql:// URL');
  }
  if (store.kind !== 'postgres') throw new ConfigError('DATABASE_REPLICA_URL', 'needs DATABASE_URL to name the PostgreSQL primary (postgresql://…)');
  return url;
}

function parseCursorSecret(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  if (value.length < MIN_CURSOR_SECRET_LENGTH) throw new ConfigError('CURSOR_SECRET', `must be at least ${MIN_CURSOR_SECRET_LENGTH} characters`);
  return value;
}

function parseBoolean(variable: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value.trim() === '') return fallback;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'on', 'yes'].includes(v)) return true;
  if (['false', '0', 'off', 'no'].includes(v)) return false;
  throw new ConfigError(variable, `must be true or false, got "${value}"`);
}

function parseInteger(variable: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  if (!/^\d+$/.test(value.trim())) throw new ConfigError(variable, `must be a whole number, got "${value}"`);
  const n = Number(value.trim());
  if (n < min || n > max) throw new ConfigError(variable, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, terminal = process.stdout.isTTY === true): Config {
  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  const adminToken = env.ADMIN_TOKEN === undefined || env.ADMIN_TOKEN === '' ? null : env.ADMIN_TOKEN;
  // API.md sets no length: a short token is accepted, with a warning at start.
  const warnings = adminToken !== null && adminToken.length < ADVISED_ADMIN_TOKEN_LENGTH
    ? [`ADMIN_TOKEN is shorter than ${ADVISED_ADMIN_TOKEN_LENGTH} characters: anyone who guesses it can create workspaces and keys.`]
    : [];
  const production = env.NODE_ENV === 'production';
  const store = parseStoreLocation(env.DATABASE_URL);
  return {
    warnings,
    port: parseInteger('PORT', env.PORT, 4000, 0, 65535),
    store,
    replicaUrl: parseReplicaUrl(env.DATABASE_REPLICA_URL, store),
    adminToken,
    previousAdminToken: adminToken === null || !env.ADMIN_TOKEN_PREVIOUS ? null : env.ADMIN_TOKEN_PREVIOUS,
    logLevel,
    logFormat: parseLogFormat(env, production, terminal),
    production,
    poolSize: parseInteger('DATABASE_POOL_SIZE', env.DATABASE_POOL_SIZE, 10, 1, 1000),
    limits: {
      maxDepth: parseInteger('GRAPHQL_MAX_DEPTH', env.GRAPHQL_MAX_DEPTH, DEFAULT_LIMITS.maxDepth, 1, 1000),
      maxCost: parseInteger('GRAPHQL_MAX_COST', env.GRAPHQL_MAX_COST, DEFAULT_LIMITS.maxCost, 1, 100_000_000),
      maxAliases: parseInteger('GRAPHQL_MAX_ALIASES', env.GRAPHQL_MAX_ALIASES, DEFAULT_LIMITS.maxAliases, 0, 100_000),
      maxTokens: parseInteger('GRAPHQL_MAX_TOKENS', env.GRAPHQL_MAX_TOKENS, DEFAULT_LIMITS.maxTokens, 1, 10_000_000),
      maxDirectives: parseInteger('GRAPHQL_MAX_DIRECTIVES', env.GRAPHQL_MAX_DIRECTIVES, DEFAULT_LIMITS.maxDirectives, 0, 100_000),
      maxBodyBytes: parseInteger('MAX_BODY_BYTES', env.MAX_BODY_BYTES, DEFAULT_LIMITS.maxBodyBytes, 1024, 1024 * 1024 * 1024),
    },
    rateLimit: {
      max: parseInteger('RATE_LIMIT_MAX', env.RATE_LIMIT_MAX, 0, 0, 100_000_000),
      windowSeconds: parseInteger('RATE_LIMIT_WINDOW_SECONDS', env.RATE_LIMIT_WINDOW_SECONDS, 60, 1, 86_400),
    },
    // On outside production; in production off unless asked for.
    introspection: parseBoolean('GRAPHQL_INTROSPECTION', env.GRAPHQL_INTROSPECTION, !production),
    graphiql: parseBoolean('GRAPHIQL', env.GRAPHIQL, !production),
    shutdownGraceMs: parseInteger('SHUTDOWN_GRACE_SECONDS', env.SHUTDOWN_GRACE_SECONDS, 25, 0, 3600) * 1000,
    apiKeyCacheMs: parseInteger('API_KEY_CACHE_MS', env.API_KEY_CACHE_MS, 2_000, 0, 60_000),
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS, production),
    metricsToken: env.METRICS_TOKEN === undefined || env.METRICS_TOKEN === '' ? null : env.METRICS_TOKEN,
    trustedDocuments: env.TRUSTED_DOCUMENTS?.trim() || null,
    apq: parseBoolean('APQ', env.APQ, true),
    cursorSecret: parseCursorSecret(env.CURSOR_SECRET),
  };
}

/** CORS_ORIGINS: "*", or origins separated by commas; unset: "*" outside production, none in production. */
export function parseCorsOrigins(value: string | undefined, production: boolean): CorsOrigins {
  const text = value?.trim() ?? '';
  if (text === '') return production ? [] : '*';
  if (text === '*') return '*';
  return text.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter((o) => o !== '');
}
