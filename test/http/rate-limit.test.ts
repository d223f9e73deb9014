// Rate limiting per API key: HTTP 429 with Retry-After over the limit,
// counted in the database so that gateway processes sharing it share the count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { createGateway } from '../../src/http/gateway.js';
import { issueApiKey } from '../../src/auth/api-keys.js';

const LIMIT = { max: 5, windowSeconds: 3600 };
let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({ rateLimit: LIMIT });
});
afterAll(() => t.close());

describe('rate limit per API key', () => {
  it(`lets ${LIMIT.max} requests through in a window and answers the next with 429 and Retry-After`, async () => {
    const ws = await t.newWorkspace();
    for (let i = 0; i < LIMIT.max; i++) expect((await ws.gql('{ __typename }')).status).toBe(200);
    const refused = await ws.gql('mutation { createCompany(input: { name: "x" }) { userErrors { code } } }');
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0]).toMatchObject({ message: expect.stringContaining('RATE_LIMIT_MAX'), extensions: { code: 'RATE_LIMITED' } });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(LIMIT.windowSeconds);
    // The refused mutation wrote nothing.
    expect(await t.store.prisma.company.count({ where: { workspaceId: ws.id } })).toBe(0);
  });

  it('counts each key on its own: another key of the same workspace, and another workspace, are unaffected', async () => {
    const ws = await t.newWorkspace();
    const other = await t.newWorkspace();
    const secondKey = await issueApiKey(t.store.prisma, ws.id);
    for (let i = 0; i < LIMIT.max + 1; i++) await ws.gql('{ __typename }');
    expect((await ws.gql('{ __typename }')).status).toBe(429);
    expect((await t.gql(`Bearer ${secondKey}`, '{ __typename }')).status).toBe(200);
    expect((await other.gql('{ __typename }')).status).toBe(200);
  });

  it('concurrent requests through two gateways on one database share the count: exactly the limit pass', async () => {
    const ws = await t.newWorkspace();
    // A second gateway on the same store, as a second process on one PostgreSQL would be.
    const second = createGateway({ store: t.store, adminToken: null, production: false, rateLimit: LIMIT, logger: { error: () => {} } });
    const viaSecond = async (query: string) =>
      await second.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.apiKey}` },
        body: JSON.stringify({ query }),
      });
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? ws.gql('{ __typename }').then((r) => r.status) : viaSecond('{ __typename }').then((r) => r.status))),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT.max);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20 - LIMIT.max);
  });

  it('starts a new window when the old one is over', async () => {
    const short = await startTestGateway({ rateLimit: { max: 2, windowSeconds: 1 } });
    try {
      const ws = await short.newWorkspace();
      // Start at the beginning of a window so that the three requests share it.
      await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await ws.gql('{ __typename }')).status);
      expect(statuses).toEqual([200, 200, 429]);
      await new Promise((r) => setTimeout(r, 1100));
      expect((await ws.gql('{ __typename }')).status).toBe(200);
    } finally {
      await short.close();
    }
  });

  it('is off by default: the suite and normal use are not limited', async () => {
    const open = await startTestGateway();
    try {
      const ws = await open.newWorkspace();
      const statuses = await Promise.all(Array.from({ length: 30 }, () => ws.gql('{ __typename }').then((r) => r.status)));
      expect(new Set(statuses)).toEqual(new Set([200]));
    } finally {
      await open.close();
    }
  });
});
