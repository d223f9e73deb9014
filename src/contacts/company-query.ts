// The rules of the companies list (API.md, Queries: companies): sorted by
// name, then id; `search` is a case-insensitive substring of name or domain.
import type { Prisma } from '../generated/prisma/client.js';
import type { SortKey } from './keyset.js';
import { likeLiteral } from './contact-query.js';

export interface CompanyFilter {
  search?: string | null;
}

/** Served by the (workspaceId, name, id) index. */
export const COMPANY_SORT_KEY: SortKey = { name: 'NAME', field: 'name', kind: 'string', nullable: false, direction: 'asc' };

export function companyFilterWhere(workspaceId: string, filter: CompanyFilter | null | undefined): Prisma.CompanyWhereInput {
  const search = filter?.search?.trim() ?? '';
  if (search === '') return { workspaceId };
  const text = likeLiteral(search);
  return {
    workspaceId,
    OR: [{ name: { contains: text, mode: 'insensitive' } }, { domain: { contains: text, mode: 'insensitive' } }],
  };
}
