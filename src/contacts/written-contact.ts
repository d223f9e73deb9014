// A contact as the database holds it once a mutation of this request is done:
// the row its statement returned and the lists that statement stored, or, when
// nothing changed, the row and lists it read. A payload that asks for nothing
// else is answered from it, without reading the contact back.
import type { Address, Contact, Email, ExternalRef, Phone } from '../generated/prisma/client.js';
import type { ContactState } from './contact-state.js';

export interface ContactAsStored {
  /** As the database returned it (RETURNING, or the read), not as we meant to write it. */
  row: Contact;
  /** The state written (or read): the lists as stored, in stored order. */
  state: ContactState;
  /** The fields this write changed, as the change feed names them; [] when nothing changed. */
  changedFields: string[];
}

/**
 * The contact a mutation wrote to, and how it is stored now when the mutation
 * knows all of it: one statement of this request wrote it, or read it and
 * nothing changed (else null).
 */
export interface WrittenContact {
  contactId: string;
  stored: ContactAsStored | null;
}

/**
 * A list row without its id: a write replaces a list with new ids, and an
 * unchanged list keeps ids this request never read. No GraphQL field shows them.
 */
type ListRow<T> = Omit<T, 'id'>;

export interface ContactWithLists extends Contact {
  emails: ListRow<Email>[];
  phones: ListRow<Phone>[];
  addresses: ListRow<Address>[];
  externalRefs: ListRow<ExternalRef>[];
}

/** The contact in the shape a read of it with these lists returns. */
export function withLists({ row, state }: Pick<ContactAsStored, 'row' | 'state'>): ContactWithLists {
  const owner = { workspaceId: row.workspaceId, contactId: row.id };
  return {
    ...row,
    emails: state.emails.map((e, position) => ({ ...owner, address: e.address, type: e.type, position })),
    phones: state.phones.map((p, position) => ({ ...owner, number: p.number, e164: p.e164, type: p.type, country: p.country, position })),
    addresses: state.addresses.map((a, position) => ({ ...owner, ...a, position })),
    // A live contact's refs are all live (a deleted one's are not, and nothing writes one).
    externalRefs: state.externalRefs.map((r) => ({
      ...owner, namespace: r.namespace, externalId: r.externalId, live: true,
      remoteCreatedAt: r.remoteCreatedAt ? new Date(r.remoteCreatedAt) : null,
      remoteUpdatedAt: r.remoteUpdatedAt ? new Date(r.remoteUpdatedAt) : null,
      remoteDeleted: r.remoteDeleted ?? false,
    })),
  };
}
