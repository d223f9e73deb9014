// Automatic persisted queries (Apollo's protocol) and trusted documents
// (docs/operations.md, Persisted operations), with the key check and
// Idempotency-Key still in force.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestWorkspace } from '../support/gateway.js';
import { createGateway, type Gateway } from '../../src/http/gateway.js';
import { loadTrustedDocuments } from '../../src/http/persisted-operations.js';
import { ConfigError } from '../../src/config.js';

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');
const LIST = 'query Few { contacts(first: 2) { totalCount } }';
const CREATE = 'mutation Make { createContact(input: { firstName: "Persisted" }) { contact { id } } }';

const { t, ws } = useTestWorkspace({}, 'persisted');

async function send(gateway: Gateway, body: Record<string, unknown>, headers: Record<string, string> = { authorization: `Bearer ${ws.apiKey}` }) {
  const response = await gateway.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] } };
}

const byHash = (query: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } });

describe('automatic persisted queries (on by default)', () => {
  it('an unknown hash gets PERSISTED_QUERY_NOT_FOUND; after the query is sent once with it, the hash alone runs it', async () => {
    const first = await send(t.gateway, byHash(LIST));
    expect(first.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(first.status).toBeLessThan(500);
    const register = await send(t.gateway, { query: LIST, ...byHash(LIST) });
    expect(register.body.data.contacts.totalCount).toBe(0);
    const again = await send(t.gateway, byHash(LIST));
    expect(again.status).toBe(200);
    expect(again.body.data.contacts.totalCount).toBe(0);
  });

  it('a hash that is not the sha256 of the query sent with it is refused', async () => {
    const response = await send(t.gateway, { query: LIST, ...byHash('something else') });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_MISMATCH');
    expect(response.status).toBeLessThan(500);
  });

  it('still needs a key (401 without one)', async () => {
    expect((await send(t.gateway, byHash(LIST), {})).status).toBe(401);
  });

  it('a mutation sent by hash with an Idempotency-Key is written once and replayed', async () => {
    await send(t.gateway, { query: CREATE, ...byHash(CREATE) });
    const key = { authorization: `Bearer ${ws.apiKey}`, 'idempotency-key': 'apq-once' };
    const first = await send(t.gateway, byHash(CREATE), key);
    const retry = await send(t.gateway, byHash(CREATE), key);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    const other = await send(t.gateway, { ...byHash(CREATE), operationName: 'Make' }, key);
    expect(other.status).toBe(422);
  });
});

describe('trusted documents (TRUSTED_DOCUMENTS)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trusted-'));
  const manifest = path.join(dir, 'manifest.json');
  fs.writeFileSync(manifest, JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: sha256(LIST), name: 'Few', type: 'query', body: LIST }] }));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs the manifest operations by hash and refuses any other query', async () => {
    const gateway = createGateway({ store: t.store, adminToken: null, production: true, persistedOperations: { kind: 'trusted', documents: loadTrustedDocuments(manifest) } });
    const known = await send(gateway, byHash(LIST));
    expect(known.status).toBe(200);
    expect(known.body.data.contacts.totalCount).toBeGreaterThanOrEqual(0);
    const arbitrary = await send(gateway, { query: '{ contacts(first: 1) { totalCount } }' });
    expect(arbitrary.body.data ?? null).toBeNull();
    expect(arbitrary.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');
    expect(arbitrary.status).toBeLessThan(500);
    const unknown = await send(gateway, byHash(CREATE));
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    expect(unknown.status).toBe(400);
    expect((await send(gateway, byHash(LIST), {})).status).toBe(401);
  });

  it('refuses at start a manifest that is unreadable or whose hash does not match its query', () => {
    expect(() => loadTrustedDocuments(path.join(dir, 'missing.json'))).toThrow(ConfigError);
    const lying = path.join(dir, 'lying.json');
    fs.writeFileSync(lying, JSON.stringify({ [sha256(LIST)]: CREATE }));
    expect(() => loadTrustedDocuments(lying)).toThrow(/is not the sha256 of its query/);
  });
});
