// Starts the gateway: reads the configuration, opens and migrates the store,
// listens, and stops cleanly on SIGTERM/SIGINT.
import { createServer, type ServerResponse } from 'node:http';
import net from 'node:net';
import { loadConfig, type Config } from './config.js';
import { explainStartFailure, ListenError } from './start-errors.js';
import { openStore } from './db/store.js';
import { createGateway } from './http/gateway.js';
import { releaseOrphanedKeys } from './http/idempotency.js';
import { ensureDevWorkspace, firstKeyLine } from './workspaces/bootstrap.js';
import { createLogger } from './log.js';
import { startTracing, tracingSettings } from './tracing.js';
import { loadTrustedDocuments, type PersistedOperations } from './http/persisted-operations.js';

/** Idle connections are closed only after a turn of the event loop at most this long (see closeIdleAfterPoll). */
const IDLE_CLOSE_MAX_POLL_MS = 2;

/** Set once read, so that a failed start can name the store in its message. */
let startedWith: Config | null = null;

/** Listens on the port, or fails with a ListenError (port in use, no permission). */
function listen(server: ReturnType<typeof createServer>, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => reject(new ListenError(port, error.code, error));
    server.once('error', failed);
    server.listen(port, () => {
      server.off('error', failed);
      resolve();
    });
  });
}

async function main() {
  const config = loadConfig();
  startedWith = config;
  const persistedOperations: PersistedOperations =
    config.trustedDocuments !== null ? { kind: 'trusted', documents: loadTrustedDocuments(config.trustedDocuments) } : { kind: config.apq ? 'apq' : 'off' };
  const log = await createLogger({ level: config.logLevel, format: config.logFormat });

  for (const warning of config.warnings) log.warn(`Warning: ${warning}`);

  const store = await openStore(config.store, { poolSize: config.poolSize });
  const report = await store.migrate();
  if (report.applied.length > 0) log.info({ migrations: report.applied }, `Applied migrations: ${report.applied.join(', ')}`);
  for (const name of report.modified) log.warn({ migration: name }, `Warning: migration ${name} was changed after it was applied.`);
  // The embedded store is this process' alone: a key pending now died with its process.
  if (store.kind === 'pglite') await releaseOrphanedKeys(store.prisma);

  let graphiqlApiKey: string | null = null;
  if (!config.production) {
    const created = await ensureDevWorkspace(store.prisma);
    if (created !== null) {
      graphiqlApiKey = created.apiKey;
      // A plain line on stdout whatever LOG_LEVEL and LOG_FORMAT say: it is
      // shown this once, never stored in clear, and kept out of log pipelines.
      process.stdout.write(`${firstKeyLine(created.apiKey)}\n`);
    }
  } else if (config.adminToken === null && (await store.prisma.workspace.count()) === 0) {
    log.warn('Warning: no workspace exists and ADMIN_TOKEN is not set, so none can be created: every request will get 401.');
  }

  const tracingWanted = tracingSettings(process.env);
  const tracing = tracingWanted === null ? null : await startTracing(tracingWanted);
  if (tracingWanted !== null) log.info({ endpoint: tracingWanted.endpoint }, `Tracing to ${tracingWanted.endpoint}`);

  let stopping = false;
  const gateway = createGateway({
    store,
    adminToken: config.adminToken,
    previousAdminToken: config.previousAdminToken,
    production: config.production,
    graphiqlApiKey,
    limits: config.limits,
    rateLimit: config.rateLimit,
    introspection: config.introspection,
    graphiql: config.graphiql,
    logger: { error: (message) => log.error(message) },
    requestLog: config.logFormat === 'off' ? undefined : (line) => log.info(line, 'request'),
    draining: () => stopping,
    apiKeyCacheMs: config.apiKeyCacheMs,
    metricsToken: config.metricsToken,
    tracing: tracing?.plugin ?? null,
    persistedOperations,
    corsOrigins: config.corsOrigins,
    cursorSecret: config.cursorSecret,
  });
  // Responses not finished yet, so that SIGTERM can mark them Connection: close.
  const pendingResponses = new Set<ServerResponse>();
  function forgetResponse(this: ServerResponse) {
    pendingResponses.delete(this);
  }
  const server = createServer((request, response) => {
    // While draining, every response says Connection: close and Node ends its
    // keep-alive connection after it, so the client sends nothing more there.
    if (stopping) response.shouldKeepAlive = false;
    else {
      pendingResponses.add(response);
      response.once('close', forgetResponse);
    }
    void gateway(request, response);
  });
  try {
    await listen(server, config.port);
  } catch (error) {
    await store.close();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  log.info({ port, store: store.kind }, `Contacts gateway on http://localhost:${port}/graphql (store: ${store.kind})`);

  let accepted = 0;
  server.on('connection', () => accepted++);

  // Stop accepting new connections without resetting those the kernel has
  // already completed: Node (libuv 1.46) accepts one connection per turn of the
  // event loop, and closing the listening socket resets the ones still queued,
  // whose clients are connected and may have sent their request. So the
  // listener is closed after a turn whose poll, begun after the signal, accepted
  // nothing: the queue was empty then. Clients that keep connecting hold it open
  // until SHUTDOWN_GRACE_SECONDS, when every connection is cut anyway.
  const stopAccepting = (then: () => void) => {
    // Bounded by the grace period only: on PGlite a turn of the loop can take
    // seconds under load (the SQL runs in this thread), and a 1 s cap reset
    // requests already sent (18 of 60 under load).
    const deadline = performance.now() + config.shutdownGraceMs;
    let seen = -1;
    const check = () => {
      if (!server.listening) return;
      if (accepted !== seen && performance.now() < deadline) {
        seen = accepted;
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
  };

  // Closes the keep-alive connections that are idle (no request being read or
  // answered), but only in a check phase right after a short poll phase: that
  // poll has just read whatever was waiting in the sockets, so a connection that
  // looks idle has no request unread in its receive buffer, unless the bytes
  // came in the last IDLE_CLOSE_MAX_POLL_MS. From a timer, or after a long poll
  // (PGlite runs SQL in this thread), a connection whose request the kernel
  // holds but Node has not read yet would look idle, and be reset.
  let idleClosePending = false;
  const closeIdleAfterPoll = () => {
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

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, `${signal}: finishing in-flight requests`);
    for (const response of pendingResponses) if (!response.headersSent) response.shouldKeepAlive = false;
    let idleSweep: NodeJS.Timeout | undefined;
    server.once('close', async () => {
      clearInterval(idleSweep);
      // Only now, with no request left, is the store closed: everything that
      // was acknowledged is committed, and PGlite leaves its folder consistent.
      await store.close();
      await tracing?.shutdown().catch(() => {});
      log.info('Store closed. Bye.');
      process.exit(0);
    });
    stopAccepting(() => {
      // Connections idle at the signal end now; the others after their response
      // (Connection: close), or in a later sweep if the client keeps them open.
      closeIdleAfterPoll();
      idleSweep = setInterval(closeIdleAfterPoll, 100);
    });
    // A client that never finishes its request cannot hold the shutdown forever.
    setTimeout(() => {
      log.error(`Requests still running after ${config.shutdownGraceMs / 1000} s: closing their connections.`);
      if (server.listening) net.Server.prototype.close.call(server);
      server.closeAllConnections();
    }, config.shutdownGraceMs).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(explainStartFailure(error, startedWith));
  process.exit(1);
});
