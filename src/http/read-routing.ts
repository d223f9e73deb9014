// Which database serves an operation when a read replica is configured
// (DATABASE_REPLICA_URL; docs/operations.md, Read replica): a mutation, its
// payload and everything it reads run on the primary; a query runs on the
// replica unless it must see a write the replica has not replayed yet:
//
// - `Read-Consistency: strong` on the request: the primary.
// - `Consistency-Token: <token>`, the token a mutation's response carried:
//   the replica once it has replayed that write, else the primary. This is
//   how a client reads its own writes through any gateway.
// - a workspace's own writes through this gateway count as a token of their own.
//
// Both headers are checked on every request, with or without a replica: a
// malformed one is a 400, never silently ignored.
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { getOperationAST } from 'graphql';
import type { Context } from '../context.js';
import type { Store } from '../db/store.js';
import { formatLogPosition, parseLogPosition, type LogPosition } from '../db/read-replica.js';

export const READ_CONSISTENCY_HEADER = 'read-consistency';
export const CONSISTENCY_TOKEN_HEADER = 'consistency-token';

interface ReadWish {
  strong: boolean;
  after: LogPosition | null;
}

function badHeader(message: string) {
  return createGraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
}

/** What the request's headers ask of its reads; a malformed header is a GraphQL error (400). */
export function readWishOf(headers: Headers): ReadWish {
  const consistency = headers.get(READ_CONSISTENCY_HEADER);
  if (consistency !== null && consistency.trim().toLowerCase() !== 'strong') {
    throw badHeader('Read-Consistency must be "strong" (or left out).');
  }
  const token = headers.get(CONSISTENCY_TOKEN_HEADER);
  const after = token === null ? null : parseLogPosition(token);
  if (token !== null && after === null) throw badHeader('Consistency-Token is not a token this gateway gave (send back a Consistency-Token response header as it was).');
  return { strong: consistency !== null, after };
}

/** The scope of a viewer's own writes: its workspace, or the admin's provisioning. */
function scopeOf(context: Context): string {
  return context.viewer.kind === 'workspace' ? `w:${context.viewer.workspace.id}` : 'admin';
}

export interface ReadRouting {
  plugin: Plugin<Context>;
  /** Where a request's query was sent: 'replica' or 'primary'; undefined without a replica, or for anything but a query. */
  readsOf(request: Request): 'replica' | 'primary' | undefined;
}

export function useReadRouting(store: Store): ReadRouting {
  const replica = store.replica;
  const wishes = new WeakMap<Request, ReadWish>();
  const tokens = new WeakMap<Request, string>();
  const reads = new WeakMap<Request, 'replica' | 'primary'>();
  const plugin: Plugin<Context> = {
    onRequestParse({ request, requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (parsing) => {
        const params = await requestParser(parsing);
        wishes.set(request, readWishOf(request.headers));
        return params;
      });
    },
    onExecute({ args, executeFn, setExecuteFn }) {
      if (replica === null) return;
      const context = args.contextValue as Context & { request?: Request };
      const request = context.request;
      const operation = getOperationAST(args.document, args.operationName)?.operation;
      if (operation === 'mutation') {
        setExecuteFn(async (executeArgs) => {
          const result = await executeFn(executeArgs);
          // Committed: where the primary's log stands now is past this mutation's writes.
          const position = await replica.wrote(scopeOf(context));
          if (position !== null && request !== undefined) tokens.set(request, formatLogPosition(position));
          return result;
        });
        return;
      }
      if (operation !== 'query') return;
      const wish = (request === undefined ? undefined : wishes.get(request)) ?? { strong: false, after: null };
      if (wish.strong) {
        if (request !== undefined) reads.set(request, 'primary');
        return;
      }
      setExecuteFn(async (executeArgs) => {
        const reader = await replica.readerFor(scopeOf(context), wish.after);
        if (request !== undefined) reads.set(request, reader === replica.prisma ? 'replica' : 'primary');
        return executeFn({ ...executeArgs, contextValue: Object.assign(executeArgs.contextValue as Context, { prisma: reader }) });
      });
    },
    async onResponse({ request, response }) {
      let token = tokens.get(request);
      // A replayed mutation (Idempotency-Key) wrote before: where the log stands now is past it.
      if (token === undefined && replica !== null && response.headers.get('idempotent-replayed') === 'true') {
        const position = await replica.wrote(null);
        if (position !== null) token = formatLogPosition(position);
      }
      if (token !== undefined) response.headers.set(CONSISTENCY_TOKEN_HEADER, token);
    },
  };
  return { plugin, readsOf: (request) => reads.get(request) };
}
