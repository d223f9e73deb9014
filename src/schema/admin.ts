// The admin token's read fields and key revocation by id, beside the
// provisioning mutations of workspace.ts (docs/operations.md, Keys and the
// admin CLI). A workspace key gets FORBIDDEN here; the admin token still reads
// no contacts.
import { builder } from './builder.js';
import { bounded, MAX_ID } from './bounds.js';
import { WorkspaceRef } from './workspace.js';
import { UserErrorRef } from './user-error.js';
import { idOf } from './global-id.js';
import { requireAdmin } from './guards.js';
import { userError, type UserError } from '../errors.js';
import { listApiKeys, revokeApiKeyById, type ApiKeySummary } from '../workspaces/provisioning.js';

const ApiKeyRef = builder.objectRef<ApiKeySummary>('ApiKey').implement({
  description: 'An API key of a workspace, as listed: never the key itself, which exists in clear only when it is created.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The id of the key, to revoke it with revokeApiKeyById.' }),
    prefix: t.exposeString('prefix', { description: 'The first characters of the key, to tell keys apart.' }),
    sha256: t.string({ description: 'The sha256 of the key (hex), as it is stored.', resolve: (k) => k.hash }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the key was created.' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true, description: 'When the key was revoked; null while it works.' }),
  }),
});

const RevokeApiKeyByIdPayload = builder.objectRef<{ apiKey: ApiKeySummary | null; userErrors: UserError[] }>('RevokeApiKeyByIdPayload').implement({
  description: 'The result of revokeApiKeyById.',
  fields: (t) => ({
    apiKey: t.field({ type: ApiKeyRef, nullable: true, description: 'The key, now revoked.', resolve: (p) => p.apiKey }),
    userErrors: t.field({ type: [UserErrorRef], description: 'Why nothing was revoked.', resolve: (p) => p.userErrors }),
  }),
});

builder.queryFields((t) => ({
  workspaces: t.prismaField({
    type: [WorkspaceRef],
    description: 'Every workspace, oldest first. Admin token only.',
    resolve: (query, _root, _args, ctx) => {
      requireAdmin(ctx);
      return ctx.prisma.workspace.findMany({ ...query, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    },
  }),
  apiKeys: t.field({
    type: [ApiKeyRef],
    nullable: true,
    description: "A workspace's API keys, oldest first, revoked ones included; null when no workspace has this id. Admin token only.",
    args: { workspaceId: t.arg.id({ required: true, ...bounded(MAX_ID, 'The global id of the workspace.') }) },
    resolve: async (_root, args, ctx) => {
      requireAdmin(ctx);
      const id = idOf('Workspace', String(args.workspaceId));
      return id === null ? null : listApiKeys(ctx.prisma, id);
    },
  }),
}));

builder.mutationFields((t) => ({
  revokeApiKeyById: t.field({
    type: RevokeApiKeyByIdPayload,
    description: 'Revokes the API key with this id (from apiKeys), for when the key itself is lost. Admin token only.',
    args: { id: t.arg.id({ required: true, description: 'The id of the key.' }) },
    resolve: async (_root, args, ctx) => {
      requireAdmin(ctx);
      const apiKey = await revokeApiKeyById(ctx.prisma, ctx.apiKeys, String(args.id));
      return apiKey === null
        ? { apiKey: null, userErrors: [userError('NOT_FOUND', ['id'], 'No live key has this id.')] }
        : { apiKey, userErrors: [] };
    },
  }),
}));
