// API keys name a workspace. Only their sha256 is stored; the key itself is
// shown once, when it is created (API.md, Transport and auth).
import crypto from 'node:crypto';
import type { PrismaClient, Workspace } from '../generated/prisma/client.js';
import type { ApiKeyCache } from './key-cache.js';

const KEY_PREFIX = 'cgw_';

export function hashApiKey(key: string): string {
  return crypto.createHash('sha256').update(key, 'utf8').digest('hex');
}

export function newApiKey(): string {
  return KEY_PREFIX + crypto.randomBytes(24).toString('base64url');
}

/** Creates a key for the workspace and returns it in clear, the only time it exists so. */
export async function issueApiKey(prisma: Pick<PrismaClient, 'apiKey'>, workspaceId: string): Promise<string> {
  const key = newApiKey();
  await prisma.apiKey.create({ data: { workspaceId, hash: hashApiKey(key), prefix: key.slice(0, 10) } });
  return key;
}

/** The workspace a live key names, or null for an unknown or revoked key (key-cache.ts says how fresh). */
export async function workspaceForKey(prisma: PrismaClient, cache: ApiKeyCache, key: string): Promise<Workspace | null> {
  if (key.length === 0 || key.length > 200) return null;
  const hash = hashApiKey(key);
  return cache.workspaceFor(hash, async () => {
    const found = await prisma.apiKey.findUnique({ where: { hash }, select: { revokedAt: true, workspace: true } });
    return found === null || found.revokedAt !== null ? null : found.workspace;
  });
}

/** Marks the key revoked, in the database and in this process' cache; false when no live key matches. */
export async function revokeApiKey(prisma: PrismaClient, cache: ApiKeyCache, key: string): Promise<boolean> {
  const hash = hashApiKey(key);
  const { count } = await prisma.apiKey.updateMany({ where: { hash, revokedAt: null }, data: { revokedAt: new Date() } });
  cache.forgetKey(hash);
  return count > 0;
}

/** Constant-time comparison, so the admin token cannot be guessed by timing. */
export function sameSecret(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a).digest();
  const hb = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
}
