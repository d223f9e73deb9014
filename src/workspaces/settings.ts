// Workspace settings: the duplicate sequence of upserts and the default
// country of phone numbers (API.md, updateWorkspaceSettings). Error paths
// are paths into the input.
import { isSupportedCountry } from 'libphonenumber-js';
import type { PrismaClient, Workspace } from '../generated/prisma/client.js';
import type { ContactMatchKey } from '../generated/prisma/enums.js';
import { userError, type UserError } from '../errors.js';
import type { Outcome } from '../errors.js';
import { invalidText } from '../text.js';

export const DEFAULT_DUPLICATE_MATCHING: ContactMatchKey[] = ['EMAIL', 'PHONE'];

export interface WorkspaceSettingsInput {
  duplicateMatching?: ContactMatchKey[] | null;
  defaultCountry?: string | null;
}

export async function updateWorkspaceSettings(prisma: PrismaClient, workspace: Workspace, input: WorkspaceSettingsInput): Promise<Outcome<Workspace>> {
  const errors: UserError[] = invalidText(input, []);
  if (errors.length > 0) return { ok: false, userErrors: errors };
  const data: { duplicateMatching?: ContactMatchKey[]; defaultCountry?: string | null } = {};
  if (input.duplicateMatching !== undefined) {
    // null restores the default; duplicates keep their first place.
    data.duplicateMatching = input.duplicateMatching === null ? DEFAULT_DUPLICATE_MATCHING : [...new Set(input.duplicateMatching)];
    if (data.duplicateMatching.includes('EXTERNAL_REF')) {
      errors.push(userError('INVALID', ['duplicateMatching'], 'EXTERNAL_REF is not a duplicate key: an upsert with externalRef always matches by it.'));
    }
  }
  if (input.defaultCountry !== undefined) {
    const country = input.defaultCountry?.trim().toUpperCase() ?? '';
    if (input.defaultCountry === null || country === '') data.defaultCountry = null;
    else if (!/^[A-Z]{2}$/.test(country) || !isSupportedCountry(country)) {
      errors.push(userError('INVALID', ['defaultCountry'], `"${input.defaultCountry}" is not an ISO 3166-1 alpha-2 country code.`));
    } else data.defaultCountry = country;
  }
  if (errors.length > 0) return { ok: false, userErrors: errors };
  return { ok: true, value: await prisma.workspace.update({ where: { id: workspace.id }, data }) };
}
