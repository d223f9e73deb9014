// Per-request state: who is asking (a workspace, or the admin token) and the
// request's own dataloaders. Nothing request-scoped lives at module level.
import type { PrismaClient } from './generated/prisma/client.js';
import type { ApiKeyCache } from './auth/key-cache.js';
import type { Viewer } from './auth/viewer.js';
import type { RequestLoaders } from './loaders.js';

export interface Context {
  /**
   * The client this operation reads and writes through: the primary for a
   * mutation, the read replica or the primary for a query (http/read-routing.ts).
   */
  prisma: PrismaClient;
  /** The primary's client, for a read that finds the replica behind what it needs (the change feed's cursor). */
  primary: PrismaClient;
  viewer: Viewer;
  requestId: string;
  loaders: RequestLoaders;
  /** The gateway's cache of API keys: a revocation or a settings change forgets what it holds. */
  apiKeys: ApiKeyCache;
  /** The key cursors are signed with, read once per gateway (db/cursor-secret.ts). */
  cursorKey: () => Promise<Buffer>;
}
