// Unexpected errors never reach the client: no stack, SQL, Prisma message or
// file path in any response (Error masking). The client gets a fixed
// message and the request id; the log gets the original error under that id.
// Expected failures are userErrors or GraphQLErrors made on purpose
// (UNAUTHENTICATED, FORBIDDEN, validation): those pass unchanged.
import { GraphQLError } from 'graphql';
import type { Plugin, YogaServerOptions } from 'graphql-yoga';
import { isStoreUnavailable, isUnstorableText } from '../db/errors.js';
import { requestIdOf } from './request-id.js';

export interface ErrorLogger {
  error(message: string): void;
}

export const INTERNAL_ERROR_MESSAGE = 'Unexpected error. It has been logged with the request id in extensions.requestId.';
export const UNAVAILABLE_MESSAGE = 'The database is unavailable right now; retry shortly (with the same Idempotency-Key for a mutation).';
export const UNSTORABLE_MESSAGE = 'A string in the request contains a character that cannot be stored (U+0000).';
/** Seconds a client should wait before retrying while the database is down. */
export const UNAVAILABLE_RETRY_AFTER = '2';

function isDeliberate(error: unknown): boolean {
  if (!(error instanceof GraphQLError)) return false;
  return error.originalError == null ? true : isDeliberate(error.originalError);
}

/** yoga's maskError: keeps deliberate errors, replaces all others. */
export const maskError: NonNullable<Exclude<YogaServerOptions<object, object>['maskedErrors'], boolean | undefined>['maskError']> = (
  error,
) => {
  if (isDeliberate(error)) return error as Error;
  const located = error instanceof GraphQLError ? error : null;
  const original = located?.originalError ?? error;
  const common = { nodes: located?.nodes, source: located?.source, positions: located?.positions, path: located?.path };
  // Kept on the error object for the log below; GraphQLError.toJSON never serializes it.
  const originalError = original instanceof Error ? original : new Error(String(original));
  if (isStoreUnavailable(original)) {
    return new GraphQLError(UNAVAILABLE_MESSAGE, {
      ...common,
      originalError,
      extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503, headers: { 'Retry-After': UNAVAILABLE_RETRY_AFTER } } },
    });
  }
  if (isUnstorableText(original)) {
    return new GraphQLError(UNSTORABLE_MESSAGE, { ...common, extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
  }
  return new GraphQLError(INTERNAL_ERROR_MESSAGE, {
    ...common,
    originalError,
    extensions: { code: 'INTERNAL_SERVER_ERROR', http: { status: 500 } },
  });
};

const MASKED_CODES = new Set(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE']);

/** Logs the masked errors of a result with the request id, and adds the id to them. */
export function useErrorLog(logger: ErrorLogger): Plugin {
  return {
    onResultProcess({ request, result, setResult }) {
      if (Array.isArray(result) || !('errors' in result) || result.errors === undefined) return;
      const requestId = requestIdOf(request);
      let changed = false;
      const errors = result.errors.map((error) => {
        // yoga puts the JSON parser's message of a bad body in
        // extensions.originalError: no response carries an original error.
        // yoga answers such a request 400 because of that very field; keep the
        // 400 (GraphQL-over-HTTP: SHOULD use 400 on JSON parsing failure).
        if (error instanceof GraphQLError && error.extensions?.['originalError'] !== undefined) {
          const { originalError: _dropped, http, ...rest } = error.extensions as { originalError: unknown; http?: Record<string, unknown> };
          const extensions = http === undefined ? rest : { ...rest, http: { ...http, spec: false } };
          changed = true;
          error = new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions });
        }
        const code = error.extensions?.['code'];
        if (!(error instanceof GraphQLError) || typeof code !== 'string' || !MASKED_CODES.has(code)) return error;
        changed = true;
        const original = error.originalError;
        logger.error(
          `[request ${requestId}] ${code} at ${error.path?.join('.') ?? '(request)'}: ${original?.stack ?? original?.message ?? error.message}`,
        );
        return new GraphQLError(error.message, {
          nodes: error.nodes,
          source: error.source,
          positions: error.positions,
          path: error.path,
          originalError: original,
          extensions: { ...error.extensions, requestId },
        });
      });
      if (changed) setResult({ ...result, errors });
    },
  };
}
