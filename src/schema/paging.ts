// Glue between the keyset pagination of src/contacts/keyset.ts and GraphQL:
// bad paging arguments become a clear GraphQL error (API.md, Queries: "A
// larger first/last is a GraphQL error"), never a 500 or a silent truncation.
import { GraphQLError } from 'graphql';
import { InvalidPageArgument, planPage, type PageArgs, type PagePlan, type SortKey } from '../contacts/keyset.js';

export function planPageOrThrow(type: string, key: SortKey, args: PageArgs, signing: Buffer): PagePlan {
  try {
    return planPage(type, key, args, signing);
  } catch (error) {
    if (error instanceof InvalidPageArgument) {
      throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT', argument: error.argument } });
    }
    throw error;
  }
}

/**
 * The plugin's planned query for the page's nodes, with the columns the
 * cursors are made of. In include mode every column is read already; a
 * planned `select` must name them.
 */
export function withCursorColumns<Q extends object>(query: Q, key: SortKey): Q {
  if (!('select' in query) || query.select === null || typeof query.select !== 'object') return query;
  return { ...query, select: { ...query.select, id: true, [key.field]: true } };
}
