// Probes for load balancers and orchestrators, answered before auth:
// - GET /live: the process is up (no database involved).
// - GET /health: the server and its database are usable (API.md, Transport
//   and auth): 200 while the database answers, 503 while it does not or while
//   the server is draining on SIGTERM.
// - GET /ready: /health, and every committed migration is applied, so that a
//   new version is sent traffic only once its schema is in place.
// Each answers a small JSON body, 503 with the reason when not usable; none is
// cached by a proxy.
import type { Plugin } from 'graphql-yoga';
import type { Store } from '../db/store.js';

/** How long a probe waits for the database before saying 503 rather than hanging. */
export const PROBE_TIMEOUT_MS = 3_000;

export interface HealthOptions {
  store: Store;
  /** True from SIGTERM on: the probes say 503 so that balancers stop sending. */
  draining?: () => boolean;
  timeoutMs?: number;
}

type Probe = { ok: true; body: Record<string, unknown> } | { ok: false; body: Record<string, unknown> };

function withTimeout<T>(work: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
    timer.unref();
  });
  return Promise.race([work.catch(() => fallback), timeout]).finally(() => clearTimeout(timer));
}

export function useHealthEndpoints(options: HealthOptions): Plugin {
  const { store } = options;
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  // Migrations are never unapplied while the process runs: once all are seen
  // applied, /ready only asks whether the database answers.
  let migrated = false;

  const health = async (): Promise<Probe> => {
    if (options.draining?.()) return { ok: false, body: { status: 'unavailable', reason: 'shutting down' } };
    if (!(await withTimeout(store.ping(), timeoutMs, false))) {
      return { ok: false, body: { status: 'unavailable', database: 'unreachable' } };
    }
    return { ok: true, body: { status: 'ok', database: 'ok' } };
  };

  const ready = async (): Promise<Probe> => {
    const live = await health();
    if (!live.ok) return { ok: false, body: { ...live.body, status: 'not ready' } };
    if (!migrated) {
      const pending = await withTimeout(store.pendingMigrations(), timeoutMs, null);
      if (pending === null) return { ok: false, body: { status: 'not ready', database: 'unreachable' } };
      if (pending.length > 0) {
        return { ok: false, body: { status: 'not ready', database: 'ok', migrations: 'pending', pendingMigrations: pending.length } };
      }
      migrated = true;
    }
    return { ok: true, body: { status: 'ready', database: 'ok', migrations: 'applied' } };
  };

  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      const probe = url.pathname === '/health' ? health : url.pathname === '/ready' ? ready : null;
      if (probe === null) return;
      const result = await probe();
      endResponse(
        new fetchAPI.Response(JSON.stringify(result.body), {
          status: result.ok ? 200 : 503,
          headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
        }),
      );
    },
  };
}
