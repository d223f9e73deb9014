// Configuration is read and validated once, at start-up; a bad value stops the
// start with one line that names the variable (STYLE.md, Epic Stack).

export type StoreLocation =
  | { kind: 'pglite'; dataDir: string | null } // null: in memory
  | { kind: 'postgres'; url: string };

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Config {
  port: number;
  store: StoreLocation;
  adminToken: string | null;
  logLevel: LogLevel;
  production: boolean;
  /** Connections in the pool to a PostgreSQL server. */
  poolSize: number;
  /** How long a process reuses an API key's workspace before asking again (auth/key-cache.ts). */
  apiKeyCacheMs: number;
}

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

export const DEFAULT_DATA_DIR = './.data/pglite';

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

function parseInteger(variable: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  if (!/^\d+$/.test(value.trim())) throw new ConfigError(variable, `must be a whole number, got "${value}"`);
  const n = Number(value.trim());
  if (n < min || n > max) throw new ConfigError(variable, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  const adminToken = env.ADMIN_TOKEN === undefined || env.ADMIN_TOKEN === '' ? null : env.ADMIN_TOKEN;
  if (adminToken !== null && adminToken.length < 16) {
    throw new ConfigError('ADMIN_TOKEN', 'must be at least 16 characters');
  }
  return {
    port: parseInteger('PORT', env.PORT, 4000, 0, 65535),
    store: parseStoreLocation(env.DATABASE_URL),
    adminToken,
    logLevel,
    production: env.NODE_ENV === 'production',
    poolSize: parseInteger('DATABASE_POOL_SIZE', env.DATABASE_POOL_SIZE, 10, 1, 1000),
    apiKeyCacheMs: parseInteger('API_KEY_CACHE_MS', env.API_KEY_CACHE_MS, 2_000, 0, 60_000),
  };
}
