import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { onPostgres, testStoreUrl } from '../support/gateway.js';
import { runServer, startServer } from '../support/process.js';
import { openStore } from '../../src/db/store.js';
import { issueApiKey } from '../../src/auth/api-keys.js';

const KEY_LINE = /API key \(shown once\): (cgw_\S+)/;

async function post(url: string, key: string, query: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: await response.json() };
}

// Each start compiles TypeScript and opens a store: slow on a loaded 2-core machine.
describe('the gateway process (API.md, Running it)', { timeout: 180_000 }, () => {
  it('on the embedded store, a start releases the Idempotency-Keys left pending by a process that died', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-orphan-keys-'));
    try {
      const store = await openStore({ kind: 'pglite', dataDir: dir });
      await store.migrate();
      const workspace = await store.prisma.workspace.create({ data: { name: 'orphans' } });
      const apiKey = await issueApiKey(store.prisma, workspace.id);
      // As a request leaves it when its process is killed mid-mutation.
      await store.prisma.$executeRaw`INSERT INTO "IdempotentRequest" ("workspaceId", "key", "bodyHash", "status", "response") VALUES (${workspace.id}::uuid, 'orphan', 'x', 0, '')`;
      await store.close();

      const server = await startServer({ DATABASE_URL: `pglite:${dir}`, NODE_ENV: 'production', ADMIN_TOKEN: 'orphan-admin-token-0123456789' });
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, 'idempotency-key': 'orphan' },
        body: JSON.stringify({ query: 'mutation { createContact(input: { firstName: "Again" }) { contact { firstName } } }' }),
      });
      expect(response.status).toBe(200);
      expect((await response.json()).data.createContact.contact.firstName).toBe('Again');
      server.child.kill('SIGTERM');
      expect(await server.exit).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on a first start creates the default workspace, prints its key once, pre-fills GraphiQL, and stops on SIGTERM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-first-start-'));
    try {
      const server = await startServer({ DATABASE_URL: `pglite:${dir}` });
      const key = KEY_LINE.exec(server.output())?.[1];
      expect(key).toBeDefined();
      expect((await post(server.url, key!, '{ __typename }')).status).toBe(200);
      const html = await (await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } })).text();
      expect(html).toContain(key);
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
      server.child.kill('SIGTERM');
      expect(await server.exit).toBe(0);

      // A second start finds the workspace: no new key is printed, the old one works.
      const again = await startServer({ DATABASE_URL: `pglite:${dir}` });
      expect(again.output()).not.toMatch(KEY_LINE);
      expect((await post(again.url, key!, '{ __typename }')).status).toBe(200);
      again.child.kill('SIGTERM');
      expect(await again.exit).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('`npm start` passes SIGTERM on to the gateway, which closes the store and exits', async () => {
    const server = await startServer({ DATABASE_URL: 'pglite:memory' }, 90_000, ['npm', 'start', '--silent']);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exit).toBe(0);
    await expect.poll(() => server.output(), { timeout: 20_000 }).toContain('Store closed.');
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });

  it('creates no default workspace in production', async () => {
    const server = await startServer({ DATABASE_URL: 'pglite:memory', NODE_ENV: 'production' });
    expect(server.output()).not.toMatch(KEY_LINE);
    server.child.kill('SIGTERM');
    expect(await server.exit).toBe(0);
  });

  it('refuses to start on a bad setting, with one line naming the variable', async () => {
    const run = runServer({ PORT: 'eighty', DATABASE_URL: 'pglite:memory' });
    expect(await run.exit).toBe(1);
    expect(run.output().trim()).toBe('Configuration error: PORT: must be a whole number, got "eighty"');
  });

  it.skipIf(!onPostgres)('serves from a PostgreSQL server named by DATABASE_URL', async () => {
    const server = await startServer({ DATABASE_URL: testStoreUrl(), NODE_ENV: 'production', ADMIN_TOKEN: 'process-admin-token-123456' });
    const response = await post(server.url, 'process-admin-token-123456', 'mutation { createWorkspace(name: "pg") { apiKey } }');
    expect(response.body.data.createWorkspace.apiKey).toMatch(/^cgw_/);
    server.child.kill('SIGTERM');
    expect(await server.exit).toBe(0);
  });
});
