// Workspaces and their API keys: the provisioning mutations of the admin token
// (API.md, Running it).
import { builder } from './builder.js';
import { ContactMatchKeyEnum } from './enums.js';
import { UserErrorRef } from './user-error.js';
import { idOf } from './global-id.js';
import { requireAdmin, requireWorkspace } from './guards.js';
import { revokeApiKey } from '../auth/api-keys.js';
import { userError, type UserError } from '../errors.js';
import type { Workspace } from '../generated/prisma/client.js';
import { createWorkspace, mintApiKey } from '../workspaces/provisioning.js';

export const WorkspaceRef = builder.prismaNode('Workspace', {
  description: 'A tenant: every contact and company belongs to exactly one workspace.',
  id: { field: 'id' },
  // A workspace key sees its own workspace only.
  findUnique: (id, ctx) => ({ id: id === requireWorkspace(ctx).id ? id : '00000000-0000-0000-0000-000000000000' }),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The workspace name.' }),
    duplicateMatching: t.expose('duplicateMatching', {
      type: [ContactMatchKeyEnum],
      description: 'The keys upsertContact matches by, in order, when no external ref is given.',
    }),
    defaultCountry: t.exposeString('defaultCountry', {
      nullable: true,
      description: 'ISO 3166-1 alpha-2 country for phone numbers sent without "+"; null when unset.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the workspace was created.' }),
  }),
});

builder.queryFields((t) => ({
  workspace: t.prismaField({
    type: WorkspaceRef,
    description: "The API key's workspace and its settings (as GitHub's viewer). The admin token has none.",
    resolve: (query, _root, _args, ctx) => ctx.prisma.workspace.findUniqueOrThrow({ ...query, where: { id: requireWorkspace(ctx).id } }),
  }),
}));

const CreateWorkspacePayload = builder
  .objectRef<{ workspace: Workspace | null; apiKey: string | null; userErrors: UserError[] }>('CreateWorkspacePayload')
  .implement({
    description: 'The result of createWorkspace.',
    fields: (t) => ({
      workspace: t.field({ type: WorkspaceRef, nullable: true, description: 'The new workspace.', resolve: (p) => p.workspace }),
      apiKey: t.string({ nullable: true, description: 'An API key of the new workspace, shown this once.', resolve: (p) => p.apiKey }),
      userErrors: t.field({ type: [UserErrorRef], description: 'Why nothing was created.', resolve: (p) => p.userErrors }),
    }),
  });

const CreateApiKeyPayload = builder.objectRef<{ apiKey: string | null; userErrors: UserError[] }>('CreateApiKeyPayload').implement({
  description: 'The result of createApiKey.',
  fields: (t) => ({
    apiKey: t.string({ nullable: true, description: 'The new key, shown this once.', resolve: (p) => p.apiKey }),
    userErrors: t.field({ type: [UserErrorRef], description: 'Why no key was created.', resolve: (p) => p.userErrors }),
  }),
});

const RevokeApiKeyPayload = builder.objectRef<{ revoked: boolean; userErrors: UserError[] }>('RevokeApiKeyPayload').implement({
  description: 'The result of revokeApiKey.',
  fields: (t) => ({
    revoked: t.boolean({ description: 'Whether a live key was revoked.', resolve: (p) => p.revoked }),
    userErrors: t.field({ type: [UserErrorRef], description: 'Why nothing was revoked.', resolve: (p) => p.userErrors }),
  }),
});

builder.mutationFields((t) => ({
  createWorkspace: t.field({
    type: CreateWorkspacePayload,
    description: 'Creates a workspace and its first API key. Admin token only.',
    args: { name: t.arg.string({ required: true, description: 'The workspace name (at most 100 characters).' }) },
    resolve: async (_root, args, ctx) => {
      requireAdmin(ctx);
      const outcome = await createWorkspace(ctx.prisma, args.name);
      return outcome.ok ? { ...outcome.value, userErrors: [] } : { workspace: null, apiKey: null, userErrors: outcome.userErrors };
    },
  }),
  createApiKey: t.field({
    type: CreateApiKeyPayload,
    description: 'Creates another API key for a workspace. Admin token only.',
    args: { workspaceId: t.arg.id({ required: true, description: 'The global id of the workspace.' }) },
    resolve: async (_root, args, ctx) => {
      requireAdmin(ctx);
      const id = idOf('Workspace', String(args.workspaceId));
      const apiKey = id === null ? null : await mintApiKey(ctx.prisma, id);
      if (apiKey === null) {
        return { apiKey: null, userErrors: [userError('NOT_FOUND', ['workspaceId'], 'No workspace has this id.')] };
      }
      return { apiKey, userErrors: [] };
    },
  }),
  revokeApiKey: t.field({
    type: RevokeApiKeyPayload,
    description: 'Revokes an API key: requests bearing it get HTTP 401 from then on. Admin token only.',
    args: { key: t.arg.string({ required: true, description: 'The key to revoke.' }) },
    resolve: async (_root, args, ctx) => {
      requireAdmin(ctx);
      const revoked = await revokeApiKey(ctx.prisma, ctx.apiKeys, args.key);
      return revoked
        ? { revoked, userErrors: [] }
        : { revoked, userErrors: [userError('NOT_FOUND', ['key'], 'No live key matches.')] };
    },
  }),
}));
