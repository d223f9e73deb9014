// Company.contacts: the company's contacts, with the arguments, limits and
// cursors of contacts(...), as if filtered by companyId. Under a list of
// companies, every company's page is read in one statement (a LATERAL join
// per company) and every count in another, through a per-request dataloader
// keyed by the field's place and arguments.
import { queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import { builder } from './builder.js';
import { ContactConnection } from './contact-connection.js';
import { contactListArgs, filterOf } from './contact-queries.js';
import { planPageOrThrow, withCursorColumns } from './paging.js';
import { requireWorkspace } from './guards.js';
import { contactFilterWhere, contactSortKey, type ContactFilter, type ContactOrder } from '../contacts/contact-query.js';
import { pageOf, type PageArgs, type PagePlan, type SortKey } from '../contacts/keyset.js';
import type { Context } from '../context.js';
import type { Contact, Prisma } from '../generated/prisma/client.js';

builder.prismaObjectField('Company', 'contacts', (t) =>
  t.field({
    type: ContactConnection,
    description: 'Contacts connected to this company, filtered and sorted like contacts(...), as a Relay connection (at most 100 per page).',
    args: contactListArgs,
    resolve: (company, args, ctx, info) => companyContactsPage(ctx, info, company.id, args, filterOf(args.filter), args.orderBy ?? undefined),
  }),
);

async function companyContactsPage(
  ctx: Context,
  info: GraphQLResolveInfo,
  companyId: string,
  args: PageArgs,
  filter: ContactFilter,
  orderBy: ContactOrder | undefined,
) {
  const workspace = requireWorkspace(ctx);
  const key = contactSortKey(orderBy);
  const signing = await ctx.cursorKey();
  const plan = planPageOrThrow('Contact', key, args, signing);
  const where = contactFilterWhere(workspace.id, filter, workspace.defaultCountry);
  const fieldKey = `Company.contacts:${info.fieldNodes.map((n) => n.loc?.start).join(',')}:${JSON.stringify(args)}`;
  const pages = ctx.loaders.get(`${fieldKey}:rows`, (companyIds) => pagesOfCompanies(ctx, info, workspace.id, companyIds, where, plan, key));
  const counts = ctx.loaders.get(`${fieldKey}:count`, (companyIds) => countsOfCompanies(ctx, workspace.id, companyIds, where));
  const rows = await pages.load(companyId);
  return { ...pageOf('Contact', key, plan, rows, signing), totalCount: () => counts.load(companyId) };
}

/** Every company's page of contacts, in one statement. */
async function pagesOfCompanies(
  ctx: Context,
  info: GraphQLResolveInfo,
  workspaceId: string,
  companyIds: readonly string[],
  where: Prisma.ContactWhereInput,
  plan: PagePlan,
  key: SortKey,
): Promise<Contact[][]> {
  const contact = withCursorColumns(queryFromInfo({ context: ctx, info, typeName: 'Contact', path: ['edges', 'node'] }), key);
  const companies = await ctx.prisma.company.findMany({
    where: { workspaceId, id: { in: [...companyIds] } },
    select: {
      id: true,
      employments: {
        where: { workspaceId, contact: { AND: [where, plan.where as Prisma.ContactWhereInput] } },
        orderBy: plan.orderBy.map((order) => ({ contact: order })) as Prisma.EmploymentOrderByWithRelationInput[],
        take: plan.take,
        select: { contact: contact as Prisma.ContactDefaultArgs },
      },
    },
    relationLoadStrategy: 'join',
  });
  const byId = new Map(companies.map((c) => [c.id, c.employments.map((e) => e.contact as Contact)]));
  return companyIds.map((id) => byId.get(id) ?? []);
}

/** Every company's count of the contacts its connection holds, in one statement. */
async function countsOfCompanies(ctx: Context, workspaceId: string, companyIds: readonly string[], where: Prisma.ContactWhereInput): Promise<number[]> {
  const groups = await ctx.prisma.employment.groupBy({
    by: ['companyId'],
    where: { workspaceId, companyId: { in: [...companyIds] }, contact: where },
    _count: { _all: true },
  });
  const byId = new Map(groups.map((g) => [g.companyId, g._count._all]));
  return companyIds.map((id) => byId.get(id) ?? 0);
}
