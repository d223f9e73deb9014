// Lookups by id: node, nodes, contact, company, contactByExternalRef. Every one
// is scoped to the viewer's workspace; an id of another workspace, a deleted
// contact or a malformed id answers null (API.md, Queries).
import { brandWithType } from '@pothos/core';
import { queryFromInfo } from '@pothos/plugin-prisma';
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { builder } from './builder.js';
import { bounded, MAX_ID } from './bounds.js';
import { LIMITS } from '../contacts/contact-input.js';
import { ContactRef } from './contact.js';
import { CompanyRef } from './company.js';
import { decodeGlobalId, idOf } from './global-id.js';
import { requireWorkspace } from './guards.js';
import { findLiveContact, liveContactByExternalRef } from '../contacts/lookup.js';
import type { Context } from '../context.js';

const MAX_NODES = 100;

/**
 * The types node() resolves. A global id naming any other type (one that is
 * not a Node, or none at all, "__proto__" included) is an id that does not
 * exist: it never reaches the query planner, which knows only these.
 */
const NODE_TYPES: ReadonlySet<string> = new Set(['Contact', 'Company', 'Workspace']);

async function loadNode(globalId: string, ctx: Context, info: GraphQLResolveInfo, path: string[]) {
  const workspaceId = requireWorkspace(ctx).id;
  const decoded = decodeGlobalId(globalId);
  if (decoded === null || !NODE_TYPES.has(decoded.typename)) return null;
  const query = queryFromInfo({ context: ctx, info, typeName: decoded.typename, path });
  let record: object | null = null;
  if (decoded.typename === 'Contact') {
    record = await findLiveContact(ctx.prisma, workspaceId, decoded.id, query);
  } else if (decoded.typename === 'Company') {
    record = await ctx.prisma.company.findFirst({ ...query, where: { id: decoded.id, workspaceId } });
  } else if (decoded.typename === 'Workspace' && decoded.id === workspaceId) {
    // A key sees its own workspace; another's id is like one that does not exist.
    record = await ctx.prisma.workspace.findUnique({ ...query, where: { id: workspaceId } });
  }
  if (record !== null) brandWithType(record, decoded.typename as never);
  return record;
}

builder.queryFields((t) => ({
  node: t.field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    description: 'Any object by its global id; null when absent, deleted, malformed or in another workspace.',
    args: { id: t.arg.id({ required: true, ...bounded(MAX_ID, 'A global id.') }) },
    resolve: (_root, args, ctx, info) => loadNode(String(args.id), ctx, info, []) as never,
  }),
  nodes: t.field({
    type: [builder.nodeInterfaceRef()],
    nullable: { list: false, items: true },
    description: 'Objects by their global ids, in the order asked; null for each id that node() would answer null.',
    args: { ids: t.arg.idList({ required: true, ...bounded(MAX_ID, `Global ids, at most ${MAX_NODES}.`, true) }) },
    resolve: (_root, args, ctx, info) => {
      if (args.ids.length > MAX_NODES) {
        throw new GraphQLError(`nodes takes at most ${MAX_NODES} ids; got ${args.ids.length}.`, { extensions: { code: 'BAD_USER_INPUT' } });
      }
      return Promise.all(args.ids.map((id) => loadNode(String(id), ctx, info, []))) as never;
    },
  }),
  contact: t.prismaField({
    type: ContactRef,
    nullable: true,
    description: 'A contact by id; null when absent, deleted, malformed or in another workspace. A merged id resolves to its merge target.',
    args: { id: t.arg.id({ required: true, ...bounded(MAX_ID, 'The global id of the contact.') }) },
    resolve: (query, _root, args, ctx) => {
      const workspaceId = requireWorkspace(ctx).id;
      const id = idOf('Contact', String(args.id));
      return id === null ? null : findLiveContact(ctx.prisma, workspaceId, id, query);
    },
  }),
  contactByExternalRef: t.prismaField({
    type: ContactRef,
    nullable: true,
    description: 'The live contact holding a reference in another system.',
    args: {
      namespace: t.arg.string({ required: true, ...bounded(LIMITS.namespace, 'The other system; case-insensitive.') }),
      externalId: t.arg.string({ required: true, ...bounded(LIMITS.externalId, 'The id in that system; case-sensitive.') }),
    },
    resolve: (query, _root, args, ctx) => {
      const workspaceId = requireWorkspace(ctx).id;
      return ctx.prisma.contact.findFirst({ ...query, where: liveContactByExternalRef(workspaceId, args.namespace, args.externalId) });
    },
  }),
  company: t.prismaField({
    type: CompanyRef,
    nullable: true,
    description: 'A company by id; null when absent, malformed or in another workspace.',
    args: { id: t.arg.id({ required: true, ...bounded(MAX_ID, 'The global id of the company.') }) },
    resolve: (query, _root, args, ctx) => {
      const workspaceId = requireWorkspace(ctx).id;
      const id = idOf('Company', String(args.id));
      return id === null ? null : ctx.prisma.company.findFirst({ ...query, where: { id, workspaceId } });
    },
  }),
}));
