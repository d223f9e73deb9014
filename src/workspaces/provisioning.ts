// Provisioning: workspaces and their API keys, as the admin token's GraphQL
// fields and the admin CLI both do it (API.md, Running it; docs/operations.md,
// Keys and the admin CLI). A key exists in clear only in the result of the call
// that mints it; listings show its prefix and the sha256 it is stored as.
import type { PrismaClient, Workspace } from '../generated/prisma/client.js';
import { hashApiKey, issueApiKey } from '../auth/api-keys.js';
import type { ApiKeyCache } from '../auth/key-cache.js';
import { userError, type UserError } from '../errors.js';
import type { Outcome } from '../errors.js';
import { invalidText } from '../text.js';

export const MAX_WORKSPACE_NAME = 100;

export interface WorkspaceSummary {
  id: string;
  name: string;
  createdAt: Date;
  liveKeys: number;
}

export interface ApiKeySummary {
  id: string;
  workspaceId: string;
  prefix: string;
  hash: string;
  createdAt: Date;
  revokedAt: Date | null;
}

const KEY_FIELDS = { id: true, workspaceId: true, prefix: true, hash: true, createdAt: true, revokedAt: true } as const;

/** The name trimmed, or its errors at ['name']. */
export function validateWorkspaceName(name: string): { name: string; errors: UserError[] } {
  const field = ['name'];
  const trimmed = name.trim();
  const badText = invalidText(name, field);
  if (badText.length > 0) return { name: trimmed, errors: badText };
  if (trimmed === '') return { name: trimmed, errors: [userError('INVALID', field, 'The name must not be empty.')] };
  if ([...trimmed].length > MAX_WORKSPACE_NAME) {
    return { name: trimmed, errors: [userError('TOO_LONG', field, `The name is longer than ${MAX_WORKSPACE_NAME} characters.`)] };
  }
  return { name: trimmed, errors: [] };
}

/** Creates a workspace and its first key, in one transaction. */
export async function createWorkspace(
  prisma: PrismaClient,
  rawName: string,
): Promise<Outcome<{ workspace: Workspace; apiKey: string }>> {
  const { name, errors } = validateWorkspaceName(rawName);
  if (errors.length > 0) return { ok: false, userErrors: errors };
  const value = await prisma.$transaction(async (tx) => {
    const workspace = await tx.workspace.create({ data: { name } });
    return { workspace, apiKey: await issueApiKey(tx, workspace.id) };
  });
  return { ok: true, value };
}

/** Every workspace, oldest first, with how many live keys it has. */
export async function listWorkspaces(prisma: PrismaClient): Promise<WorkspaceSummary[]> {
  const workspaces = await prisma.workspace.findMany({
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true, name: true, createdAt: true, _count: { select: { apiKeys: { where: { revokedAt: null } } } } },
  });
  return workspaces.map(({ _count, ...w }) => ({ ...w, liveKeys: _count.apiKeys }));
}

/** The keys of a workspace, oldest first, revoked ones included; null when there is no such workspace. */
export async function listApiKeys(prisma: PrismaClient, workspaceId: string): Promise<ApiKeySummary[] | null> {
  const workspace = await prisma.workspace.findUnique({ where: { id: workspaceId }, select: { apiKeys: { select: KEY_FIELDS, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } } });
  return workspace?.apiKeys ?? null;
}

/** A new key for the workspace, in clear; null when there is no such workspace. */
export async function mintApiKey(prisma: PrismaClient, workspaceId: string): Promise<string | null> {
  const workspace = await prisma.workspace.findUnique({ where: { id: workspaceId }, select: { id: true } });
  return workspace === null ? null : issueApiKey(prisma, workspace.id);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Revokes a live key named by its id (from a listing), so that an operator who
 * no longer has the key can still revoke it. The key's hash is forgotten by
 * this process' cache at once; other processes stop accepting it within
 * API_KEY_CACHE_MS. Null when no live key has this id.
 */
export async function revokeApiKeyById(prisma: PrismaClient, cache: ApiKeyCache | null, id: string): Promise<ApiKeySummary | null> {
  if (!UUID.test(id)) return null;
  const live = await prisma.apiKey.findFirst({ where: { id, revokedAt: null }, select: { hash: true } });
  if (live === null) return null;
  const { count } = await prisma.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  cache?.forgetKey(live.hash);
  return count === 0 ? null : prisma.apiKey.findUnique({ where: { id }, select: KEY_FIELDS });
}

/** The id of the key, whether it is given in clear or by its id. */
export async function apiKeyIdOf(prisma: PrismaClient, keyOrId: string): Promise<string | null> {
  if (UUID.test(keyOrId)) return keyOrId;
  const found = await prisma.apiKey.findUnique({ where: { hash: hashApiKey(keyOrId) }, select: { id: true } });
  return found?.id ?? null;
}
