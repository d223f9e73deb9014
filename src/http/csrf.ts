// CSRF prevention for browser requests, and the 401 that API.md
// gives a request without a key, whatever its method or content type.
//
// A browser sends a cross-site request without a CORS preflight only when it is
// "simple": GET/POST with no custom header and a form or text/plain body. Such
// a request cannot carry an Authorization header, and every operation here
// needs one (a workspace key or the admin token, never a cookie). So a request
// without `Authorization: Bearer …` is refused before its body or parameters
// are parsed: 401 UNAUTHENTICATED, as API.md asks of a missing key, where
// yoga's CSRF plugin answered 403 to the simple ones (a GET without a key got
// 403, not 401). Server-to-server clients (JSON POST, or GET, with the key)
// pass unchanged; GraphiQL's page (GET text/html) is served before this check,
// and its requests are JSON POSTs with the key.
import type { Plugin } from 'graphql-yoga';
import { bearerToken, MISSING_KEY_MESSAGE } from '../auth/viewer.js';
import { unauthenticated } from '../schema/guards.js';

export function useCsrfPrevention(): Plugin {
  return {
    onRequestParse({ request }) {
      if (bearerToken(request.headers.get('authorization')) === null) throw unauthenticated(MISSING_KEY_MESSAGE);
    },
  };
}
