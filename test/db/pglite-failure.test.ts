// The embedded store after its files fail it (docs/store.md, A store whose
// files fail it): it takes no further statement and closes without touching
// PostgreSQL. The failure is a real one of PostgreSQL's: reading a file that
// is not there fails with SQLSTATE 58P01, as a missing file of the store does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, isStoreFailure } from '../../src/db/errors.js';
import { StoreFailedError } from '../../src/db/pglite-failure.js';
import { openStore } from '../../src/db/store.js';
import { issueApiKey } from '../../src/auth/api-keys.js';
import { createGateway } from '../../src/http/gateway.js';

describe('an embedded store whose files fail it', () => {
  it('is recognised by its SQLSTATE through Prisma, refuses every later statement at once, and closes', async () => {
    const store = await openStore({ kind: 'pglite', dataDir: null });
    await store.migrate();
    expect(store.failure()).toBeNull();
    const failed = await store.prisma.$queryRawUnsafe(`SELECT pg_read_file('/no/such/file/of/the/store')`).catch((error: unknown) => error);
    expect(isStoreFailure(failed)).toBe(true);
    expect(isDatabaseUnavailable(failed)).toBe(false);
    expect(store.failure()).toBeInstanceOf(StoreFailedError);
    expect(store.failure()!.message).toBe('the embedded store failed (could not open file "/no/such/file/of/the/store" for reading: No such file or directory)');
    expect(store.failure()!.filesLost).toBe(true);
    // A model query, a transaction and the maintainer's pass each meet the failure without running.
    await expect(store.prisma.workspace.count()).rejects.toThrow();
    await expect(store.prisma.$transaction(async (tx) => tx.workspace.count())).rejects.toThrow();
    await expect(store.maintain()).resolves.toBeUndefined();
    expect(await store.ping()).toBe(false);
    await store.close();
  });

  it('notices its folder removed before PostgreSQL needs a new file, and refuses the statements that would write into it', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'pglite-folder-gone-'));
    const dataDir = path.join(parent, 'store');
    const store = await openStore({ kind: 'pglite', dataDir });
    try {
      await store.migrate();
      const workspace = await store.prisma.workspace.create({ data: { name: 'before' } });
      const apiKey = await issueApiKey(store.prisma, workspace.id);
      const gateway = createGateway({ store, logger: { error: () => {} }, production: true, adminToken: null });
      const upsert = (email: string) =>
        gateway.fetch('http://gateway.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
          body: JSON.stringify({ query: `mutation { upsertContact(input: { email: "${email}" }) { created userErrors { code } } }` }),
        });
      expect(await (await upsert('before@gone.test')).json()).toEqual({ data: { upsertContact: { created: true, userErrors: [] } } });

      fs.rmSync(dataDir, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 250));
      // Answered as unavailable, not as done and not as a 500.
      const after = await upsert('after@gone.test');
      expect(after.status).toBe(503);
      expect(after.headers.get('retry-after')).not.toBeNull();
      const text = await after.text();
      expect(JSON.parse(text).errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
      expect(text).not.toMatch(/StoreFailedError|prisma|pglite|\/tmp/i);
      expect(store.failure()).toBeInstanceOf(StoreFailedError);
      expect(store.failure()!.message).toBe(`the embedded store failed (its folder ${dataDir} is gone)`);
      expect(store.failure()!.filesLost).toBe(true);
      await expect(store.prisma.workspace.count()).rejects.toThrow();
      expect(await store.ping()).toBe(false);
    } finally {
      await store.close();
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });

  it('a statement\'s own error (a value PostgreSQL cannot convert) is not a store failure', async () => {
    const store = await openStore({ kind: 'pglite', dataDir: null });
    await store.migrate();
    const bad = await store.prisma.$queryRawUnsafe(`SELECT 'x'::int`).catch((error: unknown) => error);
    expect(isStoreFailure(bad)).toBe(false);
    expect(store.failure()).toBeNull();
    expect(await store.ping()).toBe(true);
    await store.close();
  });
});
