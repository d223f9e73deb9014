// Starts the gateway: reads the configuration, opens and migrates the store,
// listens, and stops cleanly on SIGTERM/SIGINT.
import { createServer } from 'node:http';
import { ConfigError, loadConfig } from './config.js';
import { openStore } from './db/store.js';
import { createGateway } from './http/gateway.js';
import { ensureDevWorkspace } from './workspaces/bootstrap.js';

async function main() {
  const config = loadConfig();
  const log = (level: 'info' | 'error', message: string) => {
    if (config.logLevel === 'silent') return;
    if (level === 'info' && (config.logLevel === 'warn' || config.logLevel === 'error')) return;
    (level === 'error' ? console.error : console.log)(message);
  };

  const store = await openStore(config.store, { poolSize: config.poolSize });
  const report = await store.migrate();
  if (report.applied.length > 0) log('info', `Applied migrations: ${report.applied.join(', ')}`);
  for (const name of report.modified) log('error', `Warning: migration ${name} was changed after it was applied.`);

  let graphiqlApiKey: string | null = null;
  if (!config.production) {
    const created = await ensureDevWorkspace(store.prisma);
    if (created !== null) {
      graphiqlApiKey = created.apiKey;
      // Printed whatever the log level: it is shown this once and never stored in clear.
      console.log(`Created workspace "default". Its API key (shown once): ${created.apiKey}`);
    }
  }

  let stopping = false;
  const gateway = createGateway({
    store,
    adminToken: config.adminToken,
    production: config.production,
    graphiqlApiKey,
    limits: config.limits,
    rateLimit: config.rateLimit,
    introspection: config.introspection,
    graphiql: config.graphiql,
    // Unexpected errors are logged whatever LOG_LEVEL says, except silent.
    logger: { error: (message) => log('error', message) },
    draining: () => stopping,
    apiKeyCacheMs: config.apiKeyCacheMs,
  });
  const server = createServer(gateway);
  server.listen(config.port, () => {
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    log('info', `Contacts gateway on http://localhost:${port}/graphql (store: ${store.kind})`);
  });

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('info', `${signal}: finishing in-flight requests`);
    // Stop accepting; idle keep-alive connections are closed so close() can end,
    // and a connection that becomes idle after its response is closed then
    // (Node answers it with Connection: close once close() was called).
    server.close(async () => {
      clearInterval(idleSweep);
      // Only now, with no request left, is the store closed: everything that
      // was acknowledged is committed, and PGlite leaves its folder consistent.
      await store.close();
      log('info', 'Store closed. Bye.');
      process.exit(0);
    });
    server.closeIdleConnections();
    const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
    // A client that never finishes its request cannot hold the shutdown forever.
    setTimeout(() => {
      log('error', `Requests still running after ${config.shutdownGraceMs / 1000} s: closing their connections.`);
      server.closeAllConnections();
    }, config.shutdownGraceMs).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`);
  } else {
    console.error(`Start failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
});
