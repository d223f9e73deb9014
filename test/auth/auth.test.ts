import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, dataOf, startTestGateway, type TestGateway } from '../support/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t.close());

describe('API keys name the workspace (API.md, Transport and auth)', () => {
  const cases: [string, string | null][] = [
    ['no Authorization header', null],
    ['an unknown key', 'Bearer cgw_not-a-key'],
    ['a header that is not Bearer', 'Basic dXNlcjpwYXNz'],
    ['an empty Bearer', 'Bearer '],
  ];
  for (const [name, authorization] of cases) {
    it(`answers 401 UNAUTHENTICATED to ${name}`, async () => {
      const response = await t.gql(authorization, '{ __typename }');
      expect(response.status).toBe(401);
      expect(response.body.data).toBeUndefined();
      expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  }

  it('writes nothing for an unauthenticated mutation', async () => {
    // Counted by a name of its own: on PostgreSQL other test files create workspaces in the same database meanwhile.
    const name = `unauthenticated-${Date.now()}-${Math.random()}`;
    const response = await t.gql(null, 'mutation($name: String!) { createWorkspace(name: $name) { apiKey } }', { name });
    expect(response.status).toBe(401);
    expect(await t.store.prisma.workspace.count({ where: { name } })).toBe(0);
  });

  it('accepts a valid key', async () => {
    const ws = await t.newWorkspace();
    const response = await ws.gql('{ __typename }');
    expect(response.status).toBe(200);
    expect(dataOf(response)).toEqual({ __typename: 'Query' });
  });

  it('stores keys hashed, never in clear', async () => {
    const ws = await t.newWorkspace();
    const rows = await t.store.prisma.apiKey.findMany({ where: { workspaceId: ws.id } });
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(ws.apiKey);
  });
});

describe('admin token provisioning (API.md, Running it)', () => {
  const admin = `Bearer ${ADMIN_TOKEN}`;

  it('creates a workspace whose key works, then a second key, then revokes one', async () => {
    const created = dataOf(
      await t.gql(admin, 'mutation { createWorkspace(name: "  Acme  ") { workspace { id name } apiKey userErrors { code field } } }'),
    ).createWorkspace;
    expect(created.userErrors).toEqual([]);
    expect(created.workspace.name).toBe('Acme');
    expect(created.apiKey).toMatch(/^cgw_/);

    const first = await t.gql(`Bearer ${created.apiKey}`, '{ __typename }');
    expect(first.status).toBe(200);

    const second = dataOf(
      await t.gql(admin, 'mutation($id: ID!) { createApiKey(workspaceId: $id) { apiKey userErrors { code } } }', {
        id: created.workspace.id,
      }),
    ).createApiKey;
    expect(second.userErrors).toEqual([]);
    expect((await t.gql(`Bearer ${second.apiKey}`, '{ __typename }')).status).toBe(200);

    const revoked = dataOf(
      await t.gql(admin, 'mutation($key: String!) { revokeApiKey(key: $key) { userErrors { code } } }', { key: created.apiKey }),
    ).revokeApiKey;
    expect(revoked.userErrors).toEqual([]);
    expect((await t.gql(`Bearer ${created.apiKey}`, '{ __typename }')).status).toBe(401);
    // The other key of the workspace still works.
    expect((await t.gql(`Bearer ${second.apiKey}`, '{ __typename }')).status).toBe(200);
  });

  it('a key revoked by another process (straight in the database) gets 401 within API_KEY_CACHE_MS', async () => {
    const other = await startTestGateway({ apiKeyCacheMs: 300 });
    try {
      const ws = await other.newWorkspace();
      expect((await ws.gql('{ __typename }')).status).toBe(200);
      await other.store.prisma.apiKey.updateMany({ where: { workspaceId: ws.id }, data: { revokedAt: new Date() } });
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect((await ws.gql('{ __typename }')).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('reports userErrors for a blank or over-long name and creates nothing', async () => {
    // Counted by the names tried: other test files create workspaces in the same database meanwhile.
    const tried = ['   ', 'x'.repeat(101)];
    const withTriedNames = () => t.store.prisma.workspace.count({ where: { name: { in: [...tried, ...tried.map((n) => n.trim())] } } });
    const before = await withTriedNames();
    for (const [name, code] of [
      [tried[0], 'INVALID'],
      [tried[1], 'TOO_LONG'],
    ]) {
      const payload = dataOf(
        await t.gql(admin, 'mutation($name: String!) { createWorkspace(name: $name) { workspace { id } apiKey userErrors { code field } } }', {
          name,
        }),
      ).createWorkspace;
      expect(payload).toEqual({ workspace: null, apiKey: null, userErrors: [{ code, field: ['name'] }] });
    }
    expect(await withTriedNames()).toBe(before);
  });

  it('answers NOT_FOUND for an unknown workspace or key', async () => {
    const unknownWorkspace = Buffer.from('Workspace:00000000-0000-0000-0000-000000000000').toString('base64');
    const key = dataOf(
      await t.gql(admin, 'mutation($id: ID!) { createApiKey(workspaceId: $id) { apiKey userErrors { code field } } }', { id: unknownWorkspace }),
    ).createApiKey;
    expect(key).toEqual({ apiKey: null, userErrors: [{ code: 'NOT_FOUND', field: ['workspaceId'] }] });
    const revoke = dataOf(await t.gql(admin, 'mutation { revokeApiKey(key: "cgw_nope") { userErrors { code field } } }')).revokeApiKey;
    expect(revoke.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['key'] }]);
  });

  it('reads no contacts with the admin token', async () => {
    const response = await t.gql(admin, '{ contact(id: "Q29udGFjdDox") { id } }');
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(response.body.data?.contact ?? null).toBeNull();
  });

  it('refuses provisioning to a workspace key', async () => {
    const ws = await t.newWorkspace();
    const before = await t.store.prisma.workspace.count();
    const response = await ws.gql('mutation { createWorkspace(name: "sneaky") { apiKey } }');
    expect(response.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await t.store.prisma.workspace.count()).toBe(before);
  });
});
