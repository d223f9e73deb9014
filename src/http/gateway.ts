// Builds the GraphQL server: schema, auth, health probes, GraphiQL and the
// hardening plugins (docs/operations.md, Limits), one file each in src/http/. It does not listen:
// src/server.ts does, and tests drive gateway.fetch(...) in-process.
import { createYoga, type Plugin, type YogaServerInstance, type YogaServerOptions } from 'graphql-yoga';
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
  /**
   * Plugins to leave out, by name: only bench/plugin-cost.ts sets it, to
   * measure what each plugin costs a request; src/server.ts never does.
   */
  leaveOut?: ReadonlySet<GatewayPluginName>;
}

/** The gateway's plugins by name (gatewayPlugins), in the order they run. */
export const GATEWAY_PLUGIN_NAMES = [
  'request-log',
  'request-id',
  'health',
  'graphiql',
  'tracing',
  'body-limit',
  'metrics',
  'csrf',
  'idempotency',
  'malformed-params',
  'read-routing',
  'persisted-operations',
  'operation-limits',
  'argument-bounds',
  'introspection-policy',
  'client-errors',
  'error-log',
] as const;
export type GatewayPluginName = (typeof GATEWAY_PLUGIN_NAMES)[number];

export const DEFAULT_API_KEY_CACHE_MS = 2_000;

export type Gateway = YogaServerInstance<Record<string, never>, Context>;

export function createGateway(options: GatewayOptions): Gateway {
  const { store, production } = options;
  const adminTokens = [options.adminToken, options.previousAdminToken].filter((t): t is string => typeof t === 'string' && t !== '');
  const graphiql = options.graphiql ?? !production;
  const apiKeys = new ApiKeyCache(options.apiKeyCacheMs ?? DEFAULT_API_KEY_CACHE_MS);
  const parts: GatewayParts = {
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    logger: options.logger ?? { error: (message) => console.error(message) },
    introspection: options.introspection ?? !production,
    graphiqlPage: graphiql ? graphiqlWithCachedAssets() : null,
    documents: documentCache(),
    persisted: usePersistedOperationsOf(options.persistedOperations ?? { kind: 'apq' }),
    readRouting: useReadRouting(store),
    viewerOf: viewerLookup(store, apiKeys, adminTokens),
  };
  const graphiqlHeaders = JSON.stringify({ Authorization: `Bearer ${options.graphiqlApiKey ?? '<your API key>'}` }, null, 2);

  return createYoga<Record<string, never>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    // Process liveness; /health and /ready ask the database (health.ts).
    healthCheckEndpoint: '/live',
    landingPage: false,
    cors: corsPolicy(options.corsOrigins ?? (production ? [] : '*')),
    graphiql: graphiql ? { title: 'Contacts gateway', headers: graphiqlHeaders } : false,
    // Served by the gateway itself, no CDN (API.md, Transport and auth), its bundle cached (graphiql-assets.ts).
    ...(parts.graphiqlPage ? { renderGraphiQL: parts.graphiqlPage.render } : {}),
    logging: false,
    parserAndValidationCache: { documentCache: parts.documents },
    // One operation per request: a batch would multiply every limit below.
    batching: false,
    // The body is limited by useBodyLimit before anything parses it; yoga's
    // own limit would pipe the bytes through a TransformStream again (~12% of
    // an empty request's CPU, bench W0).
    maxRequestBodySize: false,
    // Every unexpected error is masked, in every environment; error-masking.ts.
    maskedErrors: { maskError, isDev: false },
    context: requestContext(options, parts.viewerOf, apiKeys),
    plugins: gatewayPlugins(options, parts),
  });
}

/** What the gateway's plugins share, built once per gateway from its options. */
interface GatewayParts {
  limits: OperationLimits;
  logger: ErrorLogger;
  introspection: boolean;
  graphiqlPage: ReturnType<typeof graphiqlWithCachedAssets> | null;
  documents: ReturnType<typeof documentCache>;
  persisted: ReturnType<typeof usePersistedOperationsOf>;
  readRouting: ReturnType<typeof useReadRouting>;
  viewerOf: (request: Request) => Promise<Viewer | null>;
}

