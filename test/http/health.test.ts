import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, startTestGateway, type TestGateway } from '../support/gateway.js';
import { openStore } from '../../src/db/store.js';
import { createGateway } from '../../src/http/gateway.js';
import { readMigrations } from '../../src/db/migrate.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t.close());

async function probe(gateway: { fetch: TestGateway['gateway']['fetch'] }, path: string) {
  const response = await gateway.fetch(`http://gateway.test${path}`);
  return { status: response.status, type: response.headers.get('content-type'), cache: response.headers.get('cache-control'), body: await response.json() };
}

describe('GET /health (API.md, Transport and auth)', () => {
  it('answers 200 with a JSON body while the database answers, with no key and uncached', async () => {
    const health = await probe(t.gateway, '/health');
    expect(health).toEqual({ status: 200, type: 'application/json; charset=utf-8', cache: 'no-store', body: { status: 'ok', database: 'ok' } });
  });

  it('answers 503 with the reason while the server drains', async () => {
    const draining = createGateway({ store: t.store, adminToken: null, production: true, draining: () => true });
    expect(await probe(draining, '/health')).toMatchObject({ status: 503, body: { status: 'unavailable', reason: 'shutting down' } });
    expect(await probe(draining, '/ready')).toMatchObject({ status: 503, body: { status: 'not ready', reason: 'shutting down' } });
  });

  it.skipIf(!onPostgres)('answers 503 when the PostgreSQL server cannot be reached', async () => {
    const store = await openStore({ kind: 'postgres', url: 'postgresql://postgres@127.0.0.1:1/none' });
    const gateway = createGateway({ store, adminToken: null, production: true });
    const response = await gateway.fetch('http://gateway.test/health');
    expect(response.status).toBe(503);
    await store.close();
  });

  it('is the health plugin: a gateway built without it (the plugin-cost bench) answers 404, the default one 200', async () => {
    const without = createGateway({ store: t.store, adminToken: null, production: true, leaveOut: new Set(['health']) });
    expect((await without.fetch('http://gateway.test/health')).status).toBe(404);
    expect((await t.gateway.fetch('http://gateway.test/health')).status).toBe(200);
  });

  it('answers 503 once the store is closed', async () => {
    const other = await (await import('../support/gateway.js')).startTestGateway();
    await other.store.close();
    expect(await probe(other.gateway, '/health')).toMatchObject({ status: 503, body: { status: 'unavailable', database: 'unreachable' } });
    expect(await probe(other.gateway, '/ready')).toMatchObject({ status: 503, body: { status: 'not ready', database: 'unreachable' } });
  });
});

describe('GET /ready: the database answers and every migration is applied', () => {
  it('answers 200 on a migrated store', async () => {
    expect(await probe(t.gateway, '/ready')).toEqual({
      status: 200,
      type: 'application/json; charset=utf-8',
      cache: 'no-store',
      body: { status: 'ready', database: 'ok', migrations: 'applied' },
    });
  });

  // Migrates a fresh embedded store: seconds alone, far more on a loaded 2-core machine.
  it('answers 503 naming how many migrations are pending on a store not migrated yet, then 200 once migrated', { timeout: 120_000 }, async () => {
    const store = await openStore({ kind: 'pglite', dataDir: null });
    try {
      const gateway = createGateway({ store, adminToken: null, production: true });
      expect(await probe(gateway, '/health')).toMatchObject({ status: 200 });
      const before = await probe(gateway, '/ready');
      expect(before.status).toBe(503);
      expect(before.body).toMatchObject({ status: 'not ready', database: 'ok', migrations: 'pending' });
      expect(before.body.pendingMigrations).toBe(readMigrations().length);
      await store.migrate();
      expect(await probe(gateway, '/ready')).toMatchObject({ status: 200, body: { status: 'ready' } });
    } finally {
      await store.close();
    }
  });

  it('GET /live answers 200 without asking the database', async () => {
    const other = await (await import('../support/gateway.js')).startTestGateway();
    await other.store.close();
    expect((await other.gateway.fetch('http://gateway.test/live')).status).toBe(200);
  });
});

describe('GraphiQL (API.md, Transport and auth)', () => {
  it('is served by the gateway itself outside production, with no CDN asset', async () => {
    const response = await t.gateway.fetch('http://gateway.test/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<html');
    expect(html).not.toMatch(/<script[^>]+src="https?:\/\//);
    expect(html).not.toMatch(/<link[^>]+href="https?:\/\//);
    expect(html).not.toMatch(/unpkg|jsdelivr|cdnjs/);
  });

  it('is a small page that is never cached, linking its bundle under hashed names cached as immutable', async () => {
    const response = await t.gateway.fetch('http://gateway.test/graphql', { headers: { accept: 'text/html' } });
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const html = await response.text();
    expect(html.length).toBeLessThan(20_000);
    const assets = [...html.matchAll(/(?:src|href)="(\/graphiql\/assets\/[0-9a-f]{20}\.(js|css|ico))"/g)].map((m) => m[1]!);
    expect(assets.map((a) => a.split('.').pop()).sort()).toEqual(['css', 'ico', 'js']);
    for (const asset of assets) {
      const file = await t.gateway.fetch(`http://gateway.test${asset}`);
      expect(file.status, asset).toBe(200);
      expect(file.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
    expect((await t.gateway.fetch('http://gateway.test/graphiql/assets/0000000000000000000a.js')).status).toBe(404);
  });

  it('is off in production', async () => {
    const prod = await (await import('../support/gateway.js')).startTestGateway({ production: true });
    try {
      const response = await prod.gateway.fetch('http://gateway.test/graphql', { headers: { accept: 'text/html' } });
      expect(await response.text()).not.toContain('<html');
      expect((await prod.gateway.fetch('http://gateway.test/graphiql/assets/x.js')).status).toBe(404);
    } finally {
      await prod.close();
    }
  });
});
