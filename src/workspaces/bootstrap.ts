// Outside production, a first start with no workspace creates one named
// "default" and returns its API key, to be printed once (API.md, Running it).
import type { PrismaClient } from '../generated/prisma/client.js';
import { issueApiKey } from '../auth/api-keys.js';

export const DEFAULT_WORKSPACE_NAME = 'default';

export async function ensureDevWorkspace(prisma: PrismaClient): Promise<{ apiKey: string } | null> {
  return prisma.$transaction(async (tx) => {
    // Two gateways starting together on one PostgreSQL create one workspace.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('contacts-gateway:dev-workspace'))`;
    if ((await tx.workspace.count()) > 0) return null;
    const workspace = await tx.workspace.create({ data: { name: DEFAULT_WORKSPACE_NAME } });
    return { apiKey: await issueApiKey(tx, workspace.id) };
  });
}

/** The line that shows the default workspace's key, once, when it is created. */
export function firstKeyLine(apiKey: string): string {
  return `Created workspace "${DEFAULT_WORKSPACE_NAME}". Its API key (shown once): ${apiKey}`;
}
