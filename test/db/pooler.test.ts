// PostgreSQL behind a transaction pooler (PgBouncer, pool_mode = transaction),
// which hands a server connection to another client between transactions:
// statements are not prepared under names there, since a name prepared on one
// backend is missing, or already taken, on the next. CI runs the whole suite
// once more through PgBouncer with TEST_POOLER=transaction; directly, the
// server sees the gateway's own TCP port as its client's, and statements are named.
import { describe, expect, it } from 'vitest';
import { behindPooler, onPostgres, testStoreUrl } from '../support/gateway.js';
import { openStore, pgbouncerFlag } from '../../src/db/store.js';

describe('the pgbouncer=true flag of DATABASE_URL', () => {
  it('is read and taken off the URL the driver gets; other parameters stay', () => {
    expect(pgbouncerFlag('postgresql://u@h:6432/db?pgbouncer=true&sslmode=disable')).toEqual({ url: 'postgresql://u@h:6432/db?sslmode=disable', pooled: true });
    expect(pgbouncerFlag('postgresql://u@h:6432/db?pgbouncer=false')).toEqual({ url: 'postgresql://u@h:6432/db', pooled: false });
    expect(pgbouncerFlag('postgresql://u@h/db')).toEqual({ url: 'postgresql://u@h/db', pooled: false });
  });
});

describe.skipIf(!onPostgres)(`statement names on PostgreSQL (${behindPooler ? 'through a transaction pooler' : 'directly'})`, () => {
  it(`${behindPooler ? 'are off: the pooler is noticed at migrate()' : 'are on once migrate() has seen the connection reach the server itself'}; pgbouncer=true turns them off`, async () => {
    const store = await openStore({ kind: 'postgres', url: testStoreUrl() });
    const url = new URL(testStoreUrl());
    url.searchParams.set('pgbouncer', 'true');
    const flagged = await openStore({ kind: 'postgres', url: url.toString() });
    try {
      expect(store.namesStatements()).toBe(false);
      await store.migrate();
      expect(store.namesStatements()).toBe(!behindPooler);
      await flagged.migrate();
      expect(flagged.namesStatements()).toBe(false);
      // The same statements, again and again over a pool, hold either way.
      const counts = await Promise.all(Array.from({ length: 40 }, () => store.prisma.workspace.count()));
      expect(new Set(counts).size).toBe(1);
      expect(await flagged.prisma.workspace.count()).toBe(counts[0]);
    } finally {
      await Promise.all([store.close(), flagged.close()]);
    }
  });
});
