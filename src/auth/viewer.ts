// Turns the Authorization header into the viewer of a request.
import type { PrismaClient, Workspace } from '../generated/prisma/client.js';
import { sameSecret, workspaceForKey } from './api-keys.js';
import type { ApiKeyCache } from './key-cache.js';

/** Who is asking: a workspace (by its API key) or the admin token. */
export type Viewer = { kind: 'workspace'; workspace: Workspace } | { kind: 'admin' };

export const MISSING_KEY_MESSAGE = 'A valid API key is required: send Authorization: Bearer <key>.';

export function bearerToken(header: string | null): string | null {
  if (header === null) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/** The viewer named by the header, or null when the key is missing or unknown. */
export async function resolveViewer(
  prisma: PrismaClient,
  keys: ApiKeyCache,
  authorization: string | null,
  adminTokens: readonly string[],
): Promise<Viewer | null> {
  const token = bearerToken(authorization);
  if (token === null) return null;
  // Every token is compared, so the time taken does not tell which one matched.
  let admin = false;
  for (const adminToken of adminTokens) admin = sameSecret(token, adminToken) || admin;
  if (admin) return { kind: 'admin' };
  const workspace = await workspaceForKey(prisma, keys, token);
  return workspace === null ? null : { kind: 'workspace', workspace };
}
