// How a contact id is found: in the viewer's workspace only, never deleted,
// and a merged contact's id resolves to its merge target (API.md, Queries).
// Merges re-point earlier tombstones at the newest target, so one hop suffices.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { normalizeNamespace } from './normalize.js';

/**
 * The live contact with this id, or the live target it was merged into. A
 * live id costs one indexed lookup; only a miss asks where the id went, so the
 * common case stays one statement (an OR with the merge subquery would not
 * use the primary key).
 */
export async function findLiveContact<Q extends { include?: unknown; select?: unknown }>(
  prisma: PrismaClient,
  workspaceId: string,
  id: string,
  query: Q,
) {
  const found = await prisma.contact.findFirst({ ...(query as object), where: { id, workspaceId, deletedAt: null }, relationLoadStrategy: 'join' });
  if (found !== null) return found;
  const tombstone = await prisma.contact.findFirst({ where: { id, workspaceId }, select: { mergedIntoId: true } });
  if (!tombstone?.mergedIntoId) return null;
  return prisma.contact.findFirst({ ...(query as object), where: { id: tombstone.mergedIntoId, workspaceId, deletedAt: null }, relationLoadStrategy: 'join' });
}

export function liveContactByExternalRef(workspaceId: string, namespace: string, externalId: string): Prisma.ContactWhereInput {
  return {
    workspaceId,
    deletedAt: null,
    externalRefs: { some: { workspaceId, namespace: normalizeNamespace(namespace), externalId, live: true } },
  };
}
