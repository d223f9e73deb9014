// CORS: which web origins may call the gateway from a browser (CORS_ORIGINS).
// Keys travel in the Authorization header, never in cookies, so no response
// allows credentials. Outside production any origin may call (GraphiQL or a
// frontend on another port); in production only the origins listed, none by
// default. Browsers may read the headers a client needs: the request id,
// Retry-After, whether a response is an idempotent replay, and the
// Consistency-Token a client sends back to read its own writes (read-routing.ts).
import type { CORSOptions } from 'graphql-yoga';
import type { CorsOrigins } from '../config.js';


const ALLOWED_HEADERS = ['authorization', 'content-type', 'accept', 'idempotency-key', 'x-request-id', 'read-consistency', 'consistency-token'];
const EXPOSED_HEADERS = ['x-request-id', 'retry-after', 'idempotent-replayed', 'consistency-token'];

export function corsPolicy(origins: CorsOrigins): (request: Request) => CORSOptions | false {
  return (request) => {
    const origin = request.headers.get('origin');
    if (origin === null || (origins !== '*' && !origins.includes(origin))) return false;
    return { origin, credentials: false, methods: ['GET', 'POST'], allowedHeaders: ALLOWED_HEADERS, exposedHeaders: EXPOSED_HEADERS, maxAge: 600 };
  };
}
