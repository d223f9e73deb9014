// A streaming read replica (DATABASE_REPLICA_URL): two gateway processes on a
// primary and its hot standby, both started by the test. Lag is injected by
// pausing replay on the standby (pg_wal_replay_pause). Plain reads are served
// by the replica; mutations and their payloads by the primary; a workspace
// reads its own writes through the gateway that wrote them, and through
// another one with the Consistency-Token the write returned; the change feed
// gives each change once whatever the replica has replayed; a replica that
// goes away leaves reads served by the primary.
//
// Runs wherever the test may start PostgreSQL clusters of its own (root and
// the PostgreSQL binaries), on the PGlite and the direct PostgreSQL runs; not
// again behind PgBouncer, which it does not use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { behindPooler } from '../support/gateway.js';
import { canRunOwnPostgres, startOwnReplicaPair, type OwnReplicaPair } from '../support/own-replica.js';
import { runServer, startServer, type GatewayProcess } from '../support/process.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { formatLogPosition, parseLogPosition } from '../../src/db/read-replica.js';

const ADMIN = 'replica-test-admin-token-0123';
const skipReason = !canRunOwnPostgres ? ' (skipped: needs root and the PostgreSQL binaries to start its own primary and standby)' : behindPooler ? ' (skipped behind PgBouncer: it runs on the direct runs)' : '';

let pair: OwnReplicaPair;
/** `writer` writes; `reader` is another gateway, which sees none of those writes itself. */
let writer: GatewayProcess;
let reader: GatewayProcess;
let apiKey: string;
let contactId: string;

interface Answer {
  status: number;
  body: any;
  text: string;
  token: string | null;
  replayed: string | null;
}

async function gql(server: GatewayProcess, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}, key = apiKey): Promise<Answer> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text), text, token: response.headers.get('consistency-token'), replayed: response.headers.get('idempotent-replayed') };
}

const CONTACT = 'query($id: ID!) { contact(id: $id) { firstName lastName version } }';
const UPDATE = 'mutation($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { contact { firstName lastName version } userErrors { code } } }';
const FEED = 'query($after: String, $first: Int, $before: String, $last: Int) { contactChanges(after: $after, first: $first, before: $before, last: $last) { edges { cursor node { contactId kind changedFields } } pageInfo { endCursor startCursor hasNextPage } } }';

async function feed(server: GatewayProcess, args: Record<string, unknown>, headers: Record<string, string> = {}) {
  const answer = await gql(server, FEED, args, headers);
  expect(answer.status, answer.text).toBe(200);
  expect(answer.body.errors, answer.text).toBeUndefined();
  return answer.body.data.contactChanges as { edges: { cursor: string; node: { contactId: string; kind: string; changedFields: string[] } }[]; pageInfo: { endCursor: string | null; startCursor: string | null; hasNextPage: boolean } };
}

async function rename(server: GatewayProcess, lastName: string) {
  const answer = await gql(server, UPDATE, { id: contactId, input: { lastName } });
  expect(answer.status, answer.text).toBe(200);
  expect(answer.body.data.updateContact.userErrors).toEqual([]);
  return answer;
}

/** The whole feed through `server`, page by page, as "kind:lastName-free" keys of the edges' cursors. */
async function wholeFeed(server: GatewayProcess): Promise<string[]> {
  const cursors: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await feed(server, { after, first: 3 });
    cursors.push(...page.edges.map((e) => e.cursor));
    if (!page.pageInfo.hasNextPage) return cursors;
    after = page.pageInfo.endCursor;
  }
}

