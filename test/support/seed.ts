// Rows written straight to the store, for tests of the read side that must not
// depend on the write mutations.
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { encodeGlobalId } from '../../src/schema/global-id.js';
import { normalizePhone } from '../../src/contacts/phone.js';

export interface SeedContact {
  firstName?: string | null;
  lastName?: string | null;
  /** The primary email. */
  email?: string;
  /** More emails, after the primary one. */
  emails?: string[];
  /** Phone numbers as typed; the first is primary. Stored with their E.164 (US for numbers without +). */
  phones?: string[];
  tags?: string[];
  ref?: { namespace: string; externalId: string };
  /** Database ids of companies; the first is the primary connection. */
  companyIds?: string[];
  address?: { city: string; country?: string };
  deleted?: boolean;
  mergedIntoId?: string;
  createdAt?: Date;
  updatedAt?: Date;
}

export async function seedContact(prisma: PrismaClient, workspaceId: string, data: SeedContact = {}) {
  const emails = [...(data.email ? [data.email] : []), ...(data.emails ?? [])];
  const phones = (data.phones ?? []).map((number, position) => {
    const normalized = normalizePhone(number, 'US');
    if (normalized === null) throw new Error(`seed: invalid phone ${number}`);
    return { workspaceId, number, e164: normalized.e164, country: normalized.country, position };
  });
  const deleted = data.deleted === true || data.mergedIntoId !== undefined;
  const contact = await prisma.contact.create({
    data: {
      workspaceId,
      firstName: data.firstName ?? null,
      lastName: data.lastName ?? null,
      tags: [...new Set(data.tags ?? [])].sort(),
      deletedAt: deleted ? new Date() : null,
      mergedIntoId: data.mergedIntoId ?? null,
      ...(data.createdAt ? { createdAt: data.createdAt } : {}),
      ...(data.updatedAt ? { updatedAt: data.updatedAt } : {}),
      emails: emails.length ? { create: emails.map((address, position) => ({ workspaceId, address: address.toLowerCase(), position })) } : undefined,
      phones: phones.length ? { create: phones } : undefined,
      employments: data.companyIds?.length
        ? { create: data.companyIds.map((companyId, position) => ({ workspaceId, companyId, position, primary: position === 0 })) }
        : undefined,
      addresses: data.address ? { create: [{ workspaceId, position: 0, ...data.address }] } : undefined,
      externalRefs: data.ref
        ? { create: [{ workspaceId, namespace: data.ref.namespace, externalId: data.ref.externalId, live: deleted ? null : true }] }
        : undefined,
    },
  });
  return { ...contact, globalId: encodeGlobalId('Contact', contact.id) };
}

export async function seedCompany(prisma: PrismaClient, workspaceId: string, data: { name: string; domain?: string }) {
  const company = await prisma.company.create({ data: { workspaceId, name: data.name, domain: data.domain ?? null } });
  return { ...company, globalId: encodeGlobalId('Company', company.id) };
}
