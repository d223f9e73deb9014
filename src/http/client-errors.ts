// Errors the client caused, as the client gets them: every one carries an
// extensions.code (graphql-js's variable coercion errors have none, so they
// get BAD_USER_INPUT), and, where the schema is not to be explored (the
// introspection policy is off), no "Did you mean …?" suggestion of a field,
// argument, type or enum value: those would list the schema a guess at a time.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const SUGGESTION = /\s*Did you mean [^?]*\?/g;

function asClientSees(error: GraphQLError, hideSuggestions: boolean): GraphQLError {
  const code = error.extensions?.['code'];
  const message = hideSuggestions ? error.message.replace(SUGGESTION, '') : error.message;
  if (code !== undefined && message === error.message) return error;
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: code === undefined ? { ...error.extensions, code: 'BAD_USER_INPUT' } : error.extensions,
  });
}

export function useClientErrors(hideSuggestions: boolean): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || !('errors' in result) || result.errors === undefined) return;
      const errors = result.errors.map((error) => (error instanceof GraphQLError ? asClientSees(error, hideSuggestions) : error));
      if (errors.some((error, i) => error !== result.errors![i])) setResult({ ...result, errors });
    },
  };
}
