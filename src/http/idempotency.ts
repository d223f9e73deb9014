// Idempotency-Key for mutations, as API.md "Retries" says: a retry with the same
// key and the same body within 24 hours gets the first response (status and
// body) and writes nothing again; the same key with another body gets HTTP 422
// and writes nothing. Keys are per workspace and at most 255 characters.
//
// Exactly one of two concurrent requests with one key runs the mutation: the
// first inserts a pending row under the (workspaceId, key) primary key before
// executing anything; the other finds the row, waits for the first response
// and replays it. The response is stored after the mutation has committed, so
// a process that dies between the two leaves a pending row. While the request
// runs, its process refreshes the row's heartbeat every HEARTBEAT_MS; a pending
// row whose heartbeat is older than HEARTBEAT_STALE belongs to a process that
// is gone, and a retry takes it over (the mutation may then run again;
// documented in docs/security.md). A response with status 5xx or 429 (nothing executed, or nothing the
// client can rely on) releases the key instead, so the retry runs.
import crypto from 'node:crypto';
import { getOperationAST, parse } from 'graphql';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Viewer } from '../auth/viewer.js';
import type { DocumentCache } from './document-cache.js';
import { isStoreUnavailable } from '../db/errors.js';
import { INTERNAL_ERROR_MESSAGE, UNAVAILABLE_MESSAGE, UNAVAILABLE_RETRY_AFTER } from './error-masking.js';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
const PENDING = 0;
const RETENTION = "interval '24 hours'";
/** How often a process refreshes the heartbeat of the keys it is running. */
const HEARTBEAT_MS = 2_000;
/** A pending key whose heartbeat is this old has no process running it. */
const HEARTBEAT_STALE = "interval '8 seconds'";
/** How long a retry waits for the first request of its key to finish. */
const WAIT_FOR_FIRST_MS = 20_000;
const POLL_MS = 25;

export interface IdempotencyOptions {
  prisma: PrismaClient;
  viewerOf(request: Request): Promise<Viewer | null>;
  maxTokens: number;
  /** The documents yoga parses through: a keyed request's document is parsed once, here. */
  documents: DocumentCache;
  /** The query of a request, also when it is sent by hash (persisted-operations.ts); default: its `query`. */
  queryOf?: QueryOf;
  onStoreError?(error: unknown): void;
}

interface Claim {
  workspaceId: string;
  key: string;
  /** Date.now() when claimed: a claim is kept alive for at most MAX_HEARTBEAT_MS. */
  since: number;
}

/**
 * A request whose response never reaches onResponse (it should not happen)
 * would keep its key pending for ever; past this its heartbeat stops, and a
 * retry takes the key over.
 */
const MAX_HEARTBEAT_MS = 5 * 60_000;

/**
 * The keys this process is running, their heartbeats refreshed in one
 * statement every HEARTBEAT_MS while there are any.
 */
function heartbeats(prisma: PrismaClient, onStoreError: (error: unknown) => void) {
  const held = new Set<Claim>();
  let timer: NodeJS.Timeout | null = null;
  const beat = () => {
    for (const claim of held) if (Date.now() - claim.since > MAX_HEARTBEAT_MS) held.delete(claim);
    if (held.size === 0) {
      if (timer !== null) clearInterval(timer);
      timer = null;
      return;
    }
    const claims = [...held];
    prisma
      .$executeRaw`
        UPDATE "IdempotentRequest" AS r SET "heartbeatAt" = CURRENT_TIMESTAMP
        FROM unnest(${claims.map((c) => c.workspaceId)}::uuid[], ${claims.map((c) => c.key)}::text[]) AS held("workspaceId", "key")
        WHERE r."workspaceId" = held."workspaceId" AND r."key" = held."key" AND r."status" = ${PENDING}`
      // A missed beat is harmless unless they all miss: the key then goes
      // stale, as it would if this process had died.
      .catch(onStoreError);
  };
  return {
    hold(claim: Claim) {
      held.add(claim);
      if (timer === null) {
        timer = setInterval(beat, HEARTBEAT_MS);
        timer.unref();
      }
    },
    release(claim: Claim) {
      held.delete(claim);
    },
  };
}

interface StoredResponse {
  contentType: string | null;
  body: string;
}

type FetchAPI = { Response: typeof Response; Headers: typeof Headers };

