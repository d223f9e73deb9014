// Graceful shutdown (issue 5, API.md Running it): on SIGTERM the real process
// stops accepting, finishes the request in flight (200, everything written),
// closes the store, and the PGlite folder reopens with the data.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from './support/process.js';
import { openStore } from '../src/db/store.js';

const KEY_LINE = /API key \(shown once\): (cgw_\S+)/;
const BULK = 'mutation($inputs: [UpsertContactInput!]!) { upsertContacts(inputs: $inputs) { results { created userErrors { code } } userErrors { code } } }';

describe('SIGTERM finishes in-flight requests and closes the store (issue 5)', { timeout: 180_000 }, () => {
  it('a bulk upsert in flight when SIGTERM arrives completes with 200; new connections are refused; the folder reopens with every contact', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-shutdown-'));
    try {
      const server = await startServer({ DATABASE_URL: `pglite:${dir}` });
      const key = KEY_LINE.exec(server.output())![1]!;
      const inputs = Array.from({ length: 100 }, (_, i) => ({ email: `p${i}@shutdown.test`, firstName: `P${i}`, phones: [{ number: `+1202555${String(1000 + i)}` }] }));
      const started = Date.now();
      const inFlight = fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: BULK, variables: { inputs } }),
      }).then(async (r) => ({ status: r.status, body: await r.json(), at: Date.now() }));
      await new Promise((r) => setTimeout(r, 300));
      server.child.kill('SIGTERM');
      const signalledAt = Date.now();
      // Once the process has taken the signal, it accepts no new connection.
      while (!/SIGTERM: finishing/.test(server.output())) await new Promise((r) => setTimeout(r, 10));
      const late = await fetch(`${server.url}/live`).then((r) => r.status, (e: Error) => e.message);
      expect(late).not.toBe(200);

      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data.upsertContacts.results).toHaveLength(100);
      expect(response.body.data.upsertContacts.results.every((r: { created: boolean; userErrors: unknown[] }) => r.created && r.userErrors.length === 0)).toBe(true);
      // It was really in flight: it finished after the signal.
      expect(response.at).toBeGreaterThan(signalledAt);
      expect(signalledAt - started).toBeLessThan(response.at - started);
      expect(await server.exit).toBe(0);
      expect(server.output()).toMatch(/Store closed/);

      const reopened = await openStore({ kind: 'pglite', dataDir: dir });
      try {
        expect(await reopened.prisma.contact.count({ where: { emails: { some: { address: { endsWith: '@shutdown.test' } } } } })).toBe(100);
        expect(await reopened.prisma.phone.count()).toBe(100);
      } finally {
        await reopened.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
