// upsertContact: create-or-update for server-to-server sync (API.md,
// upsertContact). Concurrent upserts of one key are serialized by an advisory
// lock on the normalized key, so they never create two contacts and none fails
// because of the race: the losers update the winner's contact.
import type { PrismaClient, Workspace } from '../generated/prisma/client.js';
import type { ContactMatchKey, ContactSource } from '../generated/prisma/enums.js';
import { userError, type UserError } from '../errors.js';
import { applyChanges, changedFields, emptyContact, type ContactChanges, type ContactState, type RefEntry } from './contact-state.js';
import { insertContact, updateContactRows } from './contact-rows.js';
import { lockContact, type StoredContact, type Tx } from './contact-store.js';
import { validateExternalRef, type ContactInput, type ExternalRefInput } from './contact-input.js';
import { pathsWithNul } from './normalize.js';
import { fieldsToSkip, lockAndMatch, matchLockKeys, matchValues } from './matching.js';
import { prepareContactInput } from './prepared-input.js';
import { abortIf, inTransaction, type Outcome } from './transaction.js';

export type AmbiguousMatchPolicy = 'PRIORITY' | 'REJECT';

export interface UpsertContactInput extends Omit<ContactInput, 'externalRefs'> {
  externalRef?: ExternalRefInput | null;
  matchBy?: ContactMatchKey[] | null;
  onAmbiguous?: AmbiguousMatchPolicy | null;
}

export interface UpsertResult {
  contactId: string;
  created: boolean;
  matchedBy: ContactMatchKey | null;
  skippedFields: string[];
}

export const DEFAULT_SOURCE: ContactSource = 'API';

export async function upsertContact(
  prisma: PrismaClient,
  workspace: Workspace,
  input: UpsertContactInput,
  base: string[],
  companyIdOf: (publicId: string) => string | null,
): Promise<Outcome<UpsertResult>> {
  const { externalRef, matchBy, onAmbiguous, ...fields } = input;
  const prepared = await prepareContactInput(prisma, workspace, fields, base, companyIdOf);
  const errors: UserError[] = [...prepared.errors];
  const ref = externalRef ? validRef(externalRef, [...base, 'externalRef'], errors) : null;
  if (errors.length > 0) return { ok: false, userErrors: errors };

  // [] means always create; EXTERNAL_REF only matters when a ref is given.
  const sequence = (matchBy ?? workspace.duplicateMatching).filter((key) => key !== 'EXTERNAL_REF');
  const values = matchValues(prepared.changes);
  return inTransaction(prisma, async (tx) => {
    const matches = await lockAndMatch(tx, workspace.id, matchLockKeys(workspace.id, sequence, values, ref), sequence, values, ref);
    const first = matches[0];
    let skippedFields: string[] = [];
    if (first !== undefined) {
      const conflicting = matches.filter((m) => m.contactId !== first.contactId).map((m) => m.key);
      if (conflicting.length > 0) {
        if (onAmbiguous === 'REJECT') {
          abortIf([
            userError('AMBIGUOUS_MATCH', base, `The ${first.key.toLowerCase()} matches one contact and the ${conflicting.join(', ').toLowerCase()} another.`),
          ]);
        }
        skippedFields = fieldsToSkip(prepared.changes, values, conflicting);
      }
      // The match was found under the key lock, but a delete of that contact
      // may have committed before its own lock was granted: then there is
      // nothing left to update, and the upsert creates.
      const changed = await updateLoadedContact(tx, workspace.id, first.contactId, first.contact, withoutFields(prepared.changes, skippedFields));
      if (changed !== null) return { contactId: first.contactId, created: false, matchedBy: first.key, skippedFields };
    }
    const contactId = await createContactRows(tx, workspace.id, prepared.changes, ref === null ? [] : [ref]);
    return { contactId, created: true, matchedBy: null, skippedFields: [] };
  });
}

/** An external ref as the match key: checked like any ref, and for NUL characters. */
export function validRef(ref: ExternalRefInput, path: string[], errors: UserError[]): RefEntry | null {
  const nul = pathsWithNul(ref, path);
  if (nul.length > 0) {
    errors.push(...nul.map((field) => userError('INVALID', field, 'Text must not contain NUL characters.')));
    return null;
  }
  return validateExternalRef(ref, path, errors);
}

function withoutFields(changes: ContactChanges, fields: readonly string[]): ContactChanges {
  const kept: Record<string, unknown> = { ...changes };
  for (const field of fields) delete kept[field];
  return kept as ContactChanges;
}

/** Creates a contact from the changes; source defaults to API for mutations. */
export async function createContactRows(tx: Tx, workspaceId: string, changes: ContactChanges, refs: RefEntry[]): Promise<string> {
  const state = applyChanges(emptyContact(DEFAULT_SOURCE), { ...changes, externalRefs: [...(changes.externalRefs ?? []), ...refs] });
  return insertContact(tx, workspaceId, state, changedFields(emptyContact(state.source), state));
}

/**
 * Applies changes to a live contact under its lock, after `check` (e.g. the
 * expected version) passes. Writes nothing, and keeps the version, when
 * nothing would change. null when the contact is not live.
 */
export async function updateLiveContact(
  tx: Tx,
  workspaceId: string,
  contactId: string,
  changes: ContactChanges | ((current: ContactState) => ContactChanges),
  check?: (current: { version: number }) => UserError[],
  keyLocks: readonly string[] = [],
): Promise<string[] | null> {
  return updateLoadedContact(tx, workspaceId, contactId, await lockContact(tx, workspaceId, contactId, keyLocks), changes, check);
}

/** updateLiveContact for a contact the transaction has locked and read. */
async function updateLoadedContact(
  tx: Tx,
  workspaceId: string,
  contactId: string,
  current: StoredContact | null,
  changes: ContactChanges | ((current: ContactState) => ContactChanges),
  check?: (current: { version: number }) => UserError[],
): Promise<string[] | null> {
  if (current === null || current.row.deletedAt !== null) return null;
  abortIf(check?.(current.row) ?? []);
  const next = applyChanges(current.state, typeof changes === 'function' ? changes(current.state) : changes);
  const changed = changedFields(current.state, next);
  if (changed.length === 0) return changed;
  await updateContactRows(tx, workspaceId, contactId, next, changed);
  return changed;
}