function problem(fetchAPI: FetchAPI, status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** A JSON body: the one body type whose key this plugin can hold to its request (GraphQL-over-HTTP's own). */
function isJsonBody(request: Request): boolean {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type === 'application/graphql-response+json';
}

type QueryOf = (params: { query?: unknown; extensions?: unknown; documentId?: unknown }) => Promise<string | null>;

const sentQuery: QueryOf = async (params) => (typeof params.query === 'string' ? params.query : null);

type BodyParams = { query?: unknown; operationName?: unknown; extensions?: unknown; documentId?: unknown };

/** The JSON body's parameters, as yoga's parser would read them; null when yoga should report what is wrong with it. */
function paramsOf(body: string): BodyParams | null {
  try {
    const params = JSON.parse(body) as unknown;
    return typeof params === 'object' && params !== null && !Array.isArray(params) ? (params as BodyParams) : null;
  } catch {
    return null;
  }
}

/** Whether the parameters name a GraphQL mutation; null when yoga should report what is wrong with them. */
async function isMutation(params: BodyParams, options: IdempotencyOptions): Promise<boolean | null> {
  try {
    // A persisted operation is sent by hash: its mutation is protected the same.
    const query = await (options.queryOf ?? sentQuery)(params);
    if (query === null) return null;
    let document = options.documents.get(query);
    if (document === undefined) {
      // Same token limit as the operation limits: this parse must not be a way around it.
      document = parse(query, { maxTokens: options.maxTokens });
      options.documents.set(query, document);
    }
    const operation = getOperationAST(document, typeof params.operationName === 'string' ? params.operationName : undefined);
    return operation == null ? null : operation.operation === 'mutation';
  } catch {
    return null;
  }
}

type ClaimResult = { kind: 'claimed' } | { kind: 'replay'; status: number; stored: StoredResponse } | { kind: 'mismatch' } | { kind: 'busy' };

async function claim(prisma: PrismaClient, workspaceId: string, key: string, bodyHash: string): Promise<ClaimResult> {
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  for (;;) {
    const inserted = await prisma.$executeRaw`
      INSERT INTO "IdempotentRequest" ("workspaceId", "key", "bodyHash", "status", "response", "heartbeatAt")
      VALUES (${workspaceId}::uuid, ${key}, ${bodyHash}, ${PENDING}, '', CURRENT_TIMESTAMP)
      ON CONFLICT DO NOTHING`;
    if (inserted === 1) return { kind: 'claimed' };
    // An expired row, or a pending one whose heartbeat stopped, is taken over;
    // the UPDATE re-checks its condition on the locked row, so one taker wins.
    const taken = await prisma.$executeRawUnsafe(
      `UPDATE "IdempotentRequest"
       SET "bodyHash" = $3, "status" = ${PENDING}, "response" = '', "createdAt" = CURRENT_TIMESTAMP, "heartbeatAt" = CURRENT_TIMESTAMP
       WHERE "workspaceId" = $1::uuid AND "key" = $2
         AND ("createdAt" < CURRENT_TIMESTAMP - ${RETENTION} OR ("status" = ${PENDING} AND "heartbeatAt" < CURRENT_TIMESTAMP - ${HEARTBEAT_STALE}))`,
      workspaceId,
      key,
      bodyHash,
    );
    if (taken === 1) return { kind: 'claimed' };
    const rows = await prisma.$queryRaw<{ bodyHash: string; status: number; response: string }[]>`
      SELECT "bodyHash", "status", "response" FROM "IdempotentRequest"
      WHERE "workspaceId" = ${workspaceId}::uuid AND "key" = ${key}`;
    const row = rows[0];
    if (row === undefined) continue; // released meanwhile: try to claim again
    if (row.bodyHash !== bodyHash) return { kind: 'mismatch' };
    if (row.status !== PENDING) return { kind: 'replay', status: row.status, stored: JSON.parse(row.response) as StoredResponse };
    if (Date.now() > deadline) return { kind: 'busy' };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Releases every pending key: for a store that only this process can have
 * open (the embedded one, whose folder is locked), a key still pending at
 * start belonged to a process that died with its request, and its retry
 * should run now rather than once its heartbeat is stale. The count released.
 */
export async function releaseOrphanedKeys(prisma: PrismaClient): Promise<number> {
  return prisma.$executeRaw`DELETE FROM "IdempotentRequest" WHERE "status" = ${PENDING}`;
}

/** Expired rows are useless: a sweep deletes them, at most once an hour per process. */
function expiredKeySweeper(prisma: PrismaClient): () => void {
  let lastSweep = 0;
  return () => {
    if (Date.now() - lastSweep < 3_600_000) return;
    lastSweep = Date.now();
    prisma.$executeRawUnsafe(`DELETE FROM "IdempotentRequest" WHERE "createdAt" < CURRENT_TIMESTAMP - ${RETENTION}`).catch(() => {});
  };
}

type WorkspaceClaim = { workspaceId: string; result: ClaimResult };

/**
 * Claims the key in the workspace of the request's viewer, for this body;
 * null when the viewer has no workspace: the context factory answers 401, or
 * it is the admin token, whose provisioning calls are not keyed (keys are per
 * workspace).
 */
async function claimInViewersWorkspace(
  options: IdempotencyOptions,
  request: Request,
  key: string,
  body: string,
  sweep: () => void,
): Promise<WorkspaceClaim | null> {
  const viewer = await options.viewerOf(request);
  if (viewer === null || viewer.kind !== 'workspace') return null;
  const workspaceId = viewer.workspace.id;
  const bodyHash = crypto.createHash('sha256').update(body, 'utf8').digest('hex');
  sweep();
  return { workspaceId, result: await claim(options.prisma, workspaceId, key, bodyHash) };
}

/** The refusal of a keyed POST whose key or body type this plugin cannot hold; null when it can. */
function refusalOfKeyedRequest(request: Request, key: string, fetchAPI: FetchAPI): Response | null {
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    return problem(fetchAPI, 400, 'BAD_IDEMPOTENCY_KEY', `The Idempotency-Key header must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters; got ${key.length}.`);
  }
  // A form, multipart or application/graphql body could carry a mutation
  // this plugin would not recognise, and run it once per retry: refused.
  if (!isJsonBody(request)) {
    return problem(fetchAPI, 415, 'UNSUPPORTED_MEDIA_TYPE', 'A request with an Idempotency-Key must have a JSON body (Content-Type: application/json).', {
      accept: 'application/json',
    });
  }
  return null;
}

/** The answer to a keyed request whose store failed before anything ran: the client may retry with the same key. */
function storeFailure(fetchAPI: FetchAPI, error: unknown): Response {
  return isStoreUnavailable(error)
    ? problem(fetchAPI, 503, 'SERVICE_UNAVAILABLE', UNAVAILABLE_MESSAGE, { 'retry-after': UNAVAILABLE_RETRY_AFTER })
    : problem(fetchAPI, 500, 'INTERNAL_SERVER_ERROR', INTERNAL_ERROR_MESSAGE);
}

/** The response that ends a request whose key another request holds or has answered. */
function responseOfTakenKey(result: Exclude<ClaimResult, { kind: 'claimed' }>, fetchAPI: FetchAPI): Response {
  switch (result.kind) {
    case 'mismatch':
      return problem(fetchAPI, 422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with another request body; nothing was written. Use a new key.');
    case 'busy':
      return problem(fetchAPI, 409, 'IDEMPOTENCY_KEY_IN_USE', 'A request with this Idempotency-Key is still running; retry later.');
    case 'replay': {
      const headers = new fetchAPI.Headers({ 'idempotent-replayed': 'true' });
      if (result.stored.contentType !== null) headers.set('content-type', result.stored.contentType);
      return new fetchAPI.Response(result.stored.body, { status: result.status, headers });
    }
  }
}

/**
 * Stores the response of a claimed key, so that its retries replay it; a 5xx
 * or 429 (nothing the client can rely on) releases the key instead.
 */
async function storeResponse(prisma: PrismaClient, held: Claim, response: Response): Promise<void> {
  if (response.status >= 500 || response.status === 429) {
    await prisma.$executeRaw`
      DELETE FROM "IdempotentRequest" WHERE "workspaceId" = ${held.workspaceId}::uuid AND "key" = ${held.key} AND "status" = ${PENDING}`;
    return;
  }
  const stored: StoredResponse = { contentType: response.headers.get('content-type'), body: await response.clone().text() };
  await prisma.$executeRaw`
    UPDATE "IdempotentRequest" SET "status" = ${response.status}, "response" = ${JSON.stringify(stored)}
    WHERE "workspaceId" = ${held.workspaceId}::uuid AND "key" = ${held.key}`;
}

export function useIdempotency(options: IdempotencyOptions): Plugin {
  const { prisma } = options;
  const claims = new WeakMap<Request, Claim>();
  // The body's parameters, read here, are the ones yoga executes (onRequestParse).
  const bodies = new WeakMap<Request, BodyParams>();
  const alive = heartbeats(prisma, (error) => options.onStoreError?.(error));
  const sweep = expiredKeySweeper(prisma);

  return {
    async onRequest({ request, endResponse, fetchAPI }) {
      const key = request.headers.get('idempotency-key');
      // A GET cannot run a mutation (GraphQL-over-HTTP): nothing to protect.
      if (key === null || request.method !== 'POST') return;
      const refusal = refusalOfKeyedRequest(request, key, fetchAPI);
      if (refusal !== null) {
        endResponse(refusal);
        return;
      }
      const body = await request.clone().text();
      const params = paramsOf(body);
      if (params === null) return;
      bodies.set(request, params);
      if ((await isMutation(params, options)) !== true) return; // queries are safe to repeat
      let claimed: WorkspaceClaim | null;
      try {
        claimed = await claimInViewersWorkspace(options, request, key, body, sweep);
      } catch (error) {
        options.onStoreError?.(error);
        endResponse(storeFailure(fetchAPI, error));
        return;
      }
      if (claimed === null) return;
      if (claimed.result.kind !== 'claimed') {
        endResponse(responseOfTakenKey(claimed.result, fetchAPI));
        return;
      }
      const held = { workspaceId: claimed.workspaceId, key, since: Date.now() };
      claims.set(request, held);
      alive.hold(held);
    },
    onRequestParse({ request, requestParser, setRequestParser }) {
      const params = bodies.get(request);
      // Only where yoga has a parser for the body (a JSON POST): otherwise it answers as it would.
      if (params !== undefined && requestParser !== undefined) setRequestParser(() => params as GraphQLParams);
    },
    async onResponse({ request, response }) {
      const held = claims.get(request);
      if (held === undefined) return;
      claims.delete(request);
      alive.release(held);
      try {
        await storeResponse(prisma, held, response);
      } catch (error) {
        // The client still gets its response; the key stays pending, its
        // heartbeat stops, and a retry takes it over.
        options.onStoreError?.(error);
      }
    },
  };
}
