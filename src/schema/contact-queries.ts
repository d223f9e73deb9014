// contacts(...): the workspace's contacts as a Relay connection, filtered and
// sorted (API.md, Queries). The rules live in src/contacts/contact-query.ts
// and src/contacts/keyset.ts; this file only maps GraphQL to them.
import { queryFromInfo } from '@pothos/plugin-prisma';
import { builder } from './builder.js';
import { MessageChannelEnum } from './enums.js';
import { bounded, MAX_CURSOR, MAX_ID, MAX_SEARCH } from './bounds.js';
import { LIMITS } from '../contacts/contact-input.js';
import { SEED_LIMITS } from '../contacts/seed-fields.js';
import { ContactConnection } from './contact-connection.js';
import { idOf } from './global-id.js';
import { planPageOrThrow, withCursorColumns } from './paging.js';
import { requireWorkspace } from './guards.js';
import { contactFilterWhere, contactSortKey, type ContactFilter, type ContactOrder } from '../contacts/contact-query.js';
import { pageOf, type PageArgs } from '../contacts/keyset.js';
import type { Context } from '../context.js';
import type { GraphQLResolveInfo } from 'graphql';
import type { Prisma } from '../generated/prisma/client.js';

export const OrderDirectionEnum = builder.enumType('OrderDirection', {
  description: 'Which way a list is sorted.',
  values: {
    ASC: { value: 'asc', description: 'Smallest first; a missing value comes last.' },
    DESC: { value: 'desc', description: 'Largest first; a missing value comes first.' },
  } as const,
});

const ContactOrderFieldEnum = builder.enumType('ContactOrderField', {
  description: 'What contacts can be sorted by. Contacts with equal values are sorted by id, so paging is stable.',
  values: {
    CREATED_AT: { description: 'When the contact was created.' },
    UPDATED_AT: { description: 'When the contact last changed.' },
    LAST_NAME: { description: 'Family name; contacts without one come after every name in ascending order.' },
  } as const,
});

export const ContactOrderInput = builder.inputType('ContactOrder', {
  description: 'How contacts are sorted. The default is CREATED_AT ASC.',
  fields: (t) => ({
    field: t.field({ type: ContactOrderFieldEnum, required: true, description: 'The value to sort by.' }),
    direction: t.field({ type: OrderDirectionEnum, required: true, description: 'Ascending or descending.' }),
  }),
});

export const ContactFilterInput = builder.inputType('ContactFilter', {
  description: 'Which contacts to list. Every filter given must hold (they combine with AND).',
  fields: (t) => ({
    search: t.string(
      bounded(
        MAX_SEARCH,
        "Case-insensitive part of the first name, last name or any email; a phone number in any format also finds the contacts having it (numbers without + are read in the workspace's default country).",
      ),
    ),
    email: t.string(bounded(LIMITS.email, "One of the contact's emails, case-insensitive, whole address.")),
    phone: t.string(bounded(LIMITS.phoneInList, "One of the contact's phones, in any format; compared on E.164. A number that does not parse matches nothing.")),
    tag: t.string(bounded(LIMITS.tag, 'A tag the contact has (exact).')),
    companyId: t.id(bounded(MAX_ID, 'The global id of a company the contact is connected to.')),
    externalNamespace: t.string(bounded(LIMITS.namespace, 'A system the contact has a reference in (case-insensitive), e.g. "salesforce".')),
    updatedSince: t.field({ type: 'DateTime', description: 'Only contacts changed at or after this time.' }),
    assignedTo: t.string(bounded(SEED_LIMITS.assignedTo, 'The owner id the contact is assigned to (exact, after trimming).')),
    doNotDisturb: t.field({ type: MessageChannelEnum, description: 'A channel among the contact\'s doNotDisturb channels.' }),
    includeDeleted: t.boolean({ description: 'Also list deleted contacts, merged ones included. Default false.' }),
  }),
});

/** The arguments of every list of contacts: contacts and Company.contacts. */
export const contactListArgs = builder.args((t) => ({
  first: t.int({ description: 'How many contacts from the start (or from `after`); at most 100.' }),
  after: t.string(bounded(MAX_CURSOR, 'The cursor of the contact after which the page starts.')),
  last: t.int({ description: 'How many contacts from the end (or up to `before`); at most 100. Not with `first`.' }),
  before: t.string(bounded(MAX_CURSOR, 'The cursor of the contact before which the page ends.')),
  filter: t.field({ type: ContactFilterInput, description: 'Which contacts to list; all by default.' }),
  orderBy: t.field({ type: ContactOrderInput, description: 'How to sort; CREATED_AT ASC by default.' }),
}));

builder.queryFields((t) => ({
  contacts: t.field({
    type: ContactConnection,
    description:
      "The workspace's live contacts, filtered and sorted, as a Relay connection. Pages hold at most 100 contacts (20 when neither first nor last is given).",
    args: contactListArgs,
    resolve: (_root, args, ctx, info) =>
      contactPage(ctx, info, args, filterOf(args.filter), args.orderBy ?? undefined),
  }),
}));

/** A page of the workspace's contacts: one statement for the page and its nested lists, one for totalCount. */
async function contactPage(
  ctx: Context,
  info: GraphQLResolveInfo,
  args: PageArgs,
  filter: ContactFilter,
  orderBy: ContactOrder | undefined,
) {
  const workspace = requireWorkspace(ctx);
  const key = contactSortKey(orderBy);
  const signing = await ctx.cursorKey();
  const plan = planPageOrThrow('Contact', key, args, signing);
  const where = contactFilterWhere(workspace.id, filter, workspace.defaultCountry);
  const query = withCursorColumns(queryFromInfo({ context: ctx, info, typeName: 'Contact', path: ['edges', 'node'] }), key);
  const rows = await ctx.prisma.contact.findMany({
    ...query,
    // One SQL statement for the page and every nested list: relationJoins.
    relationLoadStrategy: 'join',
    // The keyset plan is built field by field from the sort key; its shape is Prisma's.
    where: { AND: [where, plan.where as Prisma.ContactWhereInput] },
    orderBy: plan.orderBy as Prisma.ContactOrderByWithRelationInput[],
    take: plan.take,
  });
  return { ...pageOf('Contact', key, plan, rows, signing), totalCount: () => ctx.prisma.contact.count({ where }) };
}

type ContactFilterArg = NonNullable<typeof ContactFilterInput.$inferInput>;

export function filterOf(filter: ContactFilterArg | null | undefined): ContactFilter {
  if (filter == null) return {};
  const { companyId, ...rest } = filter;
  // A malformed id or one of another type names no company: the filter then
  // matches nothing, as an id that does not exist would (API.md, Transport and auth).
  return { ...rest, ...(companyId == null ? {} : { companyId: idOf('Company', String(companyId)) }) };
}
