// How a contact id is found: in the viewer's workspace only, never deleted,
// and a merged contact's id resolves to its merge target (API.md, Queries).
// Merges re-point earlier tombstones at the newest target, so one hop suffices.
import type { Prisma } from '../generated/prisma/client.js';
import { normalizeNamespace } from './normalize.js';

export function liveContactById(workspaceId: string, id: string): Prisma.ContactWhereInput {
  return {
    workspaceId,
    deletedAt: null,
    OR: [{ id }, { mergedFrom: { some: { id, workspaceId } } }],
  };
}


export function liveContactByExternalRef(workspaceId: string, namespace: string, externalId: string): Prisma.ContactWhereInput {
  return {
    workspaceId,
    deletedAt: null,
    externalRefs: { some: { workspaceId, namespace: normalizeNamespace(namespace), externalId, live: true } },
  };
}
