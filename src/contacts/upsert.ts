// upsertContact: create-or-update for server-to-server sync (API.md,
// upsertContact). Concurrent upserts of one key are serialized by an advisory
// lock on the normalized key, so they never create two contacts and none fails
// because of the race: the losers update the winner's contact.
import type { PrismaClient, Workspace } from '../generated/prisma/client.js';
import type { ContactMatchKey, ContactSource } from '../generated/prisma/enums.js';
import { userError, type UserError } from '../errors.js';
import { applyChanges, changedFields, emptyContact, type ContactChanges, type ContactState, type RefEntry } from './contact-state.js';
import { contactLockKey, insertContact, loadContact, lockKeys, recordChange, updateContactRows, type Tx } from './contact-store.js';
import { validateExternalRef, type ContactInput, type ExternalRefInput } from './contact-input.js';
import { pathsWithNul } from './normalize.js';
import { contactHoldingRef, fieldsToSkip, matchesBySequence, matchLockKeys, matchValues } from './matching.js';
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
    await lockKeys(tx, matchLockKeys(workspace.id, sequence, values, ref));
    let target: { contactId: string; matchedBy: ContactMatchKey } | null = null;
    let skippedFields: string[] = [];
    if (ref !== null) {
      const holder = await contactHoldingRef(tx, workspace.id, ref);
      if (holder !== null) target = { contactId: holder, matchedBy: 'EXTERNAL_REF' };
    } else {
      const matches = await matchesBySequence(tx, workspace.id, sequence, values);
      const first = matches[0];
      if (first !== undefined) {
        target = { contactId: first.contactId, matchedBy: first.key };
        const conflicting = matches.filter((m) => m.contactId !== first.contactId).map((m) => m.key);
        if (conflicting.length > 0) {
          if (onAmbiguous === 'REJECT') {
            abortIf([
              userError('AMBIGUOUS_MATCH', base, `The ${first.key.toLowerCase()} matches one contact and the ${conflicting.join(', ').toLowerCase()} another.`),
            ]);
          }
          skippedFields = fieldsToSkip(prepared.changes, values, conflicting);
        }
      }
    }
    const changes = withoutFields(prepared.changes, skippedFields);
    if (target === null) {
      const contactId = await createContactRows(tx, workspace.id, changes, ref === null ? [] : [ref]);
      return { contactId, created: true, matchedBy: null, skippedFields };
    }
    // The match was found under the key lock, but a delete of that contact
    // may have committed since: then there is nothing left to update.
    if ((await updateLiveContact(tx, workspace.id, target.contactId, changes)) === null) {
      const contactId = await createContactRows(tx, workspace.id, prepared.changes, ref === null ? [] : [ref]);
      return { contactId, created: true, matchedBy: null, skippedFields: [] };
    }
    return { contactId: target.contactId, created: false, matchedBy: target.matchedBy, skippedFields };
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
  const contactId = await insertContact(tx, workspaceId, state);
  await recordChange(tx, workspaceId, contactId, 'CREATED', changedFields(emptyContact(state.source), state));
  return contactId;
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
): Promise<string[] | null> {
  await lockKeys(tx, [contactLockKey(contactId)]);
  const current = await loadContact(tx, workspaceId, contactId);
  if (current === null || current.row.deletedAt !== null) return null;
  abortIf(check?.(current.row) ?? []);
  const next = applyChanges(current.state, typeof changes === 'function' ? changes(current.state) : changes);
  const changed = changedFields(current.state, next);
  if (changed.length === 0) return changed;
  await updateContactRows(tx, workspaceId, contactId, next, changed);
  await recordChange(tx, workspaceId, contactId, 'UPDATED', changed);
  return changed;
}
