// Operation limits on every request: depth, directives and tokens through
// GraphQL Armor, aliases through alias-limit.ts, cost through
// operation-cost.ts, and batching off. Each rejection names the limit and its variable, with HTTP 400.
//
// Why GraphQL Armor rather than Pothos' complexity plugin: Armor's rules work
// on the document, before execution, for every operation whatever builds the
// schema, and it covers the limits the complexity plugin has no notion of
// (directives, tokens: the parser itself is protected by the token limit). Its cost rule is not used: see operation-cost.ts.
import type { ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { OperationLimits } from '../config.js';
import { limitError, type LimitName } from './limit-error.js';
import { useOperationCost } from './operation-cost.js';
import { useNestingLimit } from './nesting-limit.js';
import { useAliasLimit } from './alias-limit.js';

/**
 * Armor reports "Syntax Error: Query depth limit of 12 exceeded, found 13.";
 * the client gets "Query depth 13 exceeds the limit of 12 (GRAPHQL_MAX_DEPTH)."
 * with code OPERATION_LIMIT instead.
 */
function reportAs(limit: LimitName, noun: string, variable: string, max: number) {
  return (context: ValidationContext | null, error: Error) => {
    const found = /found (\d+)/.exec(error.message)?.[1];
    const message = `${noun} ${found ?? ''} exceeds the limit of ${max} (${variable}).`.replace('  ', ' ');
    context?.reportError(limitError(limit, message));
  };
}

export function useOperationLimits(limits: OperationLimits): Plugin[] {
  return [
    maxTokensPlugin({
      n: limits.maxTokens,
      // Raised by the parser, before any document exists: the message is all there is.
      exposeLimits: false,
      errorMessage: `The query has more than ${limits.maxTokens} tokens, the limit (GRAPHQL_MAX_TOKENS).`,
    }) as Plugin,
    // After the token limit: it wraps the parser that plugin installs.
    useNestingLimit(),
    maxDepthPlugin({
      n: limits.maxDepth,
      // Fragments are a way of writing a selection, not a level of data.
      flattenFragments: true,
      propagateOnRejection: false,
      onReject: [reportAs('depth', 'Query depth', 'GRAPHQL_MAX_DEPTH', limits.maxDepth)],
    }) as Plugin,
    useAliasLimit(limits.maxAliases),
    maxDirectivesPlugin({
      n: limits.maxDirectives,
      propagateOnRejection: false,
      onReject: [reportAs('directives', 'The number of directives', 'GRAPHQL_MAX_DIRECTIVES', limits.maxDirectives)],
    }) as Plugin,
    useOperationCost(limits.maxCost),
  ];
}
