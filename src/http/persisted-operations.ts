// Persisted operations (docs/operations.md, Persisted operations):
// - Automatic persisted queries (APQ, Apollo's protocol), on by default: a
//   client sends the sha256 of its query; an unknown hash gets
//   PERSISTED_QUERY_NOT_FOUND, the client sends query and hash once, and from
//   then on the hash alone. This is a cache: it lets no new query in.
// - Trusted documents (TRUSTED_DOCUMENTS=<manifest.json>): only the manifest's
//   operations run, named by their hash; any other query is refused. APQ is
//   off then, since it would let a client register its own.
import fs from 'node:fs';
import crypto from 'node:crypto';
import { useAPQ, createInMemoryAPQStore, type APQStore } from '@graphql-yoga/plugin-apq';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { Plugin } from 'graphql-yoga';
import { ConfigError } from '../config.js';

export type PersistedOperations = { kind: 'apq' } | { kind: 'trusted'; documents: ReadonlyMap<string, string> } | { kind: 'off' };

/** The query text that a request's params name, whether sent in full or by hash; null when neither. */
export type QueryResolver = (params: { query?: unknown; extensions?: unknown; documentId?: unknown }) => Promise<string | null>;

function hashOf(params: { extensions?: unknown; documentId?: unknown }): string | null {
  if (typeof params.documentId === 'string') return params.documentId;
  const hash = (params.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
  return typeof hash === 'string' ? hash : null;
}

/**
 * Reads a manifest: either an object of hash → query, or Apollo's
 * persisted-query manifest ({ operations: [{ id, body }] }). Every hash must be
 * the sha256 of its query, so a manifest cannot be edited by hand into lying.
 */
export function loadTrustedDocuments(file: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError('TRUSTED_DOCUMENTS', `cannot read ${file} as JSON (${(error as NodeJS.ErrnoException).code ?? 'invalid JSON'})`);
  }
  const operations = (parsed as { operations?: unknown })?.operations;
  const entries: [unknown, unknown][] = Array.isArray(operations)
    ? operations.map((o: { id?: unknown; body?: unknown }) => [o?.id, o?.body])
    : typeof parsed === 'object' && parsed !== null
      ? Object.entries(parsed)
      : [];
  const documents = new Map<string, string>();
  for (const [hash, query] of entries) {
    if (typeof hash !== 'string' || typeof query !== 'string') throw new ConfigError('TRUSTED_DOCUMENTS', `${file}: every entry needs a hash and a query text`);
    if (crypto.createHash('sha256').update(query).digest('hex') !== hash) {
      throw new ConfigError('TRUSTED_DOCUMENTS', `${file}: ${hash} is not the sha256 of its query`);
    }
    documents.set(hash, query);
  }
  if (documents.size === 0) throw new ConfigError('TRUSTED_DOCUMENTS', `${file} holds no operation`);
  return documents;
}

/** The plugins, and the resolver that other plugins (idempotency) use to see the query of a request sent by hash. */
export function usePersistedOperationsOf(mode: PersistedOperations): { plugins: Plugin[]; resolveQuery: QueryResolver } {
  if (mode.kind === 'trusted') {
    const { documents } = mode;
    return {
      plugins: [
        usePersistedOperations({
          getPersistedOperation: (key) => documents.get(key) ?? null,
          allowArbitraryOperations: false,
          // Not APQ's PERSISTED_QUERY_NOT_FOUND: Apollo's link would answer it by sending the query, which is refused here.
          customErrors: {
            notFound: { message: 'No trusted document has this hash.', extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST', http: { status: 400 } } },
            keyNotFound: { message: 'Send the hash of a trusted document in extensions.persistedQuery.sha256Hash.', extensions: { code: 'PERSISTED_QUERY_ID_REQUIRED', http: { status: 400 } } },
            persistedQueryOnly: {
              message: 'Only trusted documents run here: send extensions.persistedQuery.sha256Hash instead of a query.',
              extensions: { code: 'PERSISTED_QUERY_ONLY', http: { status: 400 } },
            },
          },
        }),
      ],
      resolveQuery: async (params) => {
        const hash = hashOf(params);
        return hash === null ? null : (documents.get(hash) ?? null);
      },
    };
  }
  const plain: QueryResolver = async (params) => (typeof params.query === 'string' ? params.query : null);
  if (mode.kind === 'off') return { plugins: [], resolveQuery: plain };
  const store: APQStore = createInMemoryAPQStore({ max: 1000 });
  return {
    plugins: [useAPQ({ store })],
    resolveQuery: async (params) => {
      if (typeof params.query === 'string') return params.query;
      const hash = hashOf(params);
      return hash === null ? null : ((await store.get(hash)) ?? null);
    },
  };
}
