// The Company type, and companies(...): the workspace's companies as a Relay
// connection (API.md, Queries).
import { queryFromInfo } from '@pothos/plugin-prisma';
import { builder } from './builder.js';
import { bounded, MAX_CURSOR, MAX_SEARCH } from './bounds.js';
import { planPageOrThrow, withCursorColumns } from './paging.js';
import { requireWorkspace } from './guards.js';
import { COMPANY_SORT_KEY, companyFilterWhere } from '../contacts/company-query.js';
import { pageOf } from '../contacts/keyset.js';
import type { Prisma } from '../generated/prisma/client.js';

export const CompanyRef = builder.prismaNode('Company', {
  description: 'A company that contacts work for.',
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, workspaceId: requireWorkspace(ctx).id }),
  select: { id: true, name: true, domain: true },
  fields: (t) => ({
    name: t.string({ description: 'The company name.', resolve: (c) => c.name }),
    domain: t.string({ nullable: true, description: 'The web domain, e.g. "acme.com".', resolve: (c) => c.domain }),
  }),
});

export const CompanyConnection = builder.connectionObject(
  {
    type: CompanyRef,
    name: 'CompanyConnection',
    description: 'A page of companies.',
    fields: (t) => ({
      totalCount: t.int({
        description: 'How many companies the connection holds across all pages.',
        resolve: (connection) => (connection as unknown as { totalCount: () => Promise<number> }).totalCount(),
      }),
    }),
  },
  { name: 'CompanyEdge', description: 'A company and its cursor.' },
);

const CompanyFilterInput = builder.inputType('CompanyFilter', {
  description: 'Which companies to list.',
  fields: (t) => ({
    search: t.string(bounded(MAX_SEARCH, 'Case-insensitive part of the name or the domain.')),
  }),
});

builder.queryFields((t) => ({
  companies: t.field({
    type: CompanyConnection,
    description: "The workspace's companies by name (then id), as a Relay connection; at most 100 per page, 20 when neither first nor last is given.",
    args: {
      first: t.arg.int({ description: 'How many companies from the start (or from `after`); at most 100.' }),
      after: t.arg.string(bounded(MAX_CURSOR, 'The cursor of the company after which the page starts.')),
      last: t.arg.int({ description: 'How many companies from the end (or up to `before`); at most 100. Not with `first`.' }),
      before: t.arg.string(bounded(MAX_CURSOR, 'The cursor of the company before which the page ends.')),
      filter: t.arg({ type: CompanyFilterInput, description: 'Which companies to list; all by default.' }),
    },
    resolve: async (_root, args, ctx, info) => {
      const where = companyFilterWhere(requireWorkspace(ctx).id, args.filter);
      const signing = await ctx.cursorKey();
      const plan = planPageOrThrow('Company', COMPANY_SORT_KEY, args, signing);
      const query = queryFromInfo({ context: ctx, info, typeName: 'Company', path: ['edges', 'node'] });
      const rows = await ctx.prisma.company.findMany({
        ...withCursorColumns(query, COMPANY_SORT_KEY),
        relationLoadStrategy: 'join',
        // The keyset plan is built field by field from the sort key; its shape is Prisma's.
        where: { AND: [where, plan.where as Prisma.CompanyWhereInput] },
        orderBy: plan.orderBy as Prisma.CompanyOrderByWithRelationInput[],
        take: plan.take,
      });
      return { ...pageOf('Company', COMPANY_SORT_KEY, plan, rows, signing), totalCount: () => ctx.prisma.company.count({ where }) };
    },
  }),
}));
