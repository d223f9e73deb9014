// OpenTelemetry tracing of GraphQL operations (@envelop/opentelemetry), only
// when an OTLP endpoint is configured (docs/operations.md, Tracing). Off, none
// of the OpenTelemetry modules is even loaded. Spans carry the operation's name,
// type and document, never its variables or result (contact data).
import type { Plugin } from 'graphql-yoga';
import type { TracerProvider } from '@opentelemetry/api';

export interface TracingSettings {
  /** OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; tracing is off without one. */
  endpoint: string;
  serviceName: string;
}

export function tracingSettings(env: NodeJS.ProcessEnv): TracingSettings | null {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!endpoint || env.OTEL_SDK_DISABLED === 'true') return null;
  return { endpoint, serviceName: env.OTEL_SERVICE_NAME?.trim() || 'contacts-gateway' };
}

export interface Tracing {
  plugin: Plugin;
  /** Sends the spans still buffered; called on SIGTERM. */
  shutdown(): Promise<void>;
}

/** The tracing plugin over a provider (tests give an in-memory one). */
export async function tracingPlugin(provider: TracerProvider, serviceName: string): Promise<Plugin> {
  const { useOpenTelemetry } = await import('@envelop/opentelemetry');
  // Resolver spans would multiply the cost of every request by its field count.
  return useOpenTelemetry({ resolvers: false, variables: false, result: false, document: true }, provider, undefined, undefined, serviceName) as Plugin;
}

/** Tracing to the OTLP/HTTP endpoint the standard OTEL_* variables name. */
export async function startTracing(settings: TracingSettings): Promise<Tracing> {
  const [{ BasicTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }] = await Promise.all([
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
  ]);
  // The exporter reads OTEL_EXPORTER_OTLP_* (endpoint, headers, timeout) itself.
  const provider = new BasicTracerProvider();
  provider.addSpanProcessor(new BatchSpanProcessor(new OTLPTraceExporter()));
  return { plugin: await tracingPlugin(provider, settings.serviceName), shutdown: () => provider.shutdown() };
}
