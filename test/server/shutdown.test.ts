// Graceful shutdown (API.md Running it): on SIGTERM the real process
// stops accepting, finishes the request in flight (200, everything written),
// closes the store, and the PGlite folder reopens with the data. And every
// request whose bytes reached the server before the signal is answered, even
// when the event loop (busy with PGlite's SQL) had not read it yet: none is
// reset, on an idle keep-alive connection or on one the kernel had just accepted.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../support/process.js';
import { openStore } from '../../src/db/store.js';

const KEY_LINE = /API key \(shown once\): (cgw_\S+)/;
const BULK = 'mutation($inputs: [UpsertContactInput!]!) { upsertContacts(inputs: $inputs) { results { created userErrors { code } } userErrors { code } } }';

describe('SIGTERM finishes in-flight requests and closes the store', { timeout: 180_000 }, () => {
  it('a bulk upsert in flight when SIGTERM arrives completes with 200; new connections are refused; the folder reopens with every contact', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-shutdown-'));
    try {
      const server = await startServer({ DATABASE_URL: `pglite:${dir}` });
      const key = KEY_LINE.exec(server.output())![1]!;
      const inputs = Array.from({ length: 100 }, (_, i) => ({ email: `p${i}@shutdown.test`, firstName: `P${i}`, phones: [{ number: `+1202555${String(1000 + i)}` }] }));
      // The request's bytes are in the server's receive buffer, its response
      // still to come, when the signal is sent: it is in flight.
      const connection = await RawConnection.open(Number(new URL(server.url).port));
      const auth = { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` };
      const inFlight = (await connection.send('POST', '/graphql', auth, JSON.stringify({ query: BULK, variables: { inputs } }))).response;
      let answered = false;
      void inFlight.then(() => (answered = true), () => {});
      server.child.kill('SIGTERM');
      expect(answered, 'the bulk upsert was answered before the signal was sent').toBe(false);
      // Once the process has taken the signal (and accepted the connections the
      // kernel had queued before it), it accepts no new connection.
      while (!/SIGTERM: finishing/.test(server.output())) await new Promise((r) => setTimeout(r, 10));
      await expect.poll(() => connectOutcome(Number(new URL(server.url).port)), { timeout: 5_000 }).toBe('ECONNREFUSED');

      const response = await inFlight;
      connection.close();
      expect(response.status).toBe(200);
      const body = JSON.parse(response.body);
      expect(body.errors).toBeUndefined();
      expect(body.data.upsertContacts.results).toHaveLength(100);
      expect(body.data.upsertContacts.results.every((r: { created: boolean; userErrors: unknown[] }) => r.created && r.userErrors.length === 0)).toBe(true);
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

// A client of its own over one TCP connection, so that the test decides when
// each connection opens and when each request's bytes are written, and sees a
// reset as a reset.
class RawConnection {
  private buffer = Buffer.alloc(0);
  private waiting: { resolve: (r: RawResponse) => void; reject: (e: Error) => void } | null = null;
  private ended = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.settle();
    });
    socket.on('error', (error) => this.fail(error));
    socket.on('end', () => {
      this.ended = true;
      this.fail(new Error('connection ended before a complete response'));
    });
    socket.on('close', () => this.fail(new Error('connection closed before a complete response')));
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  /**
   * Writes one request; resolves once its bytes were handed to the kernel (on
   * loopback: once they are in the server's receive buffer), with the response
   * still to come.
   */
  send(method: string, target: string, headers: Record<string, string>, body = ''): Promise<{ response: Promise<RawResponse> }> {
    if (this.waiting !== null) throw new Error('one request at a time');
    const response = new Promise<RawResponse>((resolve, reject) => (this.waiting = { resolve, reject }));
    response.catch(() => {});
    const head = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', `Content-Length: ${Buffer.byteLength(body)}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    return new Promise((resolve, reject) => this.socket.write(`${head.join('\r\n')}\r\n\r\n${body}`, (error) => (error ? reject(error) : resolve({ response }))));
  }

  close() {
    this.socket.destroy();
  }

  private settle() {
    if (this.waiting === null) return;
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0) return;
    const [statusLine, ...lines] = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
    const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    let rest = this.buffer.subarray(end + 4);
    let body: Buffer;
    if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      if (rest.length < length) return;
      body = rest.subarray(0, length);
      rest = rest.subarray(length);
    } else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const parts: Buffer[] = [];
      for (;;) {
        const lineEnd = rest.indexOf('\r\n');
        if (lineEnd < 0) return;
        const size = parseInt(rest.subarray(0, lineEnd).toString('latin1'), 16);
        if (rest.length < lineEnd + 2 + size + 2) return;
        parts.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
        rest = rest.subarray(lineEnd + 2 + size + 2);
        if (size === 0) break;
      }
      body = Buffer.concat(parts);
    } else {
      if (!this.ended) return; // body until the end of the connection
      body = rest;
      rest = Buffer.alloc(0);
    }
    this.buffer = rest;
    const waiting = this.waiting;
    this.waiting = null;
    waiting.resolve({ status: Number(statusLine!.split(' ')[1]), headers, body: body.toString('utf8') });
  }

  private fail(error: Error) {
    this.settle();
    if (this.waiting === null) return;
    const waiting = this.waiting;
    this.waiting = null;
    waiting.reject(error);
  }
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** 'connected' (then closed at once) or the error code of a new TCP connection to the port. */
function connectOutcome(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

const CREATE = 'mutation($input: CreateContactInput!) { createContact(input: $input) { contact { id email } userErrors { code } } }';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SIGTERM serves every request whose bytes reached the server (none is reset, on an idle keep-alive connection or a new one)', { timeout: 60_000 }, () => {
  it('requests written on open keep-alive connections while the event loop is busy, just before SIGTERM, all get a complete 200 and are kept', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-shutdown-'));
    const connections: RawConnection[] = [];
    try {
      const server = await startServer({ DATABASE_URL: `pglite:${dir}` });
      const key = KEY_LINE.exec(server.output())![1]!;
      const port = Number(new URL(server.url).port);
      const auth = { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` };

      // Keep-alive connections the server has accepted and answered once, now idle.
      const warm = await Promise.all(Array.from({ length: 10 }, () => RawConnection.open(port)));
      connections.push(...warm);
      for (const c of warm) {
        const { response } = await c.send('GET', '/live', {});
        expect((await response).status).toBe(200);
      }
      const probe = await RawConnection.open(port);
      connections.push(probe);

      // The bulk upsert runs its SQL in the server's only thread (PGlite): the
      // event loop reads nothing for hundreds of milliseconds. Wait until a ping
      // on the probe connection goes unanswered: the server is busy.
      const bulk = await RawConnection.open(port);
      connections.push(bulk);
      const inputs = Array.from({ length: 100 }, (_, i) => ({ email: `b${i}@drain.test`, firstName: `B${i}`, phones: [{ number: `+1202555${String(1000 + i)}` }] }));
      const bulkResponse = (await bulk.send('POST', '/graphql', auth, JSON.stringify({ query: BULK, variables: { inputs } }))).response;
      let unanswered: Promise<RawResponse>;
      let pingAnswered = false;
      for (;;) {
        const ping = (await probe.send('GET', '/live', {})).response;
        const answered = await Promise.race([ping.then(() => true), sleep(60).then(() => false)]);
        if (!answered) {
          unanswered = ping;
          void ping.then(() => (pingAnswered = true));
          break;
        }
        await sleep(5);
      }

      // While it is busy: a createContact on each idle keep-alive connection,
      // and on as many new connections (accepted by the kernel, not yet by Node).
      const fresh = await Promise.all(Array.from({ length: 10 }, () => RawConnection.open(port)));
      connections.push(...fresh);
      const singles = await Promise.all(
        [...warm, ...fresh].map(async (c, i) => {
          const email = `s${i}@drain.test`;
          const { response } = await c.send('POST', '/graphql', auth, JSON.stringify({ query: CREATE, variables: { input: { email, firstName: `S${i}` } } }));
          return { email, response };
        }),
      );
      await sleep(30);
      // Every request above was sent, and the server has read none of them yet.
      expect(pingAnswered, 'the server answered the ping before SIGTERM: the scenario needs it busy').toBe(false);
      server.child.kill('SIGTERM');

      const outcomes = await Promise.all(singles.map(({ response }) => response.then((r) => r, (e: Error) => e)));
      const failed = outcomes.flatMap((o, i) =>
        o instanceof Error || o.status !== 200 ? [`${i < warm.length ? 'idle' : 'new'} connection ${i}: ${o instanceof Error ? o.message : `HTTP ${o.status}`}`] : [],
      );
      expect(failed, `${failed.length} of ${singles.length} sent requests got no 200`).toEqual([]);
      for (const [i, outcome] of (outcomes as RawResponse[]).entries()) {
        const body = JSON.parse(outcome.body);
        expect(body.errors).toBeUndefined();
        expect(body.data.createContact.userErrors).toEqual([]);
        expect(body.data.createContact.contact.email).toBe(singles[i]!.email);
        // A request on a new connection is read after the signal (Node reads
        // a connection from the turn after it accepts it; the signal is handled
        // last in its turn): answered with Connection: close, the server ends
        // the connection after it. (The idle connections' requests may be read,
        // and answered, in the turn that handles the signal, before it.)
        if (i >= warm.length) expect(outcome.headers.connection).toBe('close');
      }
      expect((await unanswered).status).toBe(200);
      const bulkResult = await bulkResponse;
      expect(bulkResult.status).toBe(200);
      expect(JSON.parse(bulkResult.body).data.upsertContacts.results.every((r: { created: boolean }) => r.created)).toBe(true);
      expect(await server.exit).toBe(0);
      expect(server.output()).toMatch(/Store closed/);

      // Everything acknowledged is in the folder.
      const reopened = await openStore({ kind: 'pglite', dataDir: dir });
      try {
        const stored = await reopened.prisma.email.findMany({ where: { address: { endsWith: '@drain.test' } }, select: { address: true } });
        const addresses = new Set(stored.map((e) => e.address));
        expect(singles.filter((s) => !addresses.has(s.email))).toEqual([]);
        expect(addresses.size).toBe(100 + singles.length);
      } finally {
        await reopened.close();
      }
    } finally {
      for (const c of connections) c.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

