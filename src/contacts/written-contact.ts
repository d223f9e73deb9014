// A contact as a mutation of this request wrote it: the row the database
// returned, and the lists the same statement stored. A payload that asks for
// nothing else is answered from it, without reading the contact back.
import type { Address, Contact, Email, ExternalRef, Phone } from '../generated/prisma/client.js';
import type { ContactState } from './contact-state.js';

export interface ContactAsWritten {
  /** As the database returned it (RETURNING), not as we meant to write it. */
  row: Contact;
  /** The state the statement wrote: the lists as stored, in stored order. */
  state: ContactState;
}

/** A contact a mutation changed, and what it wrote when one statement of this request wrote all of it (else null). */
export interface WrittenContact {
  contactId: string;
  written: ContactAsWritten | null;
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

/** The written contact in the shape a read of the contact with these lists returns. */
export function withLists({ row, state }: ContactAsWritten): ContactWithLists {
  const owner = { workspaceId: row.workspaceId, contactId: row.id };
  return {
    ...row,
    emails: state.emails.map((e, position) => ({ ...owner, address: e.address, type: e.type, position })),
    phones: state.phones.map((p, position) => ({ ...owner, number: p.number, e164: p.e164, type: p.type, country: p.country, position })),
    addresses: state.addresses.map((a, position) => ({ ...owner, ...a, position })),
    // A live contact's refs are all live (a deleted one's are not, and nothing writes one).
    externalRefs: state.externalRefs.map((r) => ({ ...owner, namespace: r.namespace, externalId: r.externalId, live: true })),
  };
}
