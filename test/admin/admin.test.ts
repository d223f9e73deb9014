// Provisioning for operators: the admin token's GraphQL fields and the admin
// CLI, which share src/workspaces/provisioning.ts (docs/operations.md, Keys and
// the admin CLI). Keys are listed by prefix and sha256, never in clear.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, dataOf, startTestGateway, type TestGateway, type TestWorkspace } from '../support/gateway.js';
import { main } from '../../src/admin/cli.js';
import { openStore } from '../../src/db/store.js';
import { createGateway } from '../../src/http/gateway.js';
import { runServer } from '../support/process.js';

const admin = `Bearer ${ADMIN_TOKEN}`;
let t: TestGateway;
let ws: TestWorkspace;
let wsGlobalId: string;
beforeAll(async () => {
  t = await startTestGateway();
  const created = dataOf(await t.gql(admin, 'mutation { createWorkspace(name: "Listed") { workspace { id } apiKey } }')).createWorkspace;
  wsGlobalId = created.workspace.id;
  ws = { id: wsGlobalId, apiKey: created.apiKey, gql: (q, v, h) => t.gql(`Bearer ${created.apiKey}`, q, v, h) };
});
afterAll(() => t.close());

const KEYS = 'query($id: ID!) { apiKeys(workspaceId: $id) { id prefix sha256 createdAt revokedAt } }';

describe('admin GraphQL fields', () => {
  it('workspaces lists every workspace with its name and creation time', async () => {
    const { workspaces } = dataOf(await t.gql(admin, '{ workspaces { id name createdAt } }'));
    expect(workspaces).toContainEqual({ id: wsGlobalId, name: 'Listed', createdAt: expect.any(String) });
  });

  it('apiKeys lists prefixes and hashes, never a key; revokeApiKeyById makes the key fail with 401', async () => {
    const minted = dataOf(await t.gql(admin, 'mutation($id: ID!) { createApiKey(workspaceId: $id) { apiKey } }', { id: wsGlobalId })).createApiKey.apiKey;
    const response = await t.gql(admin, KEYS, { id: wsGlobalId });
    const keys = dataOf(response).apiKeys as { id: string; prefix: string; sha256: string; revokedAt: string | null }[];
    expect(keys).toHaveLength(2);
    expect(JSON.stringify(response.body)).not.toContain(minted);
    expect(JSON.stringify(response.body)).not.toContain(ws.apiKey);
    const mintedRow = keys.find((k) => minted.startsWith(k.prefix))!;
    expect(mintedRow.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(mintedRow.revokedAt).toBeNull();

    expect((await t.gql(`Bearer ${minted}`, '{ workspace { name } }')).status).toBe(200);
    const revoked = dataOf(await t.gql(admin, 'mutation($id: ID!) { revokeApiKeyById(id: $id) { apiKey { id revokedAt } userErrors { code } } }', { id: mintedRow.id }))
      .revokeApiKeyById;
    expect(revoked).toMatchObject({ apiKey: { id: mintedRow.id, revokedAt: expect.any(String) }, userErrors: [] });
    expect((await t.gql(`Bearer ${minted}`, '{ workspace { name } }')).status).toBe(401);
    const again = dataOf(await t.gql(admin, 'mutation($id: ID!) { revokeApiKeyById(id: $id) { userErrors { code field } } }', { id: mintedRow.id }));
    expect(again.revokeApiKeyById.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['id'] }]);
  });

  it('apiKeys of an unknown or malformed workspace id is null', async () => {
    expect(dataOf(await t.gql(admin, KEYS, { id: 'V29ya3NwYWNlOjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA==' })).apiKeys).toBeNull();
    expect(dataOf(await t.gql(admin, KEYS, { id: 'nonsense' })).apiKeys).toBeNull();
  });

  it('a workspace key gets FORBIDDEN on every admin field, a request without a key 401', async () => {
    for (const [query, variables] of [
      ['{ workspaces { id } }', {}],
      [KEYS, { id: wsGlobalId }],
      ['mutation { revokeApiKeyById(id: "01a24958-80a8-743a-9c6b-322c54c55583") { userErrors { code } } }', {}],
    ] as const) {
      const response = await ws.gql(query, variables);
      expect(response.status, query).toBe(403);
      expect(response.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(Object.values(response.body.data ?? {}).filter((v) => v !== null)).toEqual([]);
      expect((await t.gql(null, query, variables)).status).toBe(401);
    }
  });

  it('the admin token reads no contacts', async () => {
    const response = await t.gql(admin, '{ contacts(first: 1) { totalCount } }');
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('ADMIN_TOKEN_PREVIOUS is accepted as well, during a rotation', async () => {
    const rotating = createGateway({ store: t.store, adminToken: 'the-new-admin-token-0123', previousAdminToken: ADMIN_TOKEN, production: true, logger: { error: () => {} } });
    for (const token of ['the-new-admin-token-0123', ADMIN_TOKEN]) {
      const response = await rotating.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ workspaces { id } }' }),
      });
      expect(response.status, token).toBe(200);
    }
  });
});

