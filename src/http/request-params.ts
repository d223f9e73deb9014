// yoga reads a GET's `variables` and `extensions` (and a form body's) with
// JSON.parse and lets its SyntaxError through, which became HTTP 500 for
// `?variables={bad`. A malformed POST JSON body already gets 400 from yoga;
// these get the same.
import { createGraphQLError, type Plugin } from 'graphql-yoga';

export function useMalformedParamsAs400(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (request) => {
        try {
          return await requestParser(request);
        } catch (error) {
          if (!(error instanceof SyntaxError)) throw error;
          throw createGraphQLError('The variables or extensions parameter is not valid JSON.', {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          });
        }
      });
    },
  };
}