/** The `reads` field of a gateway's request-log lines for one request id, once the line is written (logs are written asynchronously). */
async function logged(server: GatewayProcess, requestId: string): Promise<unknown[]> {
  const lines = () => server.output().split('\n').filter((l) => l.includes(`"requestId":"${requestId}"`));
  for (let waited = 0; lines().length === 0 && waited < 5_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
  return lines().map((l) => JSON.parse(l).reads);
}

describe('DATABASE_REPLICA_URL and log positions', () => {
  it('is read beside a PostgreSQL DATABASE_URL only, and must be a postgresql:// URL', () => {
    const primary = 'postgresql://app@db:5432/contacts';
    expect(loadConfig({ DATABASE_URL: primary }).replicaUrl).toBeNull();
    expect(loadConfig({ DATABASE_URL: primary, DATABASE_REPLICA_URL: ' postgresql://ro@db-ro:5432/contacts ' }).replicaUrl).toBe('postgresql://ro@db-ro:5432/contacts');
    expect(() => loadConfig({ DATABASE_URL: primary, DATABASE_REPLICA_URL: 'mysql://x' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: primary, DATABASE_REPLICA_URL: 'postgresql://[bad' })).toThrow(/DATABASE_REPLICA_URL: is not a valid/);
    expect(() => loadConfig({ DATABASE_URL: 'pglite:memory', DATABASE_REPLICA_URL: 'postgresql://ro@db-ro/contacts' })).toThrow(/DATABASE_REPLICA_URL: needs DATABASE_URL/);
  });

  it('compares positions as PostgreSQL prints them, and refuses any other text', () => {
    expect(parseLogPosition('16/B374D848')).toBe((0x16n << 32n) | 0xb374d848n);
    expect(formatLogPosition(parseLogPosition('16/B374D848')!)).toBe('16/B374D848');
    expect(parseLogPosition('0/10')! < parseLogPosition('1/0')!).toBe(true);
    for (const bad of ['', '16', '16/', 'G/1', '1/2/3', '123456789/0', "0/0'"]) expect(parseLogPosition(bad)).toBeNull();
  });
});

describe.skipIf(skipReason !== '')(`a streaming read replica${skipReason}`, { timeout: 120_000 }, () => {
  beforeAll(async () => {
    pair = await startOwnReplicaPair();
    const env = { DATABASE_URL: pair.primaryUrl, DATABASE_REPLICA_URL: pair.replicaUrl, NODE_ENV: 'production', ADMIN_TOKEN: ADMIN, DATABASE_POOL_SIZE: '4' };
    [writer, reader] = await Promise.all([startServer(env), startServer(env)]);
    const created = await gql(writer, 'mutation { createWorkspace(name: "replica") { apiKey } }', {}, {}, ADMIN);
    apiKey = created.body.data.createWorkspace.apiKey;
    const contact = await gql(writer, 'mutation { createContact(input: { firstName: "Ada", lastName: "One" }) { contact { id } userErrors { code } } }');
    contactId = contact.body.data.createContact.contact.id;
    await pair.caughtUp();
  });
  afterAll(async () => {
    for (const server of [writer, reader]) server?.child.kill('SIGTERM');
    await Promise.all([writer, reader].map((s) => s?.exit));
    await pair?.destroy();
  });

  it('says at start that reads go to the replica, and refuses to start on a "replica" that is not a standby', async () => {
    expect(writer.output()).toMatch(/Reads go to the replica at 127\.0\.0\.1:\d+/);
    const wrong = runServer({ DATABASE_URL: pair.primaryUrl, DATABASE_REPLICA_URL: pair.primaryUrl, NODE_ENV: 'production', ADMIN_TOKEN: ADMIN });
    expect(await wrong.exit).toBe(1);
    expect(wrong.stderr().trim()).toMatch(/^Start failed: the read replica at 127\.0\.0\.1:\d+ is not a standby \(pg_is_in_recovery\(\) is false\)\. Fix: /);
  });

  it('serves a plain read from the replica: a row written on the primary while replay is paused is not seen, until it is replayed', async () => {
    await pair.pauseReplay();
    try {
      const [row] = await pair.onPrimary<{ id: string }>(`UPDATE "Contact" SET "firstName" = 'Direct' WHERE "firstName" = 'Ada' RETURNING id`);
      expect(row).toBeDefined();
      const stale = await gql(reader, CONTACT, { id: contactId }, { 'x-request-id': 'replica-stale-read' });
      expect(stale.body).toEqual({ data: { contact: { firstName: 'Ada', lastName: 'One', version: 1 } } });
      // Read-Consistency: strong reads the primary.
      const strong = await gql(reader, CONTACT, { id: contactId }, { 'read-consistency': 'strong', 'x-request-id': 'replica-strong-read' });
      expect(strong.body.data.contact.firstName).toBe('Direct');
      // The request log says where each read went.
      expect(await logged(reader, 'replica-stale-read')).toEqual(['replica']);
      expect(await logged(reader, 'replica-strong-read')).toEqual(['primary']);
    } finally {
      await pair.resumeReplay();
    }
    await pair.caughtUp();
    expect((await gql(reader, CONTACT, { id: contactId })).body.data.contact.firstName).toBe('Direct');
  });

  it('runs a mutation and its payload on the primary, and the writer reads its own write under paused replay; another gateway reads it with the token', async () => {
    await pair.pauseReplay();
    try {
      // The primary has a row the replica has not replayed: the payload shows it.
      await pair.onPrimary(`UPDATE "Contact" SET "firstName" = 'Primary' WHERE "firstName" = 'Direct'`);
      const written = await rename(writer, 'Two');
      expect(written.body.data.updateContact.contact).toEqual({ firstName: 'Primary', lastName: 'Two', version: 2 });
      expect(written.token).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
      // The same workspace through the gateway that wrote: its own write.
      expect((await gql(writer, CONTACT, { id: contactId })).body.data.contact).toEqual({ firstName: 'Primary', lastName: 'Two', version: 2 });
      // Another gateway without the token reads the replica, which is behind ...
      expect((await gql(reader, CONTACT, { id: contactId })).body.data.contact).toEqual({ firstName: 'Direct', lastName: 'One', version: 1 });
      // ... and with it, the write.
      const withToken = await gql(reader, CONTACT, { id: contactId }, { 'consistency-token': written.token! });
      expect(withToken.body.data.contact).toEqual({ firstName: 'Primary', lastName: 'Two', version: 2 });
    } finally {
      await pair.resumeReplay();
    }
    await pair.caughtUp();
    // Replayed: the token is met by the replica as well.
    expect((await gql(reader, CONTACT, { id: contactId })).body.data.contact.lastName).toBe('Two');
  });

  it('gives a replayed Idempotency-Key response a Consistency-Token too', async () => {
    const send = () => gql(writer, 'mutation { createCompany(input: { name: "Keyed Co" }) { company { id } userErrors { code } } }', {}, { 'idempotency-key': 'replica-keyed' });
    const first = await send();
    const replay = await send();
    expect(first.text).toBe(replay.text);
    expect([first.replayed, replay.replayed]).toEqual([null, 'true']);
    expect(first.token).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    expect(replay.token).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
  });

  it('refuses a malformed Read-Consistency or Consistency-Token with 400, no stack or SQL', async () => {
    const badLevel = await gql(reader, CONTACT, { id: contactId }, { 'read-consistency': 'eventual-ish' });
    const badToken = await gql(reader, CONTACT, { id: contactId }, { 'consistency-token': "0/0'; DROP TABLE x" });
    // A keyed request's body is read by the idempotency plugin first: its headers are checked all the same.
    const keyed = await gql(reader, CONTACT, { id: contactId }, { 'read-consistency': 'eventual-ish', 'idempotency-key': 'keyed-bad-level' });
    for (const answer of [badLevel, badToken, keyed]) {
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].extensions.code).toBe('BAD_REQUEST');
      expect(answer.text).not.toMatch(/stack|prisma|SELECT|pg_/i);
    }
  });

  it('gives each change of the feed once while the replica lags behind a cursor, forwards and backwards', async () => {
    await pair.caughtUp();
    const before = await wholeFeed(reader);
    expect(before.length).toBeGreaterThanOrEqual(1);
    const start = before.at(-1)!;
    await pair.pauseReplay();
    let seen: string[];
    let backwards: string[];
    try {
      for (const name of ['F1', 'F2', 'F3']) await rename(writer, name);
      // The reader's replica has the cursor's entry but none after it: an empty page, the place kept.
      const lagging = await feed(reader, { after: start, first: 10 });
      expect(lagging.edges).toEqual([]);
      expect(lagging.pageInfo.endCursor).toBe(start);
      // The writer reads its own changes (the primary).
      const own = await feed(writer, { after: start, first: 10 });
      expect(own.edges.map((e) => e.node.kind)).toEqual(['UPDATED', 'UPDATED', 'UPDATED']);
      const mid = own.pageInfo.endCursor!;
      // A cursor the replica has not replayed: read where it was made, neither skipped nor repeated.
      for (const name of ['F4', 'F5']) await rename(writer, name);
      const next = await feed(reader, { after: mid, first: 10 });
      expect(next.edges).toHaveLength(2);
      backwards = (await feed(reader, { before: mid, last: 2 })).edges.map((e) => e.cursor);
      seen = [...before, ...own.edges.map((e) => e.cursor), ...next.edges.map((e) => e.cursor)];
      expect(backwards).toEqual(own.edges.slice(0, 2).map((e) => e.cursor));
    } finally {
      await pair.resumeReplay();
    }
    await pair.caughtUp();
    const after = await wholeFeed(reader);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(after);
  });

  it('when the replica goes away, reads are served by the primary and writes go on: no 500, no SQL text', async () => {
    await pair.stopReplica();
    const read = await gql(reader, CONTACT, { id: contactId });
    expect(read.status, read.text).toBe(200);
    expect(read.body).toEqual({ data: { contact: { firstName: 'Primary', lastName: 'F5', version: 7 } } });
    const written = await rename(writer, 'Gone');
    expect(written.body.data.updateContact.contact.lastName).toBe('Gone');
    const again = await gql(reader, CONTACT, { id: contactId });
    expect(again.body.data.contact.lastName).toBe('Gone');
    const page = await gql(reader, '{ contacts(first: 5) { totalCount } }');
    expect(page.body).toEqual({ data: { contacts: { totalCount: 1 } } });
    const health = await fetch(`${reader.url}/health`);
    expect(health.status).toBe(200);
    // A gateway started while the replica is away starts, says so, and reads from the primary.
    const late = await startServer({ DATABASE_URL: pair.primaryUrl, DATABASE_REPLICA_URL: pair.replicaUrl, NODE_ENV: 'production', ADMIN_TOKEN: ADMIN });
    try {
      expect(late.output()).toMatch(/the read replica at 127\.0\.0\.1:\d+ does not answer; reads go to the primary until it does/);
      const read = await gql(late, CONTACT, { id: contactId });
      expect(read.body).toEqual({ data: { contact: { firstName: 'Primary', lastName: 'Gone', version: 8 } } });
    } finally {
      late.child.kill('SIGTERM');
      await late.exit;
    }
  });
});
