import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseStoreLocation } from '../src/config.js';

describe('configuration is validated at start (issue 2)', () => {
  it('picks the store from DATABASE_URL (API.md, Running it)', () => {
    expect(parseStoreLocation(undefined)).toEqual({ kind: 'pglite', dataDir: './.data/pglite' });
    expect(parseStoreLocation('pglite:memory')).toEqual({ kind: 'pglite', dataDir: null });
    expect(parseStoreLocation('pglite:/tmp/x')).toEqual({ kind: 'pglite', dataDir: '/tmp/x' });
    expect(parseStoreLocation('postgresql://u:p@127.0.0.1:5432/db')).toEqual({ kind: 'postgres', url: 'postgresql://u:p@127.0.0.1:5432/db' });
  });

  it('defaults PORT to 4000', () => {
    expect(loadConfig({}).port).toBe(4000);
  });

  const bad: [string, Record<string, string>][] = [
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['DATABASE_URL', { DATABASE_URL: 'pglite:' }],
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['ADMIN_TOKEN', { ADMIN_TOKEN: 'short' }],
    ['DATABASE_POOL_SIZE', { DATABASE_POOL_SIZE: '0' }],
  ];
  for (const [variable, env] of bad) {
    it(`stops with a message naming ${variable} for ${JSON.stringify(env)}`, () => {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(new RegExp(`^${variable}: `));
    });
  }
});
