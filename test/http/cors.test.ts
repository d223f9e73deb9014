// CORS (docs/security.md): no response allows credentials; production allows
// only the origins of CORS_ORIGINS; browsers may read x-request-id,
// Retry-After and Idempotent-Replayed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { parseCorsOrigins } from '../../src/config.js';

let dev: TestGateway;
let prod: TestGateway;
beforeAll(async () => {
  dev = await startTestGateway();
  prod = await startTestGateway({ production: true, corsOrigins: ['https://app.example.com'] });
});
afterAll(async () => {
  await dev.close();
  await prod.close();
});

const preflight = (t: TestGateway, origin: string) =>
  t.gateway.fetch('http://gateway.test/graphql', {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, idempotency-key' },
  });

describe('CORS', () => {
  it('outside production any origin may call, never with credentials', async () => {
    const response = await preflight(dev, 'http://localhost:5173');
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    const ws = await dev.newWorkspace();
    const answer = await ws.gql('{ __typename }', {}, { origin: 'https://evil.example' });
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
    expect(answer.headers.get('access-control-expose-headers')).toBe('x-request-id, retry-after, idempotent-replayed, consistency-token');
  });

  it('in production only the listed origins get CORS headers', async () => {
    const allowed = await preflight(prod, 'https://app.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    for (const origin of ['https://evil.example', 'https://app.example.com.evil.example', 'null']) {
      const refused = await preflight(prod, origin);
      expect(refused.headers.get('access-control-allow-origin'), origin).toBeNull();
    }
    const ws = await prod.newWorkspace();
    const answer = await ws.gql('{ __typename }', {}, { origin: 'https://evil.example' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('CORS_ORIGINS: "*", a list, or unset (every origin outside production, none in it)', () => {
    expect(parseCorsOrigins(undefined, false)).toBe('*');
    expect(parseCorsOrigins(undefined, true)).toEqual([]);
    expect(parseCorsOrigins('*', true)).toBe('*');
    expect(parseCorsOrigins(' https://a.example/, https://b.example ', true)).toEqual(['https://a.example', 'https://b.example']);
  });
});