/**
 * The viewer of a request, looked up once: the idempotency plugin needs the
 * workspace before the context exists, and both share the one lookup.
 */
function viewerLookup(store: Store, apiKeys: ApiKeyCache, adminTokens: string[]): (request: Request) => Promise<Viewer | null> {
  const viewers = new WeakMap<Request, Promise<Viewer | null>>();
  return (request) => {
    let viewer = viewers.get(request);
    if (viewer === undefined) {
      viewer = resolveViewer(store.prisma, apiKeys, request.headers.get('authorization'), adminTokens);
      viewers.set(request, viewer);
    }
    return viewer;
  };
}

/** The context of each request: its viewer (401 without one), counted against its rate-limit bucket. */
function requestContext(options: GatewayOptions, viewerOf: (request: Request) => Promise<Viewer | null>, apiKeys: ApiKeyCache) {
  const { store } = options;
  const rateLimiter = options.rateLimit ? createRateLimiter(store.prisma, options.rateLimit) : null;
  const cursorKey = cursorKeySource(store.prisma, options.cursorSecret ?? null);
  return async ({ request }: { request: Request }): Promise<Context> => {
    const viewer = await viewerOf(request);
    if (viewer === null) throw unauthenticated(MISSING_KEY_MESSAGE);
    if (rateLimiter !== null) {
      await rateLimiter.hit(viewer.kind === 'admin' ? 'admin' : bucketOfKey(bearerToken(request.headers.get('authorization')) ?? ''));
    }
    return { prisma: store.prisma, primary: store.prisma, viewer, requestId: requestIdOf(request), loaders: new RequestLoaders(), apiKeys, cursorKey };
  };
}

type GatewayPlugin = NonNullable<YogaServerOptions<Record<string, never>, Context>['plugins']>[number];

/**
 * The plugins, in the order they must run, each under the name
 * `GatewayOptions.leaveOut` knows it by.
 */
function gatewayPlugins(options: GatewayOptions, parts: GatewayParts): GatewayPlugin[] {
  const { store } = options;
  const { limits, logger, persisted, readRouting } = parts;
  const named: Array<[GatewayPluginName, GatewayPlugin[]]> = [
    ['request-log', options.requestLog ? [useRequestLog(store, options.requestLog, readRouting.readsOf)] : []],
    ['request-id', [useRequestId()]],
    ['health', [useHealthEndpoints({ store, draining: options.draining })]],
    ['graphiql', parts.graphiqlPage ? [parts.graphiqlPage.plugin] : []],
    ['tracing', options.tracing ? [options.tracing] : []],
    ['body-limit', [useBodyLimit(limits.maxBodyBytes)]],
    // After the body limit, which replaces the request: the HTTP histogram
    // follows one request object from start to response.
    ['metrics', useMetrics(options.metricsToken ?? null)],
    ['csrf', [useCsrfPrevention()]],
    // Before the plugins that wrap yoga's request parser: the parameters it
    // read from a keyed request's body become the parser they wrap.
    [
      'idempotency',
      [
        useIdempotency({
          prisma: store.prisma,
          viewerOf: parts.viewerOf,
          maxTokens: limits.maxTokens,
          documents: parts.documents,
          queryOf: persisted.resolveQuery,
          onStoreError: (e) => logger.error(`idempotency: ${String(e)}`),
        }),
      ],
    ],
    ['malformed-params', [useMalformedParamsAs400()]],
    ['read-routing', [readRouting.plugin]],
    ['persisted-operations', persisted.plugins],
    ['operation-limits', useOperationLimits(limits)],
    ['argument-bounds', [useArgumentBounds()]],
    ['introspection-policy', useIntrospectionPolicy(parts.introspection)],
    ['client-errors', [useClientErrors(!parts.introspection)]],
    ['error-log', [useErrorLog(logger)]],
  ];
  return named.filter(([name]) => !options.leaveOut?.has(name)).flatMap(([, plugins]) => plugins);
}
