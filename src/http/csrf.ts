// CSRF prevention for browser requests (issue 5), with yoga's own plugin.
//
// A browser sends a cross-site request without a CORS preflight only when it is
// "simple": GET/POST with no custom header and a form or text/plain body. The
// plugin refuses those (HTTP 403) unless they carry a header a simple request
// cannot carry. Two headers qualify:
//   - x-graphql-yoga-csrf, the plugin's own, for GET queries from a browser;
//   - Authorization: every legitimate request here carries the API key in it,
//     and a page cannot add it without a preflight. Server-to-server clients
//     (JSON POST, or GET, with Authorization) therefore pass unchanged.
// A JSON POST is never simple (application/json forces a preflight), so
// GraphiQL, which POSTs JSON, works as before; its page itself (GET text/html)
// is served before request parsing, where this check runs.
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { Plugin } from 'graphql-yoga';

export const CSRF_HEADER = 'x-graphql-yoga-csrf';

export function useCsrfPrevention(): Plugin {
  return useCSRFPrevention({ requestHeaders: [CSRF_HEADER, 'authorization'] }) as Plugin;
}
