import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseStoreLocation } from '../../src/config.js';

describe('configuration is validated at start', () => {
  it('picks the store from DATABASE_URL (API.md, Running it)', () => {
    expect(parseStoreLocation(undefined)).toEqual({ kind: 'pglite', dataDir: './.data/pglite' });
    expect(parseStoreLocation('pglite:memory')).toEqual({ kind: 'pglite', dataDir: null });
    expect(parseStoreLocation('pglite:/tmp/x')).toEqual({ kind: 'pglite', dataDir: '/tmp/x' });
    expect(parseStoreLocation('postgresql://u:p@127.0.0.1:5432/db')).toEqual({ kind: 'postgres', url: 'postgresql://u:p@127.0.0.1:5432/db' });
  });

  it('defaults PORT to 4000', () => {
    expect(loadConfig({}).port).toBe(4000);
  });

  it('hardening settings: limits on by default, rate limit off, introspection and GraphiQL off in production only', () => {
    const dev = loadConfig({});
    expect(dev.rateLimit).toEqual({ max: 0, windowSeconds: 60 });
    expect([dev.introspection, dev.graphiql]).toEqual([true, true]);
    const prod = loadConfig({ NODE_ENV: 'production' });
    expect([prod.introspection, prod.graphiql]).toEqual([false, false]);
    const open = loadConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true', GRAPHIQL: 'on' });
    expect([open.introspection, open.graphiql]).toEqual([true, true]);
    const tuned = loadConfig({ GRAPHQL_MAX_DEPTH: '7', GRAPHQL_MAX_COST: '123', MAX_BODY_BYTES: '2048', RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW_SECONDS: '10' });
    expect(tuned.limits).toMatchObject({ maxDepth: 7, maxCost: 123, maxBodyBytes: 2048 });
    expect(tuned.rateLimit).toEqual({ max: 5, windowSeconds: 10 });
  });

  it('LOG_FORMAT: off under the test runner, pretty on a terminal outside production, json otherwise', () => {
    expect(loadConfig({ VITEST: 'true' }, true).logFormat).toBe('off');
    expect(loadConfig({}, true).logFormat).toBe('pretty');
    expect(loadConfig({}, false).logFormat).toBe('json');
    expect(loadConfig({ NODE_ENV: 'production' }, true).logFormat).toBe('json');
    expect(loadConfig({ VITEST: 'true', LOG_FORMAT: 'JSON' }).logFormat).toBe('json');
  });

  it('operations settings: metrics, persisted operations and the previous admin token are off unless set', () => {
    const plain = loadConfig({});
    expect([plain.metricsToken, plain.trustedDocuments, plain.apq, plain.previousAdminToken]).toEqual([null, null, true, null]);
    const set = loadConfig({ METRICS_TOKEN: 'scrape', TRUSTED_DOCUMENTS: ' ./manifest.json ', APQ: 'false', ADMIN_TOKEN: 'new-admin-token-0123456', ADMIN_TOKEN_PREVIOUS: 'old' });
    expect([set.metricsToken, set.trustedDocuments, set.apq, set.previousAdminToken]).toEqual(['scrape', './manifest.json', false, 'old']);
    // A previous token without a current one would be an admin token nobody meant to set.
    expect(loadConfig({ ADMIN_TOKEN_PREVIOUS: 'old' }).previousAdminToken).toBeNull();
  });

  it('CURSOR_SECRET: unset, cursors are signed with the key kept in the database; set, with one derived from it', () => {
    expect(loadConfig({}).cursorSecret).toBeNull();
    expect(loadConfig({ CURSOR_SECRET: 'c'.repeat(32) }).cursorSecret).toBe('c'.repeat(32));
  });

  const bad: [string, Record<string, string>][] = [
    ['CURSOR_SECRET', { CURSOR_SECRET: 'too-short-to-sign-with' }],
    ['APQ', { APQ: 'sometimes' }],
    ['LOG_FORMAT', { LOG_FORMAT: 'xml' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['DATABASE_URL', { DATABASE_URL: 'pglite:' }],
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['DATABASE_POOL_SIZE', { DATABASE_POOL_SIZE: '0' }],
    ['GRAPHQL_MAX_DEPTH', { GRAPHQL_MAX_DEPTH: '0' }],
    ['GRAPHQL_MAX_COST', { GRAPHQL_MAX_COST: 'lots' }],
    ['GRAPHQL_MAX_ALIASES', { GRAPHQL_MAX_ALIASES: '-1' }],
    ['GRAPHQL_MAX_TOKENS', { GRAPHQL_MAX_TOKENS: '1.5' }],
    ['GRAPHQL_MAX_DIRECTIVES', { GRAPHQL_MAX_DIRECTIVES: 'x' }],
    ['MAX_BODY_BYTES', { MAX_BODY_BYTES: '10' }],
    ['RATE_LIMIT_MAX', { RATE_LIMIT_MAX: 'many' }],
    ['RATE_LIMIT_WINDOW_SECONDS', { RATE_LIMIT_WINDOW_SECONDS: '0' }],
    ['GRAPHQL_INTROSPECTION', { GRAPHQL_INTROSPECTION: 'maybe' }],
    ['GRAPHIQL', { GRAPHIQL: '2' }],
    ['SHUTDOWN_GRACE_SECONDS', { SHUTDOWN_GRACE_SECONDS: 'soon' }],
  ];
  it('accepts a short ADMIN_TOKEN (API.md sets no length), with a warning', () => {
    const config = loadConfig({ ADMIN_TOKEN: 'admintok' });
    expect(config.adminToken).toBe('admintok');
    expect(config.warnings).toEqual([expect.stringMatching(/^ADMIN_TOKEN is shorter than 16 characters/)]);
    expect(loadConfig({ ADMIN_TOKEN: 'a-long-enough-admin-token' }).warnings).toEqual([]);
  });

  for (const [variable, env] of bad) {
    it(`stops with a message naming ${variable} for ${JSON.stringify(env)}`, () => {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(new RegExp(`^${variable}: `));
    });
  }
});
