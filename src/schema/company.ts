// The Company type.
import { builder } from './builder.js';
import { ContactRef } from './contact.js';
import { requireWorkspace } from '../auth/viewer.js';

export const ContactConnection = builder.connectionObject(
  {
    type: ContactRef,
    name: 'ContactConnection',
    description: 'A page of contacts.',
    fields: (t) => ({
      totalCount: t.int({
        description: 'How many contacts the connection holds across all pages.',
        resolve: (connection) => {
          const { totalCount } = connection as { totalCount?: number | (() => number | Promise<number>) };
          return typeof totalCount === 'function' ? totalCount() : (totalCount ?? 0);
        },
      }),
    }),
  },
  { name: 'ContactEdge', description: 'A contact and its cursor.' },
);

function contactsOfCompany(workspaceId: string, companyId: string) {
  return { workspaceId, deletedAt: null, employments: { some: { companyId } } };
}

export const CompanyRef = builder.prismaNode('Company', {
  description: 'A company that contacts work for.',
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, workspaceId: requireWorkspace(ctx).id }),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The company name.' }),
    domain: t.exposeString('domain', { nullable: true, description: 'The web domain, e.g. "acme.com".' }),
    contacts: t.prismaConnection(
      {
        type: 'Contact',
        cursor: 'id',
        description: 'Live contacts connected to this company, oldest first.',
        resolve: (query, company, _args, ctx) =>
          ctx.prisma.contact.findMany({
            ...query,
            where: contactsOfCompany(requireWorkspace(ctx).id, company.id),
            orderBy: { id: 'asc' },
          }),
        totalCount: (company, _args, ctx) =>
          ctx.prisma.contact.count({ where: contactsOfCompany(requireWorkspace(ctx).id, company.id) }),
      },
      ContactConnection,
    ),
  }),
});
