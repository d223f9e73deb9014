// How a contact id is found: in the viewer's workspace only, never deleted,
// and a merged contact's id resolves to its merge target (API.md, Queries).
// Merges re-point earlier tombstones at the newest target, so one hop suffices.
import type { Prisma } from '../generated/prisma/client.js';

export function liveContactById(workspaceId: string, id: string): Prisma.ContactWhereInput {
  return {
    workspaceId,
    deletedAt: null,
    OR: [{ id }, { mergedFrom: { some: { id, workspaceId } } }],
  };
}

/** External ref namespaces are case-insensitive, ids are not (API.md, External refs). */
export function normalizeNamespace(namespace: string): string {
  return namespace.trim().toLowerCase();
}

export function liveContactByExternalRef(workspaceId: string, namespace: string, externalId: string): Prisma.ContactWhereInput {
  return {
    workspaceId,
    deletedAt: null,
    externalRefs: { some: { workspaceId, namespace: normalizeNamespace(namespace), externalId, live: true } },
  };
}
