// Request body size limit: a body over MAX_BODY_BYTES gets HTTP 413
// before anything parses it. A declared Content-Length is checked at once and
// is then all there is to check: node:http's parser (src/server.ts) ends the
// body at the declared length, and treats any further bytes as the next
// request. A body that declares no length (chunked) is read as it arrives and
// dropped at the limit, so a client cannot make the gateway buffer more than
// the limit; the request goes on with the buffered body.
import type { Plugin } from 'graphql-yoga';
import { limitError } from './limit-error.js';
import { carryRequestId } from './request-id.js';

function tooLarge(fetchAPI: { Response: typeof Response }, max: number): Response {
  const error = limitError('body', `The request body is larger than ${max} bytes, the limit (MAX_BODY_BYTES).`);
  return new fetchAPI.Response(JSON.stringify({ errors: [{ message: error.message, extensions: { code: 'OPERATION_LIMIT', limit: 'body' } }] }), {
    status: 413,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

/** The body's bytes, or null as soon as there are more than `max`. */
async function readAtMost(body: ReadableStream<Uint8Array>, max: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

const DECIMAL = /^[0-9]{1,16}$/;

export function useBodyLimit(maxBytes: number): Plugin {
  return {
    async onRequest({ request, setRequest, endResponse, fetchAPI }) {
      if (request.method === 'GET' || request.method === 'HEAD' || request.body === null) return;
      const declared = request.headers.get('content-length');
      if (declared !== null && DECIMAL.test(declared)) {
        if (Number(declared) > maxBytes) endResponse(tooLarge(fetchAPI, maxBytes));
        return;
      }
      const bytes = await readAtMost(request.body, maxBytes);
      if (bytes === null) {
        endResponse(tooLarge(fetchAPI, maxBytes));
        return;
      }
      const buffered = new fetchAPI.Request(request.url, { method: request.method, headers: request.headers, body: bytes, signal: request.signal });
      carryRequestId(request, buffered);
      setRequest(buffered);
    },
  };
}
