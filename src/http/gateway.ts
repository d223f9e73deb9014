// Builds the GraphQL server: schema, auth, health, GraphiQL. It does not listen:
// src/server.ts does, and tests drive gateway.fetch(...) in-process.
import crypto from 'node:crypto';
import { createYoga, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { schema } from '../schema/index.js';
import { resolveViewer, unauthenticated } from '../auth/viewer.js';
import { ApiKeyCache } from '../auth/key-cache.js';
import type { Context } from '../context.js';
import { RequestLoaders } from '../loaders.js';
import type { Store } from '../db/store.js';

export interface GatewayOptions {
  store: Store;
  adminToken: string | null;
  production: boolean;
  /** Pre-filled as the Authorization header in GraphiQL (the dev workspace's key). */
  graphiqlApiKey?: string | null;
  /** How long a key's workspace is reused without asking the database (auth/key-cache.ts); 0: never. */
  apiKeyCacheMs?: number;
}

export const DEFAULT_API_KEY_CACHE_MS = 2_000;

export type Gateway = YogaServerInstance<Record<string, never>, Context>;

export function createGateway(options: GatewayOptions): Gateway {
  const { store, adminToken, production } = options;
  const apiKeys = new ApiKeyCache(options.apiKeyCacheMs ?? DEFAULT_API_KEY_CACHE_MS);
  const graphiqlHeaders = JSON.stringify({ Authorization: `Bearer ${options.graphiqlApiKey ?? '<your API key>'}` }, null, 2);
  return createYoga<Record<string, never>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    // /health is the readiness check below: it asks the database.
    healthCheckEndpoint: '/live',
    landingPage: false,
    graphiql: production ? false : { title: 'Contacts gateway', headers: graphiqlHeaders },
    // Served by the gateway itself, no CDN (API.md, Transport and auth).
    renderGraphiQL,
    logging: false,
    context: async ({ request }) => {
      const viewer = await resolveViewer(store.prisma, apiKeys, request.headers.get('authorization'), adminToken);
      if (viewer === null) throw unauthenticated('A valid API key is required: send Authorization: Bearer <key>.');
      return {
        prisma: store.prisma,
        viewer,
        requestId: request.headers.get('x-request-id') ?? crypto.randomUUID(),
        loaders: new RequestLoaders(),
        apiKeys,
      };
    },
    plugins: [useReadinessCheck({ endpoint: '/health', check: () => store.ping() })],
  });
}
