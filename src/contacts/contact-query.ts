// The rules of the contacts list (API.md, Queries: contacts): which contacts a
// ContactFilter selects and how a ContactOrder sorts them. Plain functions
// that produce Prisma arguments; nothing here knows GraphQL.
import type { Prisma } from '../generated/prisma/client.js';
import type { MessageChannel } from './seed-fields.js';
import { normalizePhone } from './phone.js';
import { normalizeNamespace } from './normalize.js';
import type { SortDirection, SortKey } from './keyset.js';

export interface ContactFilter {
  search?: string | null;
  email?: string | null;
  phone?: string | null;
  tag?: string | null;
  /** The database id of a company, or null when the given id named none (malformed or foreign): then nothing matches. */
  companyId?: string | null;
  externalNamespace?: string | null;
  updatedSince?: Date | null;
  assignedTo?: string | null;
  doNotDisturb?: MessageChannel | null;
  includeDeleted?: boolean | null;
}

export type ContactOrderField = 'CREATED_AT' | 'UPDATED_AT' | 'LAST_NAME';

export interface ContactOrder {
  field: ContactOrderField;
  direction: SortDirection;
}

export const DEFAULT_CONTACT_ORDER: ContactOrder = { field: 'CREATED_AT', direction: 'asc' };

const ORDER_FIELDS: Record<ContactOrderField, Omit<SortKey, 'direction'>> = {
  CREATED_AT: { name: 'CREATED_AT', field: 'createdAt', kind: 'date', nullable: false },
  UPDATED_AT: { name: 'UPDATED_AT', field: 'updatedAt', kind: 'date', nullable: false },
  // lastName is optional: contacts without one sort after every name. Compared
  // lowercased (lastNameKey); the cursor's name changed with it, so a cursor of
  // the old, case-sensitive order is refused rather than misplaced.
  LAST_NAME: { name: 'LAST_NAME_KEY', field: 'lastNameKey', kind: 'string', nullable: true },
};

export function contactSortKey(order: ContactOrder = DEFAULT_CONTACT_ORDER): SortKey {
  return { ...ORDER_FIELDS[order.field], direction: order.direction };
}

/** Matches no row: for filters whose value can name nothing (an unparseable phone, a foreign company id). */
const NOTHING: Prisma.ContactWhereInput = { id: { in: [] } };

/**
 * The contacts of the workspace that `filter` selects; every given filter
 * must hold (API.md: "Filters combine with AND"). Nested conditions repeat
 * workspaceId so the child tables' indexes, which lead with it, serve them.
 */
export function contactFilterWhere(
  workspaceId: string,
  filter: ContactFilter | null | undefined,
  defaultCountry: string | null,
): Prisma.ContactWhereInput {
  const f = filter ?? {};
  const and: Prisma.ContactWhereInput[] = [];

  // Deleted contacts, merged-away tombstones included, are hidden unless asked for.
  if (f.includeDeleted !== true) and.push({ deletedAt: null, mergedIntoId: null });

  const search = f.search?.trim() ?? '';
  if (search !== '') and.push(searchWhere(search, defaultCountry));

  if (f.email != null) {
    // Emails are stored trimmed and lowercase (API.md, Rules), so equality on
    // the lowercased value is the case-insensitive match and uses the index.
    and.push({ emails: { some: { workspaceId, address: f.email.trim().toLowerCase() } } });
  }
  if (f.phone != null) and.push(phoneWhere(workspaceId, f.phone, defaultCountry) ?? NOTHING);
  if (f.tag != null) and.push({ tags: { has: f.tag.trim() } });
  if (f.companyId !== undefined) {
    and.push(f.companyId === null ? NOTHING : { employments: { some: { workspaceId, companyId: f.companyId } } });
  }
  if (f.externalNamespace != null) {
    // Namespaces are stored lowercase: case-insensitive (API.md, External refs).
    and.push({ externalRefs: { some: { workspaceId, namespace: normalizeNamespace(f.externalNamespace) } } });
  }
  if (f.updatedSince != null) and.push({ updatedAt: { gte: f.updatedSince } });
  // assignedTo is stored trimmed: compared exactly, after trimming the filter the same way.
  if (f.assignedTo != null) and.push({ assignedTo: f.assignedTo.trim() });
  if (f.doNotDisturb != null) and.push({ doNotDisturb: { has: f.doNotDisturb } });

  return and.length === 0 ? { workspaceId } : { workspaceId, AND: and };
}

/**
 * search: a case-insensitive substring of the first name, last name or any
 * email; and when the text is a valid phone number in any format, any phone
 * with that E.164 (API.md, Queries: ContactFilter.search). Both read the
 * contact's own search columns (migration contact_search_columns), whose
 * trigram indexes serve them; their values are apart by U+0001, so a text
 * with that character would span two of them and matches nothing.
 */
function searchWhere(search: string, defaultCountry: string | null): Prisma.ContactWhereInput {
  if (search.includes(SEPARATOR)) return NOTHING;
  const or: Prisma.ContactWhereInput[] = [{ searchText: { contains: likeLiteral(search), mode: 'insensitive' } }];
  const phone = phoneKey(search, defaultCountry);
  if (phone !== null) or.push({ phoneKeys: { contains: phone } });
  return { OR: or };
}

/** Between the values of the search columns. */
const SEPARATOR = '\u0001';

/** The part of phoneKeys that a phone typed in any format (phoneDigits) names. */
function phoneKey(text: string, defaultCountry: string | null): string | null {
  const phone = phoneDigits(text, defaultCountry);
  if (phone === null) return null;
  return phone.exact ? `${SEPARATOR}${phone.e164}${SEPARATOR}` : `${phone.ending}${SEPARATOR}`;
}

/**
 * A phone "in any format" (API.md, ContactFilter): its E.164 when it parses
 * (with the workspace's default country for one without "+"); otherwise, as
 * a national or "00"-prefixed number typed without a country, the phones
 * whose E.164 ends with its digits (leading zeros, a trunk or "00" prefix,
 * dropped): "(415) 555-2671" finds +14155552671 and "020 7946 0958" finds
 * +442079460958 in a workspace with no default country. At least 8 digits,
 * so that a fragment does not match half the book. null: it names no phone.
 */
function phoneWhere(workspaceId: string, text: string, defaultCountry: string | null): Prisma.ContactWhereInput | null {
  const phone = phoneDigits(text, defaultCountry);
  if (phone === null) return null;
  return { phones: { some: { workspaceId, e164: phone.exact ? phone.e164 : { endsWith: phone.ending } } } };
}

type PhoneDigits = { exact: true; e164: string } | { exact: false; ending: string };

/** What a phone "in any format" names: an E.164 number, or the digits an E.164 ends with; null when neither. */
function phoneDigits(text: string, defaultCountry: string | null): PhoneDigits | null {
  const phone = normalizePhone(text, defaultCountry);
  if (phone !== null) return { exact: true, e164: phone.e164 };
  if (!/^[\d\s().\-/+]+$/.test(text.trim())) return null;
  const digits = text.replace(/\D/g, '').replace(/^0+/, '');
  if (digits.length < MIN_SUFFIX_DIGITS || digits.length > 15) return null;
  return { exact: false, ending: digits };
}

/** The fewest digits a phone typed without its country must have to be matched by its ending. */
const MIN_SUFFIX_DIGITS = 8;

/**
 * Prisma's `contains` hands its value to LIKE unescaped, so "_" and "%" would
 * be wildcards; search is a plain substring ("first_last@" is a common email).
 */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
