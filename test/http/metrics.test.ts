// Prometheus metrics behind METRICS_TOKEN, and OpenTelemetry tracing only when
// configured (docs/operations.md, Metrics and Tracing).
import { describe, expect, it } from 'vitest';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { type TestGateway, useTestWorkspace } from '../support/gateway.js';
import { createGateway } from '../../src/http/gateway.js';
import { tracingPlugin, tracingSettings } from '../../src/tracing.js';

const TOKEN = 'metrics-scraper-token-0123456789';
const { t, ws } = useTestWorkspace({ metricsToken: TOKEN }, 'measured');

const scrape = (gateway: { fetch: TestGateway['gateway']['fetch'] }, authorization?: string) =>
  gateway.fetch('http://gateway.test/metrics', { headers: authorization === undefined ? {} : { authorization } });

describe('GET /metrics', () => {
  it('is 404 when METRICS_TOKEN is unset', async () => {
    const plain = createGateway({ store: t.store, adminToken: null, production: true });
    expect((await scrape(plain, `Bearer ${TOKEN}`)).status).toBe(404);
  });

  it('is 401 with JSON without the token or with another one', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token', `Bearer ${ws.apiKey}`]) {
      const response = await scrape(t.gateway, authorization);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    }
  });

  it('reports requests, durations, errors by code and idempotent replays in the Prometheus format', async () => {
    await ws.gql('query Counted { contacts(first: 1) { totalCount } }');
    await t.gql('Bearer cgw_not_a_key', '{ contacts(first: 1) { totalCount } }');
    const mutation = 'mutation { createContact(input: { firstName: "Once" }) { contact { id } } }';
    await ws.gql(mutation, {}, { 'idempotency-key': 'metrics-replay' });
    const replay = await ws.gql(mutation, {}, { 'idempotency-key': 'metrics-replay' });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');

    const response = await scrape(t.gateway, `Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^graphql_yoga_http_duration_count\{.*statusCode="200".*\} \d+/m);
    expect(text).toMatch(/^graphql_envelop_request\{operationType="query"\} [1-9]/m);
    expect(text).toMatch(/^gateway_graphql_errors_total\{code="UNAUTHENTICATED"\} [1-9]/m);
    expect(text).toMatch(/^gateway_idempotent_replays_total [1-9]/m);
    expect(text).toMatch(/^gateway_http_responses_total\{status="401"\} [1-9]/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    // No label a client can vary without end.
    expect(text).not.toContain('Counted');
  });
});

describe('tracing', () => {
  it('is off unless an OTLP endpoint is configured', () => {
    expect(tracingSettings({})).toBeNull();
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' })).toBeNull();
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toEqual({ endpoint: 'http://127.0.0.1:4318', serviceName: 'contacts-gateway' });
  });

  it('records a span per operation with its name and type, without variables', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider();
    provider.addSpanProcessor(new SimpleSpanProcessor(exporter));
    const gateway = createGateway({ store: t.store, adminToken: null, production: false, tracing: await tracingPlugin(provider, 'test-gateway') });
    const response = await gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.apiKey}` },
      body: JSON.stringify({ query: 'query Traced($n: Int) { contacts(first: $n) { totalCount } }', variables: { n: 3 } }),
    });
    expect(response.status).toBe(200);
    const spans = exporter.getFinishedSpans();
    const span = spans.find((s) => s.attributes['graphql.execute.operationName'] === 'Traced');
    expect(span, JSON.stringify(spans.map((s) => s.name))).toBeDefined();
    expect(span!.attributes['graphql.execute.operationType']).toBe('query');
    expect(span!.attributes['graphql.execute.variables']).toBeUndefined();
    await provider.shutdown();
  });
});
