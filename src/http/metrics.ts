// Prometheus metrics at GET /metrics, for a scraper that sends
// `Authorization: Bearer <METRICS_TOKEN>` (docs/operations.md, Metrics). Without
// METRICS_TOKEN nothing of this is installed and /metrics is 404; a wrong or
// missing token gets 401. The figures: yoga's HTTP and GraphQL phase
// histograms (graphql_yoga_http_duration, graphql_envelop_*), responses by
// HTTP status, GraphQL errors by extensions.code, idempotent replays, and the process' own (CPU, memory,
// event-loop lag). Labels are bounded: no operation name, URL or field path,
// which a client could vary without end.
import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import { bearerToken } from '../auth/viewer.js';
import { sameSecret } from '../auth/api-keys.js';

export const METRICS_PATH = '/metrics';

function codeOf(error: unknown): string {
  const code = error instanceof GraphQLError ? error.extensions?.['code'] : (error as { extensions?: { code?: unknown } } | null)?.extensions?.code;
  // Codes are the server's own words; anything else is counted as one bucket.
  return typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code) ? code : 'OTHER';
}

function useMetricsEndpoint(registry: Registry, token: string): Plugin {
  return {
    async onRequest({ url, request, endResponse, fetchAPI }) {
      if (url.pathname !== METRICS_PATH) return;
      const presented = bearerToken(request.headers.get('authorization'));
      if (presented === null || !sameSecret(presented, token)) {
        endResponse(
          new fetchAPI.Response(JSON.stringify({ errors: [{ message: 'Send Authorization: Bearer <METRICS_TOKEN>.', extensions: { code: 'UNAUTHENTICATED' } }] }), {
            status: 401,
            headers: { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer' },
          }),
        );
        return;
      }
      endResponse(new fetchAPI.Response(await registry.metrics(), { headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' } }));
    },
  };
}

function useGatewayCounters(registry: Registry): Plugin {
  const errors = new Counter({
    name: 'gateway_graphql_errors_total',
    help: 'GraphQL errors in responses, by extensions.code.',
    labelNames: ['code'],
    registers: [registry],
  });
  const responses = new Counter({
    name: 'gateway_http_responses_total',
    help: 'HTTP responses by status, the ones refused before any GraphQL parsing (401, 413, 422, 429) included.',
    labelNames: ['status'],
    registers: [registry],
  });
  const replays = new Counter({
    name: 'gateway_idempotent_replays_total',
    help: 'Responses replayed for a retried Idempotency-Key.',
    registers: [registry],
  });
  return {
    onResultProcess({ result }) {
      for (const one of Array.isArray(result) ? result : [result]) {
        const list = (one as { errors?: readonly unknown[] }).errors;
        if (list !== undefined) for (const error of list) errors.inc({ code: codeOf(error) });
      }
    },
    onResponse({ response }) {
      responses.inc({ status: String(response.status) });
      if (response.headers.get('idempotent-replayed') === 'true') replays.inc();
    },
  };
}

/** The plugins of /metrics; none when no token is configured. */
export function useMetrics(token: string | null): Plugin[] {
  if (token === null) return [];
  // One registry per gateway: tests build many gateways in one process.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return [
    useMetricsEndpoint(registry, token),
    useGatewayCounters(registry),
    usePrometheus({
      registry,
      endpoint: false,
      skipIntrospection: true,
      labels: { operationName: false, path: false, url: false, method: true, statusCode: true, operationType: true, phase: true },
    }),
  ];
}
