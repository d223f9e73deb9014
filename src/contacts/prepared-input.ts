// An input checked against everything that can be checked before writing:
// its own values and the companies it names. All errors come back together.
import type { PrismaClient, Workspace } from '../generated/prisma/client.js';
import { userError, type UserError } from '../errors.js';
import type { ContactChanges } from './contact-state.js';
import { missingCompanies } from './contact-store.js';
import { validateContactInput, type ContactInput } from './contact-input.js';
import { pathsWithNul } from './normalize.js';

export interface PreparedInput {
  changes: ContactChanges;
  errors: UserError[];
}

export async function prepareContactInput(
  prisma: PrismaClient,
  workspace: Workspace,
  input: ContactInput,
  base: string[],
  companyIdOf: (publicId: string) => string | null,
): Promise<PreparedInput> {
  const nul = pathsWithNul(input, base).map((field) => userError('INVALID', field, 'Text must not contain NUL characters.'));
  if (nul.length > 0) return { changes: {}, errors: nul };
  const validated = validateContactInput(input, { defaultCountry: workspace.defaultCountry, companyIdOf }, base);
  const missing = await missingCompanies(prisma, workspace.id, validated.companyRefs.map((c) => c.companyId));
  const companyErrors = validated.companyRefs
    .filter((c) => missing.has(c.companyId))
    .map((c) => userError('NOT_FOUND', c.field, 'No company of this workspace has this id.'));
  return { changes: validated.changes, errors: [...validated.errors, ...companyErrors] };
}
