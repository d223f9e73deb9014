// An input checked against everything that can be checked before writing:
// its own values and the companies it names. All errors come back together.
import type { PrismaClient, Workspace } from '../generated/prisma/client.js';
import { userError, type UserError } from '../errors.js';
import type { ContactChanges } from './contact-state.js';
import { missingCompanies, type Db } from './contact-store.js';
import { validateContactInput, type CompanyName, type ContactInput, type ValidatedInput } from './contact-input.js';
import { companiesNamed, findOrCreateCompanies, repeatedCompany, unresolved, withCompanyIds } from './named-companies.js';
import { invalidText } from '../text.js';
import { abortIf } from './transaction.js';

export interface PreparedInput {
  changes: ContactChanges;
  errors: UserError[];
  /**
   * Companies named that the workspace lacks: the write must create them in
   * its transaction (withNewCompanies) before it writes the changes.
   */
  newCompanies: CompanyName[];
}

/**
 * `input` is the mutation's whole input (an upsert's or create's externalRef,
 * matchBy and onAmbiguous included): the text rule is checked on all of it,
 * here and only here, before any other rule (src/text.ts). Error paths are
 * paths into the input.
 */
export async function prepareContactInput(prisma: PrismaClient, workspace: Workspace, input: ContactInput): Promise<PreparedInput> {
  const [prepared] = await prepareContactInputs(prisma, workspace, [input]);
  return prepared!;
}

/**
 * prepareContactInput for many inputs at once (upsertContacts): the companies
 * they name, by id and by name, are looked up in one statement each.
 */
export async function prepareContactInputs(prisma: PrismaClient, workspace: Workspace, inputs: readonly ContactInput[]): Promise<PreparedInput[]> {
  const validated = inputs.map((input) => {
    const badText = invalidText(input, []);
    return badText.length > 0 ? badText : validateContactInput(input, { defaultCountry: workspace.defaultCountry });
  });
  const checked = validated.filter((v): v is ValidatedInput => !Array.isArray(v));
  const missing = await missingCompanies(prisma, workspace.id, checked.flatMap((v) => v.companyRefs.map((c) => c.companyId)));
  const found = await companiesNamed(prisma, workspace.id, unresolved(checked.filter((v) => v.errors.length === 0).flatMap((v) => v.companyNames), new Map()));
  return validated.map((v) => {
    if (Array.isArray(v)) return { changes: {}, errors: v, newCompanies: [] };
    const companyErrors = v.companyRefs
      .filter((c) => missing.has(c.companyId))
      .map((c) => userError('NOT_FOUND', c.field, 'No company of this workspace has this id.'));
    const errors = [...v.errors, ...companyErrors];
    if (errors.length > 0 || v.companyNames.length === 0) return { changes: v.changes, errors, newCompanies: [] };
    const changes = withCompanyIds(v.changes, found);
    const newCompanies = unresolved(v.companyNames, found);
    return { changes, errors: newCompanies.length === 0 ? repeatedCompany(changes) : [], newCompanies };
  });
}

/**
 * The prepared changes with the companies they name created (or found, when
 * another writer created them first), inside the write's transaction: a write
 * that ends in userErrors rolls them back with everything else.
 */
export async function withNewCompanies(tx: Db, workspaceId: string, prepared: PreparedInput): Promise<ContactChanges> {
  if (prepared.newCompanies.length === 0) return prepared.changes;
  const changes = withCompanyIds(prepared.changes, await findOrCreateCompanies(tx, workspaceId, prepared.newCompanies));
  abortIf(repeatedCompany(changes));
  return changes;
}
