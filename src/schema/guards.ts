// What each operation needs of the request's viewer, as GraphQL errors: 401
// without a workspace key, 403 without the admin token.
import { GraphQLError } from 'graphql';
import type { Workspace } from '../generated/prisma/client.js';
import type { Context } from '../context.js';

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
}

/** Contact and company operations need a workspace key: the admin token reads no contacts. */
export function requireWorkspace(ctx: Context): Workspace {
  if (ctx.viewer.kind !== 'workspace') throw unauthenticated('This operation needs a workspace API key.');
  return ctx.viewer.workspace;
}

export function requireAdmin(ctx: Context): void {
  if (ctx.viewer.kind !== 'admin') throw forbidden('This operation needs the admin token.');
}
