// A store of the test's own, for tests that break it on purpose (drop a table,
// drop the database): an in-memory PGlite, or on PostgreSQL a new database on
// the same server, dropped afterwards. The shared test database is never touched.
import crypto from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../../src/db/store.js';
import { onPostgres, testStoreUrl } from './gateway.js';

export interface PrivateStore {
  store: Store;
  url: string;
  /** Drops the PostgreSQL database (with its connections); closes the store. */
  destroy(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testStoreUrl() });
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

export async function openPrivateStore(): Promise<PrivateStore> {
  if (!onPostgres) {
    const store = await openStore({ kind: 'pglite', dataDir: null });
    await store.migrate();
    return { store, url: 'pglite:memory', destroy: () => store.close() };
  }
  const name = `hardening_private_${crypto.randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(testStoreUrl());
  url.pathname = `/${name}`;
  const store = await openStore({ kind: 'postgres', url: url.toString() }, { poolSize: 4 });
  await store.migrate();
  return {
    store,
    url: url.toString(),
    destroy: async () => {
      await store.close().catch(() => {});
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
