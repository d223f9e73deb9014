// Starts the gateway: reads the configuration, opens and migrates the store,
// listens, and stops cleanly on SIGTERM/SIGINT.
import { createServer } from 'node:http';
import { loadConfig, type Config } from './config.js';
import { explainStartFailure, ListenError, ReplicaNotStandbyError } from './start-errors.js';
import { describeServer } from './db/errors.js';
import { openStore, type Store } from './db/store.js';
import { createGateway } from './http/gateway.js';
import { releaseOrphanedKeys } from './http/idempotency.js';
import { ensureDevWorkspace, firstKeyLine } from './workspaces/bootstrap.js';
import { createLogger, type Logger } from './log.js';
import { drainOnSignal } from './shutdown.js';
import { startTracing, tracingSettings } from './tracing.js';
import { loadTrustedDocuments, type PersistedOperations } from './http/persisted-operations.js';

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

/** The store, opened and migrated, with what the migration did logged. */
async function openMigratedStore(config: Config, log: Logger): Promise<Store> {
  const store = await openStore(config.store, { poolSize: config.poolSize, replicaUrl: config.replicaUrl });
  const report = await store.migrate();
  if (store.replica !== null && config.replicaUrl !== null) await checkReplica(store, config.replicaUrl, log);
  if (report.applied.length > 0) log.info({ migrations: report.applied }, `Applied migrations: ${report.applied.join(', ')}`);
  for (const name of report.modified) log.warn({ migration: name }, `Warning: migration ${name} was changed after it was applied.`);
  // The embedded store is this process' alone: a key pending now died with its process.
  if (store.kind === 'pglite') await releaseOrphanedKeys(store.prisma);
  return store;
}

/**
 * DATABASE_REPLICA_URL must name a hot standby: reads there must never see
 * data the primary does not have. One that does not answer yet is not an
 * error: reads go to the primary until it does.
 */
async function checkReplica(store: Store, replicaUrl: string, log: Logger): Promise<void> {
  const { server } = describeServer(replicaUrl);
  const found = await store.replica!.probe();
  if (found === 'not a standby') {
    await store.close();
    throw new ReplicaNotStandbyError(server);
  }
  if (found === 'unreachable') log.warn({ replica: server }, `Warning: the read replica at ${server} does not answer; reads go to the primary until it does.`);
  else log.info({ replica: server }, `Reads go to the replica at ${server}`);
}

/**
 * Outside production, the first start creates a workspace and prints its key
 * (GraphiQL is given it); the key, or null.
 */
async function firstStartKey(config: Config, store: Store, log: Logger): Promise<string | null> {
  if (!config.production) {
    const created = await ensureDevWorkspace(store.prisma);
    if (created === null) return null;
    // A plain line on stdout whatever LOG_LEVEL and LOG_FORMAT say: it is
    // shown this once, never stored in clear, and kept out of log pipelines.
    process.stdout.write(`${firstKeyLine(created.apiKey)}\n`);
    return created.apiKey;
  }
  if (config.adminToken === null && (await store.prisma.workspace.count()) === 0) {
    log.warn('Warning: no workspace exists and ADMIN_TOKEN is not set, so none can be created: every request will get 401.');
  }
  return null;
}

async function main() {
  const config = loadConfig();
  startedWith = config;
  const persistedOperations: PersistedOperations =
    config.trustedDocuments !== null ? { kind: 'trusted', documents: loadTrustedDocuments(config.trustedDocuments) } : { kind: config.apq ? 'apq' : 'off' };
  const log = await createLogger({ level: config.logLevel, format: config.logFormat });
  for (const warning of config.warnings) log.warn(`Warning: ${warning}`);

  const store = await openMigratedStore(config, log);
  const graphiqlApiKey = await firstStartKey(config, store, log);
  const tracingWanted = tracingSettings(process.env);
  const tracing = tracingWanted === null ? null : await startTracing(tracingWanted);
  if (tracingWanted !== null) log.info({ endpoint: tracingWanted.endpoint }, `Tracing to ${tracingWanted.endpoint}`);

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
    draining: () => drain.stopping,
    apiKeyCacheMs: config.apiKeyCacheMs,
    metricsToken: config.metricsToken,
    tracing: tracing?.plugin ?? null,
    persistedOperations,
    corsOrigins: config.corsOrigins,
    cursorSecret: config.cursorSecret,
  });
  const server = createServer((request, response) => {
    drain.admit(response);
    void gateway(request, response);
  });
  const drain = drainOnSignal(server, {
    graceMs: config.shutdownGraceMs,
    log,
    closed: async () => {
      await store.close();
      await tracing?.shutdown().catch(() => {});
      log.info('Store closed. Bye.');
      process.exit(0);
    },
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
  process.on('SIGTERM', () => drain.stop('SIGTERM'));
  process.on('SIGINT', () => drain.stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(explainStartFailure(error, startedWith));
  process.exit(1);
});
