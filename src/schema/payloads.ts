// Helpers for mutation payloads: every payload has userErrors, and a payload
// that names a contact loads it with the plugin's planned query.
import { builder } from './builder.js';
import { isDeepStrictEqual } from 'node:util';
import { ContactRef, WRITTEN_LISTS } from './contact.js';
import { UserErrorRef } from './user-error.js';
import type { UserError } from '../errors.js';
import type { Outcome } from '../errors.js';
import { withLists, type ContactAsStored, type WrittenContact } from '../contacts/written-contact.js';

export interface ContactPayloadShape {
  contactId: string | null;
  /** The contact as stored once the mutation is done, when it knows all of it: a payload asking for no more needs no read. */
  stored?: ContactAsStored | null;
  userErrors: UserError[];
}

export function contactPayload(outcome: Outcome<string | WrittenContact>): ContactPayloadShape {
  if (!outcome.ok) return { contactId: null, userErrors: outcome.userErrors };
  return typeof outcome.value === 'string' ? { contactId: outcome.value, userErrors: [] } : { ...outcome.value, userErrors: [] };
}

/**
 * Whether the plugin's planned query asks for nothing the stored contact
 * lacks: the contact's own columns, and lists it holds, read in stored order
 * (no companies, no other arguments), of the columns their types read. The
 * plugin adds each list row's id to a select; no field shows it, and the
 * stored lists have none (ListRow).
 */
function answeredBy(stored: ContactAsStored, query: object): boolean {
  const { include, select } = query as { include?: Record<string, unknown>; select?: object };
  if (select !== undefined) return false;
  return Object.entries(include ?? {}).every(([relation, args]) => {
    if (!Object.hasOwn(WRITTEN_LISTS, relation)) return false;
    if (relation === 'externalRefs' && stored.state.externalRefs.length > 1) return false;
    const list = WRITTEN_LISTS[relation as keyof typeof WRITTEN_LISTS];
    const { select: columns, ...rest } = args as { select?: Record<string, unknown> };
    return isDeepStrictEqual(rest, list.query) && Object.keys(columns ?? {}).every((c) => c === 'id' || Object.hasOwn(list.columns, c));
  });
}

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** A payload type with `contact` and `userErrors`, and any fields `extra` adds. */
export function contactPayloadType<T extends ContactPayloadShape>(
  name: string,
  description: string,
  extra?: (t: PothosSchemaTypes.ObjectFieldBuilder<Types, T>) => Record<string, unknown>,
) {
  return builder.objectRef<T>(name).implement({
    description,
    fields: (t) => ({
      ...(extra?.(t) as object),
      contact: t.prismaField({
        type: ContactRef,
        nullable: true,
        description: 'The contact as it is now; null when userErrors is not empty.',
        // Through a per-request loader: the 100 results of upsertContacts read
        // their contacts in one statement instead of 100.
        resolve: (query, payload, _args, ctx, info) => {
          if (payload.contactId === null) return null;
          if (payload.stored && answeredBy(payload.stored, query)) return withLists(payload.stored) as never;
          const place = info.fieldNodes.map((node) => node.loc?.start).join(',');
          const contacts = ctx.loaders.get(`payload-contact:${place}`, async (ids) => {
            const selection = 'select' in query && query.select ? { select: { ...query.select, id: true } } : query;
            const rows = await ctx.prisma.contact.findMany({ ...(selection as object), where: { id: { in: [...ids] } }, relationLoadStrategy: 'join' });
            const byId = new Map(rows.map((row) => [row.id, row]));
            return ids.map((id) => byId.get(id) ?? null);
          });
          return contacts.load(payload.contactId) as never;
        },
      }),
      userErrors: t.field({
        type: [UserErrorRef],
        description: 'Why nothing was written; empty on success.',
        resolve: (payload) => payload.userErrors,
      }),
    }),
  });
}
