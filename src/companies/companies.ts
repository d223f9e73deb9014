// Companies: what createCompany and updateCompany accept and store. A
// create's error paths are paths into its input; an update's name its
// parameter: `companyId`, or a path under `fields`.
import type { PrismaClient } from '../generated/prisma/client.js';
import { under, userError, type UserError } from '../errors.js';
import { lengthOf } from '../contacts/normalize.js';
import { invalidText } from '../text.js';
import type { Outcome } from '../errors.js';
import { isUniqueViolation } from '../db/errors.js';

/** Company names are unique per workspace, compared case-insensitively after trimming (the nameKey column). */
const nameTaken = () => userError('TAKEN', ['name'], 'The workspace has a company of this name.');

/** The write, or TAKEN when another company of the workspace has the name. */
async function unlessNameTaken<T>(write: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; userErrors: UserError[] }> {
  try {
    return { ok: true, value: await write() };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, userErrors: [nameTaken()] };
    throw error;
  }
}

export const COMPANY_LIMITS = { name: 200, domain: 253 } as const;

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** A domain is stored lowercase, without scheme, "www." or path: "https://www.Acme.com/" is "acme.com". */
export function normalizeDomain(input: string): string | null {
  let text = input.trim().toLowerCase();
  text = text.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/[/?#].*$/, '').replace(/^www\./, '').replace(/\.$/, '');
  return DOMAIN.test(text) ? text : null;
}

export interface CompanyInput {
  name?: string | null;
  domain?: string | null;
}

function validateCompany(input: CompanyInput, creating: boolean): { data: { name?: string; domain?: string | null }; errors: UserError[] } {
  const errors: UserError[] = invalidText(input, []);
  if (errors.length > 0) return { data: {}, errors };
  const data: { name?: string; domain?: string | null } = {};
  if (input.name !== undefined || creating) {
    const name = input.name?.trim() ?? '';
    if (name === '') errors.push(userError('INVALID', ['name'], 'A company needs a name.'));
    else if (lengthOf(name) > COMPANY_LIMITS.name) errors.push(userError('TOO_LONG', ['name'], `name is longer than ${COMPANY_LIMITS.name} characters.`));
    else data.name = name;
  }
  if (input.domain !== undefined) {
    if (input.domain === null || input.domain.trim() === '') data.domain = null;
    else if (lengthOf(input.domain) > 2048) errors.push(userError('TOO_LONG', ['domain'], 'domain is too long.'));
    else {
      const domain = normalizeDomain(input.domain);
      if (domain === null) errors.push(userError('INVALID', ['domain'], `"${input.domain}" is not a domain name.`));
      else data.domain = domain;
    }
  }
  return { data, errors };
}

export async function createCompany(prisma: PrismaClient, workspaceId: string, input: CompanyInput): Promise<Outcome<string>> {
  const { data, errors } = validateCompany(input, true);
  if (errors.length > 0) return { ok: false, userErrors: errors };
  const created = await unlessNameTaken(() => prisma.company.create({ data: { workspaceId, name: data.name!, domain: data.domain ?? null }, select: { id: true } }));
  return created.ok ? { ok: true, value: created.value.id } : created;
}

const companyNotFound = () => userError('NOT_FOUND', ['companyId'], 'No company of this workspace has this id.');

export async function updateCompany(prisma: PrismaClient, workspaceId: string, companyId: string | null, fields: CompanyInput): Promise<Outcome<string>> {
  const validated = validateCompany(fields, false);
  const errors = under(['fields'], validated.errors);
  if (companyId === null) return { ok: false, userErrors: [companyNotFound(), ...errors] };
  if (errors.length > 0) return { ok: false, userErrors: errors };
  const updated = await unlessNameTaken(() => prisma.company.updateMany({ where: { id: companyId, workspaceId }, data: validated.data }));
  if (!updated.ok) return { ok: false, userErrors: under(['fields'], updated.userErrors) };
  return updated.value.count === 0 ? { ok: false, userErrors: [companyNotFound()] } : { ok: true, value: companyId };
}
