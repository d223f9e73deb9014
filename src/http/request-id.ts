// Every request gets an id: the response carries it in `x-request-id`, masked
// errors carry it in `extensions.requestId`, and the server log names it, so a
// client's report can be matched to the log line (Error masking).
import crypto from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

const ids = new WeakMap<Request, string>();

// An id set by a proxy in front of the gateway is kept, when it looks like one:
// anything else could forge log lines.
const INCOMING_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The id of the request (assigned on first sight). */
export function requestIdOf(request: Request): string {
  let id = ids.get(request);
  if (id === undefined) {
    const incoming = request.headers.get('x-request-id');
    id = incoming !== null && INCOMING_ID.test(incoming) ? incoming : crypto.randomUUID();
    ids.set(request, id);
  }
  return id;
}

/** A plugin that replaces the request (body-limit.ts) keeps its id. */
export function carryRequestId(from: Request, to: Request): void {
  ids.set(to, requestIdOf(from));
}

export function useRequestId(): Plugin {
  return {
    onRequest({ request }) {
      requestIdOf(request);
    },
    onResponse({ request, response }) {
      response.headers.set('x-request-id', requestIdOf(request));
    },
  };
}
