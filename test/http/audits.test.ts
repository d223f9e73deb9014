// The GraphQL-over-HTTP audits of the graphql-http package, against the real
// gateway with every hardening plugin on. What it proves: docs/security.md.
import { auditServer } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway, type TestWorkspace } from '../support/gateway.js';

let t: TestGateway;
let ws: TestWorkspace;
let closed: TestGateway;
let closedWs: TestWorkspace;
beforeAll(async () => {
  // Production settings with every plugin on, introspection on and off.
  t = await startTestGateway({ production: true, introspection: true, rateLimit: { max: 100_000, windowSeconds: 60 } });
  ws = await t.newWorkspace();
  closed = await startTestGateway({ production: true, rateLimit: { max: 100_000, windowSeconds: 60 } });
  closedWs = await closed.newWorkspace();
});
afterAll(async () => {
  await t.close();
  await closed.close();
});

async function audit(gateway: TestGateway, workspace: TestWorkspace) {
  return auditServer({
    url: 'http://gateway.test/graphql',
    fetchFn: async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const headers = new Headers(request.headers);
      headers.set('authorization', `Bearer ${workspace.apiKey}`);
      return gateway.gateway.fetch(request.url, { method: request.method, headers, body: request.method === 'GET' ? undefined : await request.text() });
    },
  });
}

describe('graphql-http server audits (GraphQL-over-HTTP spec)', () => {
  it('with introspection off (the production default), only the four audits whose operation is an introspection query (__type with $name) are refused', async () => {
    const results = await audit(closed, closedWs);
    const notOk = results.filter((r) => r.status !== 'ok').map((r) => r.name).sort();
    expect(results).toHaveLength(61);
    expect(notOk).toEqual([
      'MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/graphql-response+json',
      'MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/json',
      'MUST allow map {variables} parameter when accepting application/json',
      'SHOULD allow map {variables} parameter when accepting application/graphql-response+json',
    ]);
  });

  it('0 errors', async () => {
    const results = await auditServer({
      url: 'http://gateway.test/graphql',
      // A server-to-server client: it sends its key, which also satisfies CSRF prevention for GET.
      fetchFn: async (input: RequestInfo | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        const headers = new Headers(request.headers);
        headers.set('authorization', `Bearer ${ws.apiKey}`);
        return t.gateway.fetch(request.url, { method: request.method, headers, body: request.method === 'GET' ? undefined : await request.text() });
      },
    });
    const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
    for (const result of results) counts[result.status]++;
    const notOk = await Promise.all(results.filter((r) => r.status !== 'ok').map(async (r) => `${r.status} ${r.name}: ${'reason' in r ? r.reason : ''}`));
    console.log(`graphql-http audits: ${results.length} total, ${counts.ok} ok, ${counts.notice} notice, ${counts.warn} warn, ${counts.error} error\n${notOk.join('\n')}`);
    expect(counts.error, notOk.join('\n')).toBe(0);
  });
});
