// contacts(...): the workspace's contacts as a Relay connection, filtered and
// sorted (API.md, Queries). The rules live in src/contacts/contact-query.ts
// and src/contacts/keyset.ts; this file only maps GraphQL to them.
import { queryFromInfo } from '@pothos/plugin-prisma';
import { builder } from './builder.js';
import { MessageChannelEnum } from './enums.js';
import { ContactConnection } from './company.js';
import { idOf } from './global-id.js';
import { planPageOrThrow, withCursorColumns } from './paging.js';
import { requireWorkspace } from '../auth/viewer.js';
import { contactFilterWhere, contactSortKey, type ContactFilter, type ContactOrder } from '../contacts/contact-query.js';
import { pageOf, type PageArgs } from '../contacts/keyset.js';
import type { Context } from '../context.js';
import type { GraphQLResolveInfo } from 'graphql';
import type { Contact, Prisma } from '../generated/prisma/client.js';

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

const ContactOrderInput = builder.inputType('ContactOrder', {
  description: 'How contacts are sorted. The default is CREATED_AT ASC.',
  fields: (t) => ({
    field: t.field({ type: ContactOrderFieldEnum, required: true, description: 'The value to sort by.' }),
    direction: t.field({ type: OrderDirectionEnum, required: true, description: 'Ascending or descending.' }),
  }),
});

const ContactFilterInput = builder.inputType('ContactFilter', {
  description: 'Which contacts to list. Every filter given must hold (they combine with AND).',
  fields: (t) => ({
    search: t.string({
      description:
        "Case-insensitive part of the first name, last name or any email; a phone number in any format also finds the contacts having it (numbers without + are read in the workspace's default country).",
    }),
    email: t.string({ description: "One of the contact's emails, case-insensitive, whole address." }),
    phone: t.string({ description: "One of the contact's phones, in any format; compared on E.164. A number that does not parse matches nothing." }),
    tag: t.string({ description: 'A tag the contact has (exact).' }),
    companyId: t.id({ description: 'The global id of a company the contact is connected to.' }),
    externalNamespace: t.string({ description: 'A system the contact has a reference in (case-insensitive), e.g. "salesforce".' }),
    updatedSince: t.field({ type: 'DateTime', description: 'Only contacts changed at or after this time.' }),
    assignedTo: t.string({ description: 'The owner id the contact is assigned to (exact, after trimming).' }),
    doNotDisturb: t.field({ type: MessageChannelEnum, description: 'A channel among the contact\'s doNotDisturb channels.' }),
    includeDeleted: t.boolean({ description: 'Also list deleted contacts, merged ones included. Default false.' }),
  }),
});

builder.queryFields((t) => ({
  contacts: t.field({
    type: ContactConnection,
    description:
      "The workspace's live contacts, filtered and sorted, as a Relay connection. Pages hold at most 100 contacts (20 when neither first nor last is given).",
    args: {
      first: t.arg.int({ description: 'How many contacts from the start (or from `after`); at most 100.' }),
      after: t.arg.string({ description: 'The cursor of the contact after which the page starts.' }),
      last: t.arg.int({ description: 'How many contacts from the end (or up to `before`); at most 100. Not with `first`.' }),
      before: t.arg.string({ description: 'The cursor of the contact before which the page ends.' }),
      filter: t.arg({ type: ContactFilterInput, description: 'Which contacts to list; all by default.' }),
      orderBy: t.arg({ type: ContactOrderInput, description: 'How to sort; CREATED_AT ASC by default.' }),
    },
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
  const plan = planPageOrThrow('Contact', key, args);
  const where = contactFilterWhere(workspace.id, filter, workspace.defaultCountry);
  const query = withCursorColumns(queryFromInfo({ context: ctx, info, typeName: 'Contact', path: ['edges', 'node'] }), key);
  const rows = await ctx.prisma.contact.findMany({
    ...query,
    // One SQL statement for the page and every nested list (PRISMA-OFFLINE.md, relationJoins).
    relationLoadStrategy: 'join',
    // The keyset plan is built field by field from the sort key; its shape is Prisma's.
    where: { AND: [where, plan.where as Prisma.ContactWhereInput] },
    orderBy: plan.orderBy as Prisma.ContactOrderByWithRelationInput[],
    take: plan.take,
  });
  return { ...pageOf('Contact', key, plan, rows), totalCount: () => ctx.prisma.contact.count({ where }) };
}

// Company.contacts pages like contacts(filter: { companyId }) and shares its
// limits and cursors. Under a list of companies, every company's page is read
// in one statement (a LATERAL join per company) and every count in another,
// through a per-request dataloader keyed by the field's place and arguments.
builder.prismaObjectField('Company', 'contacts', (t) =>
  t.field({
    type: ContactConnection,
    description: 'Live contacts connected to this company, oldest first, as a Relay connection (at most 100 per page).',
    args: {
      first: t.arg.int({ description: 'How many contacts from the start (or from `after`); at most 100.' }),
      after: t.arg.string({ description: 'The cursor of the contact after which the page starts.' }),
    },
    resolve: (company, args, ctx, info) => {
      const workspaceId = requireWorkspace(ctx).id;
      const key = contactSortKey(undefined);
      const plan = planPageOrThrow('Contact', key, args);
      const fieldKey = `Company.contacts:${info.fieldNodes.map((n) => n.loc?.start).join(',')}:${JSON.stringify(args)}`;
      const pages = ctx.loaders.get(`${fieldKey}:rows`, async (companyIds) => {
        const contact = withCursorColumns(queryFromInfo({ context: ctx, info, typeName: 'Contact', path: ['edges', 'node'] }), key);
        const companies = await ctx.prisma.company.findMany({
          where: { workspaceId, id: { in: [...companyIds] } },
          select: {
            id: true,
            employments: {
              where: { workspaceId, contact: { AND: [{ workspaceId, deletedAt: null }, plan.where as Prisma.ContactWhereInput] } },
              orderBy: plan.orderBy.map((order) => ({ contact: order })) as Prisma.EmploymentOrderByWithRelationInput[],
              take: plan.take,
              select: { contact: contact as Prisma.ContactDefaultArgs },
            },
          },
          relationLoadStrategy: 'join',
        });
        const byId = new Map(companies.map((c) => [c.id, c.employments.map((e) => e.contact)]));
        return companyIds.map((id) => byId.get(id) ?? []);
      });
      const counts = ctx.loaders.get(`${fieldKey}:count`, async (companyIds) => {
        const groups = await ctx.prisma.employment.groupBy({
          by: ['companyId'],
          where: { workspaceId, companyId: { in: [...companyIds] }, contact: { deletedAt: null } },
          _count: { _all: true },
        });
        const byId = new Map(groups.map((g) => [g.companyId, g._count._all]));
        return companyIds.map((id) => byId.get(id) ?? 0);
      });
      return pages.load(company.id).then((rows) => ({
        ...pageOf('Contact', key, plan, rows as Contact[]),
        totalCount: () => counts.load(company.id),
      }));
    },
  }),
);

type ContactFilterArg = NonNullable<typeof ContactFilterInput.$inferInput>;

function filterOf(filter: ContactFilterArg | null | undefined): ContactFilter {
  if (filter == null) return {};
  const { companyId, ...rest } = filter;
  // A malformed id or one of another type names no company: the filter then
  // matches nothing, as an id that does not exist would (API.md, Transport and auth).
  return { ...rest, ...(companyId == null ? {} : { companyId: idOf('Company', String(companyId)) }) };
}
