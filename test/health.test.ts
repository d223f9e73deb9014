import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, startTestGateway, type TestGateway } from './support/gateway.js';
import { openStore } from '../src/db/store.js';
import { createGateway } from '../src/http/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t.close());

describe('GET /health (API.md, Transport and auth)', () => {
  it('answers 200 while the database answers', async () => {
    const response = await t.gateway.fetch('http://gateway.test/health');
    expect(response.status).toBe(200);
  });

  it.skipIf(!onPostgres)('answers 503 when the PostgreSQL server cannot be reached', async () => {
    const store = await openStore({ kind: 'postgres', url: 'postgresql://postgres@127.0.0.1:1/none' });
    const gateway = createGateway({ store, adminToken: null, production: true });
    const response = await gateway.fetch('http://gateway.test/health');
    expect(response.status).toBe(503);
    await store.close();
  });

  it('answers 503 once the store is closed', async () => {
    const other = await (await import('./support/gateway.js')).startTestGateway();
    await other.store.close();
    const response = await other.gateway.fetch('http://gateway.test/health');
    expect(response.status).toBe(503);
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

  it('is off in production', async () => {
    const prod = await (await import('./support/gateway.js')).startTestGateway({ production: true });
    try {
      const response = await prod.gateway.fetch('http://gateway.test/graphql', { headers: { accept: 'text/html' } });
      expect(await response.text()).not.toContain('<html');
    } finally {
      await prod.close();
    }
  });
});
