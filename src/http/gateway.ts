// Builds the GraphQL server: schema, auth, health probes, GraphiQL and the
// hardening plugins (docs/operations.md, Limits), one file each in src/http/. It does not listen:
// src/server.ts does, and tests drive gateway.fetch(...) in-process.
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { schema } from '../schema/index.js';
import { bearerToken, MISSING_KEY_MESSAGE, resolveViewer, type Viewer } from '../auth/viewer.js';
import { unauthenticated } from '../schema/guards.js';
import { ApiKeyCache } from '../auth/key-cache.js';
import type { Context } from '../context.js';
import { RequestLoaders } from '../loaders.js';
import type { Store } from '../db/store.js';
import { DEFAULT_LIMITS, type CorsOrigins, type OperationLimits, type RateLimitConfig } from '../config.js';
import { corsPolicy } from './cors.js';
import { cursorKeySource } from '../db/cursor-secret.js';
import { useRequestId, requestIdOf } from './request-id.js';
import { maskError, useErrorLog, type ErrorLogger } from './error-masking.js';
import { useOperationLimits } from './operation-limits.js';
import { useArgumentBounds } from './argument-bounds.js';
import { useBodyLimit } from './body-limit.js';
import { useCsrfPrevention } from './csrf.js';
import { useMalformedParamsAs400 } from './request-params.js';
import { useIntrospectionPolicy } from './introspection.js';
import { useClientErrors } from './client-errors.js';
import { bucketOfKey, createRateLimiter } from './rate-limit.js';
import { useIdempotency } from './idempotency.js';
import { useReadRouting } from './read-routing.js';
import { useHealthEndpoints } from './health.js';
import { useRequestLog, type RequestLogSink } from './request-log.js';
import { useMetrics } from './metrics.js';
import { graphiqlWithCachedAssets } from './graphiql-assets.js';
import { usePersistedOperationsOf, type PersistedOperations } from './persisted-operations.js';
import { documentCache } from './document-cache.js';

export interface GatewayOptions {
  store: Store;
  adminToken: string | null;
  /** Also accepted as the admin token while a rotation rolls out (ADMIN_TOKEN_PREVIOUS). */
  previousAdminToken?: string | null;
  production: boolean;
  /** Pre-filled as the Authorization header in GraphiQL (the dev workspace's key). */
  graphiqlApiKey?: string | null;
  /** Defaults: DEFAULT_LIMITS. */
  limits?: Partial<OperationLimits>;
  /** Defaults: off. */
  rateLimit?: RateLimitConfig;
  /** Defaults: on outside production, off in production. */
  introspection?: boolean;
  /** Defaults: on outside production, off in production. */
  graphiql?: boolean;
  /** Where unexpected errors are logged, with the request id. Default: stderr. */
  logger?: ErrorLogger;
  /** /health and /ready answer 503 while this is true (set on SIGTERM, so balancers stop sending). */
  draining?: () => boolean;
  /** How long a key's workspace is reused without asking the database (auth/key-cache.ts); 0: never. */
  apiKeyCacheMs?: number;
  /** Where the line of each request goes (request-log.ts); none by default. */
  requestLog?: RequestLogSink;
  /** Bearer token of GET /metrics (metrics.ts); null or absent: no metrics, /metrics is 404. */
  metricsToken?: string | null;
  /** The tracing plugin, when tracing is configured (src/tracing.ts). */
  tracing?: Plugin | null;
  /** Web origins that may call from a browser; default: any outside production, none in production (cors.ts). */
  corsOrigins?: CorsOrigins;
  /** Automatic persisted queries (the default), trusted documents only, or neither (persisted-operations.ts). */
  persistedOperations?: PersistedOperations;
  /** CURSOR_SECRET; null or absent: the key kept in the database (db/cursor-secret.ts). */
  cursorSecret?: string | null;
}

export const DEFAULT_API_KEY_CACHE_MS = 2_000;

export type Gateway = YogaServerInstance<Record<string, never>, Context>;

