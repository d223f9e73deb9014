// Rows written straight to the store, for tests of the read side that must not
// depend on the write mutations.
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { encodeGlobalId } from '../../src/schema/global-id.js';

export async function seedContact(
  prisma: PrismaClient,
  workspaceId: string,
  data: { firstName?: string; lastName?: string; email?: string; ref?: { namespace: string; externalId: string }; deleted?: boolean } = {},
) {
  const contact = await prisma.contact.create({
    data: {
      workspaceId,
      firstName: data.firstName ?? null,
      lastName: data.lastName ?? null,
      deletedAt: data.deleted ? new Date() : null,
      emails: data.email ? { create: [{ workspaceId, address: data.email, position: 0 }] } : undefined,
      externalRefs: data.ref
        ? { create: [{ workspaceId, namespace: data.ref.namespace, externalId: data.ref.externalId, live: data.deleted ? null : true }] }
        : undefined,
    },
  });
  return { ...contact, globalId: encodeGlobalId('Contact', contact.id) };
}