describe('npm run admin', { timeout: 120_000 }, () => {
  it('creates a workspace, mints, lists and revokes keys; the keys then work and fail through HTTP', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-admin-'));
    const env = { DATABASE_URL: `pglite:${dir}` };
    const admin = async (...argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(argv, { env, print: (l) => out.push(l), printError: (l) => err.push(l) });
      return { code, out, err };
    };
    try {
      const created = await admin('create-workspace', 'Ops', 'team');
      expect(created.code).toBe(0);
      const firstKey = /API key \(shown once\): (cgw_\S+)/.exec(created.out.join('\n'))![1]!;
      const listed = await admin('workspaces');
      const row = listed.out.find((l) => l.includes('\tOps team\t'))!.split('\t');
      expect(row[3]).toBe('1');
      const minted = await admin('mint-key', row[0]!);
      const secondKey = /API key \(shown once\): (cgw_\S+)/.exec(minted.out.join('\n'))![1]!;
      const keys = await admin('keys', row[0]!);
      expect(keys.out).toHaveLength(3);
      expect(keys.out.join('\n')).not.toContain(firstKey);
      expect(keys.out.join('\n')).not.toContain(secondKey);
      const secondRow = keys.out.find((l) => secondKey.startsWith(l.split('\t')[1]!))!.split('\t');
      expect((await admin('revoke-key', secondRow[0]!)).code).toBe(0);
      expect(await admin('revoke-key', secondRow[0]!)).toMatchObject({ code: 2, err: ['No live key matches.'] });
      expect((await admin('keys', row[0]!)).out.find((l) => l.startsWith(secondRow[0]!))).not.toMatch(/\tlive$/);

      const store = await openStore({ kind: 'pglite', dataDir: dir });
      try {
        const gateway = createGateway({ store, adminToken: null, production: true, logger: { error: () => {} } });
        const ask = (key: string) =>
          gateway.fetch('http://gateway.test/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
            body: JSON.stringify({ query: '{ workspace { name } }' }),
          });
        expect((await ask(firstKey)).status).toBe(200);
        expect((await ask(secondKey)).status).toBe(401);
      } finally {
        await store.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown command or a bad id with usage and exit 2', async () => {
    const err: string[] = [];
    expect(await main(['frobnicate'], { env: {}, print: () => {}, printError: (l) => err.push(l) })).toBe(2);
    expect(err.join('\n')).toMatch(/^Unknown command "frobnicate"\.[\s\S]*Usage: npm run admin/);
    expect(await main(['keys', 'not-an-id'], { env: {}, print: () => {}, printError: (l) => err.push(l) })).toBe(2);
  });

  it('rotate-admin-token prints a new strong token and the roll-out steps, as a process', async () => {
    const run = runServer({}, [process.execPath, '--import', 'tsx', 'src/admin/run.ts', 'rotate-admin-token']);
    expect(await run.exit).toBe(0);
    expect(run.output()).toMatch(/^New admin token: [A-Za-z0-9_-]{43}\n/);
    expect(run.output()).toContain('ADMIN_TOKEN_PREVIOUS');
  });
});