export function createGateway(options: GatewayOptions): Gateway {
  const { store, production } = options;
  const adminTokens = [options.adminToken, options.previousAdminToken].filter((t): t is string => typeof t === 'string' && t !== '');
  const limits: OperationLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const logger: ErrorLogger = options.logger ?? { error: (message) => console.error(message) };
  const rateLimiter = options.rateLimit ? createRateLimiter(store.prisma, options.rateLimit) : null;
  const graphiql = options.graphiql ?? !production;
  const introspection = options.introspection ?? !production;
  const cursorKey = cursorKeySource(store.prisma, options.cursorSecret ?? null);
  const apiKeys = new ApiKeyCache(options.apiKeyCacheMs ?? DEFAULT_API_KEY_CACHE_MS);
  const graphiqlPage = graphiql ? graphiqlWithCachedAssets() : null;
  const documents = documentCache();
  const persisted = usePersistedOperationsOf(options.persistedOperations ?? { kind: 'apq' });
  const readRouting = useReadRouting(store);
  const graphiqlHeaders = JSON.stringify({ Authorization: `Bearer ${options.graphiqlApiKey ?? '<your API key>'}` }, null, 2);

  // The idempotency plugin needs the workspace before the context exists: both
  // share one lookup per request.
  const viewers = new WeakMap<Request, Promise<Viewer | null>>();
  const viewerOf = (request: Request) => {
    let viewer = viewers.get(request);
    if (viewer === undefined) {
      viewer = resolveViewer(store.prisma, apiKeys, request.headers.get('authorization'), adminTokens);
      viewers.set(request, viewer);
    }
    return viewer;
  };

  return createYoga<Record<string, never>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    // Process liveness; /health and /ready ask the database (health.ts).
    healthCheckEndpoint: '/live',
    landingPage: false,
    cors: corsPolicy(options.corsOrigins ?? (production ? [] : '*')),
    graphiql: graphiql ? { title: 'Contacts gateway', headers: graphiqlHeaders } : false,
    // Served by the gateway itself, no CDN (API.md, Transport and auth), its bundle cached (graphiql-assets.ts).
    ...(graphiqlPage ? { renderGraphiQL: graphiqlPage.render } : {}),
    logging: false,
    parserAndValidationCache: { documentCache: documents },
    // One operation per request: a batch would multiply every limit below.
    batching: false,
    // The body is limited, and buffered, by useBodyLimit before anything
    // parses it; yoga's own limit would pipe the buffered bytes through a
    // TransformStream again (~12% of an empty request's CPU, bench W0).
    maxRequestBodySize: false,
    // Every unexpected error is masked, in every environment; error-masking.ts.
    maskedErrors: { maskError, isDev: false },
    context: async ({ request }) => {
      const viewer = await viewerOf(request);
      if (viewer === null) throw unauthenticated(MISSING_KEY_MESSAGE);
      if (rateLimiter !== null) {
        await rateLimiter.hit(viewer.kind === 'admin' ? 'admin' : bucketOfKey(bearerToken(request.headers.get('authorization')) ?? ''));
      }
      return { prisma: store.prisma, primary: store.prisma, viewer, requestId: requestIdOf(request), loaders: new RequestLoaders(), apiKeys, cursorKey };
    },
    plugins: [
      ...(options.requestLog ? [useRequestLog(store, options.requestLog, readRouting.readsOf)] : []),
      useRequestId(),
      useHealthEndpoints({ store, draining: options.draining }),
      ...(graphiqlPage ? [graphiqlPage.plugin] : []),
      ...(options.tracing ? [options.tracing] : []),
      useBodyLimit(limits.maxBodyBytes),
      // After the body limit, which replaces the request: the HTTP histogram
      // follows one request object from start to response.
      ...useMetrics(options.metricsToken ?? null),
      useCsrfPrevention(),
      // Before the plugins that wrap yoga's request parser: the parameters it
      // read from a keyed request's body become the parser they wrap.
      useIdempotency({ prisma: store.prisma, viewerOf, maxTokens: limits.maxTokens, documents, queryOf: persisted.resolveQuery, onStoreError: (e) => logger.error(`idempotency: ${String(e)}`) }),
      useMalformedParamsAs400(),
      readRouting.plugin,
      ...persisted.plugins,
      ...useOperationLimits(limits),
      useArgumentBounds(),
      ...useIntrospectionPolicy(introspection),
      useClientErrors(!introspection),
      useErrorLog(logger),
    ],
  });
}
