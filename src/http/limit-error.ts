// The error of a request over one of the operation limits: HTTP 400, code
// OPERATION_LIMIT, and the limit named in the message and in extensions.limit.
import { GraphQLError } from 'graphql';

export type LimitName = 'depth' | 'nesting' | 'cost' | 'aliases' | 'tokens' | 'directives' | 'body' | 'batch';

export function limitError(limit: LimitName, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'OPERATION_LIMIT', limit, http: { status: limit === 'body' ? 413 : 400 } } });
}
