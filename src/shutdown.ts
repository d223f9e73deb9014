// Graceful shutdown of the HTTP server on SIGTERM/SIGINT: stop accepting
// without resetting a connection the kernel has completed, answer every
// request already sent (with Connection: close), close idle keep-alive
// connections only when none can hold an unread request, then run `closed`
// (which closes the store). After `graceMs` every connection is cut anyway.
import type { createServer, ServerResponse } from 'node:http';
import net from 'node:net';
import type { Logger } from './log.js';

/** Idle connections are closed only after a turn of the event loop at most this long (see idleConnectionCloser). */
const IDLE_CLOSE_MAX_POLL_MS = 2;

export interface Drain {
  /** True from the signal on. */
  readonly stopping: boolean;
  /** Called for each response as its request arrives: while draining it says Connection: close. */
  admit(response: ServerResponse): void;
  stop(signal: string): void;
}

type HttpServer = ReturnType<typeof createServer>;

/** How many connections the server has accepted so far, counted from this call. */
function connectionCounter(server: HttpServer): () => number {
  let accepted = 0;
  server.on('connection', () => accepted++);
  return () => accepted;
}

/**
 * Stops accepting new connections without resetting those the kernel has
 * already completed: Node (libuv 1.46) accepts one connection per turn of the
 * event loop, and closing the listening socket resets the ones still queued,
 * whose clients are connected and may have sent their request. So the
 * listener is closed after a turn whose poll, begun after the signal, accepted
 * nothing: the queue was empty then. Clients that keep connecting hold it open
 * until SHUTDOWN_GRACE_SECONDS, when every connection is cut anyway.
 */
function stopAccepting(server: HttpServer, accepted: () => number, graceMs: number, then: () => void): void {
  // Bounded by the grace period only: on PGlite a turn of the loop can take
  // seconds under load (the SQL runs in this thread), and a 1 s cap reset
  // requests already sent (18 of 60 under load).
  const deadline = performance.now() + graceMs;
  let seen = -1;
  const check = () => {
    if (!server.listening) return;
    if (accepted() !== seen && performance.now() < deadline) {
      seen = accepted();
      setImmediate(check);
      return;
    }
    // Not http.Server#close: that also destroys, there and then, every
    // connection that looks idle, and so every connection whose request the
    // kernel holds but Node has not read yet.
    net.Server.prototype.close.call(server);
    then();
  };
  setImmediate(check);
}

/**
 * Closes the keep-alive connections that are idle (no request being read or
 * answered), but only in a check phase right after a short poll phase: that
 * poll has just read whatever was waiting in the sockets, so a connection that
 * looks idle has no request unread in its receive buffer, unless the bytes
 * came in the last IDLE_CLOSE_MAX_POLL_MS. From a timer, or after a long poll
 * (PGlite runs SQL in this thread), a connection whose request the kernel
 * holds but Node has not read yet would look idle, and be reset.
 */
function idleConnectionCloser(server: HttpServer): () => void {
  let idleClosePending = false;
  return () => {
    if (idleClosePending) return;
    idleClosePending = true;
    let since = performance.now();
    const check = () => {
      const now = performance.now();
      if (now - since > IDLE_CLOSE_MAX_POLL_MS) {
        since = now;
        setImmediate(check);
        return;
      }
      idleClosePending = false;
      server.closeIdleConnections();
    };
    setImmediate(check);
  };
}

export function drainOnSignal(server: HttpServer, options: { graceMs: number; log: Logger; closed: () => Promise<void> }): Drain {
  const { graceMs, log } = options;
  let stopping = false;
  // Responses not finished yet, so that the signal can mark them Connection: close.
  const pendingResponses = new Set<ServerResponse>();
  function forgetResponse(this: ServerResponse) {
    pendingResponses.delete(this);
  }
  const accepted = connectionCounter(server);
  const closeIdleAfterPoll = idleConnectionCloser(server);

  return {
    get stopping() {
      return stopping;
    },
    admit(response) {
      // While draining, every response says Connection: close and Node ends its
      // keep-alive connection after it, so the client sends nothing more there.
      if (stopping) response.shouldKeepAlive = false;
      else {
        pendingResponses.add(response);
        response.once('close', forgetResponse);
      }
    },
    stop(signal) {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, `${signal}: finishing in-flight requests`);
      for (const response of pendingResponses) if (!response.headersSent) response.shouldKeepAlive = false;
      let idleSweep: NodeJS.Timeout | undefined;
      server.once('close', async () => {
        clearInterval(idleSweep);
        // Only now, with no request left, is the store closed: everything that
        // was acknowledged is committed, and PGlite leaves its folder consistent.
        await options.closed();
      });
      stopAccepting(server, accepted, graceMs, () => {
        // Connections idle at the signal end now; the others after their response
        // (Connection: close), or in a later sweep if the client keeps them open.
        closeIdleAfterPoll();
        idleSweep = setInterval(closeIdleAfterPoll, 100);
      });
      // A client that never finishes its request cannot hold the shutdown forever.
      setTimeout(() => {
        log.error(`Requests still running after ${graceMs / 1000} s: closing their connections.`);
        if (server.listening) net.Server.prototype.close.call(server);
        server.closeAllConnections();
      }, graceMs).unref();
    },
  };
}
