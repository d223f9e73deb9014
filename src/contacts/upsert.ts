// upsertContact: create-or-update for server-to-server sync (API.md,
// upsertContact). Concurrent upserts of one key are serialized by an advisory
// lock on the normalized key, so they never create two contacts and none fails
// because of the race: the losers update the winner's contact.
import type { Prisma, PrismaClient, Workspace } from '../generated/prisma/client.js';
import type { ContactMatchKey, ContactSource } from '../generated/prisma/enums.js';
import { userError, type UserError } from '../errors.js';
import { applyChanges, changedFields, emptyContact, withRemoteDefaults, withRemoteFieldsOf, type ContactChanges, type ContactState, type RefEntry } from './contact-state.js';
import { insertContact, insertContactUnlessFound, updateContactRows } from './contact-rows.js';
import { loadContact, lockContact, type Db, type StoredContact, type Tx } from './contact-store.js';
import { validateExternalRef, type ContactInput, type ExternalRefInput } from './contact-input.js';
import { fieldsToSkip, keyMatch, lockAndMatch, lockAndMatchCall, matchLockKeys, matchValues, type KeyMatch, type MatchRow, type MatchValues } from './matching.js';
import { prepareContactInput, withNewCompanies, type PreparedInput } from './prepared-input.js';
import type { ContactAsStored, WrittenContact } from './written-contact.js';
import { abortIf, directly, inTransaction } from './transaction.js';
import type { Outcome } from '../errors.js';

export type AmbiguousMatchPolicy = 'PRIORITY' | 'REJECT';

export interface UpsertContactInput extends Omit<ContactInput, 'externalRefs'> {
  externalRef?: ExternalRefInput | null;
  matchBy?: ContactMatchKey[] | null;
  onAmbiguous?: AmbiguousMatchPolicy | null;
}

export interface UpsertResult extends WrittenContact {
  created: boolean;
  matchedBy: ContactMatchKey | null;
  skippedFields: string[];
}

export const DEFAULT_SOURCE: ContactSource = 'API';

/** An upsert whose input passed every check that needs no lock: what it writes, and how it is matched. */
export interface UpsertPlan {
  prepared: PreparedInput;
  ref: RefEntry | null;
  /** The workspace's duplicate sequence, or the input's matchBy, without EXTERNAL_REF. */
  sequence: ContactMatchKey[];
  values: MatchValues;
  keyLocks: string[];
  onAmbiguous: AmbiguousMatchPolicy | null | undefined;
}

/** The plan of an upsert from its prepared input, or the userErrors (at paths into the input) that stop it. */
export function planUpsert(workspace: Workspace, input: UpsertContactInput, prepared: PreparedInput): Outcome<UpsertPlan> {
  const { externalRef, matchBy, onAmbiguous } = input;
  const errors: UserError[] = [...prepared.errors];
  const ref = externalRef ? validRef(externalRef, ['externalRef'], errors) : null;
  if (errors.length > 0) return { ok: false, userErrors: errors };
  // [] means always create; EXTERNAL_REF only matters when a ref is given.
  const sequence = (matchBy ?? workspace.duplicateMatching).filter((key) => key !== 'EXTERNAL_REF');
  const values = matchValues(prepared.changes);
  const keyLocks = matchLockKeys(workspace.id, sequence, values, ref);
  return { ok: true, value: { prepared, ref, sequence, values, keyLocks, onAmbiguous } };
}

/** The upsert of one input; userErrors at paths into the input. */
export async function upsertContact(prisma: PrismaClient, workspace: Workspace, input: UpsertContactInput): Promise<Outcome<UpsertResult>> {
  const planned = planUpsert(workspace, input, await prepareContactInput(prisma, workspace, input));
  if (!planned.ok) return planned;
  const { prepared, ref, sequence, values, keyLocks, onAmbiguous } = planned.value;
  const choose = (matches: KeyMatch[], changes: ContactChanges) => chooseTarget(matches, onAmbiguous, changes, values, ref);

  const lookup = lockAndMatchCall(workspace.id, keyLocks, sequence, values, ref);
  // A company to create takes a transaction: a write that fails must not leave it behind.
  if (prepared.newCompanies.length === 0) {
    const direct = await directly(() => upsertWithoutTransaction(prisma, workspace.id, prepared.changes, ref, lookup, (m) => choose(m, prepared.changes)));
    if (direct !== null) return direct;
  }
  return inTransaction(prisma, async (tx) => {
    // Companies first, before any key lock (named-companies.ts).
    const changes = await withNewCompanies(tx, workspace.id, prepared);
    const choice = choose(await lockAndMatch(tx, workspace.id, keyLocks, sequence, values, ref), changes);
    abortIf(choice.userErrors);
    if (choice.target !== null) {
      // The match was found under the key lock, but a delete of that contact
      // may have committed before its own lock was granted: then there is
      // nothing left to update, and the upsert creates.
      const stored = await updateLoadedContact(tx, workspace.id, choice.target.contactId, choice.target.contact, choice.changes);
      if (stored !== null) return { contactId: choice.target.contactId, stored, created: false, matchedBy: choice.target.key, skippedFields: choice.skippedFields };
    }
    const stored = await createContactRows(tx, workspace.id, changes, ref === null ? [] : [ref]);
    return { contactId: stored.row.id, stored, created: true, matchedBy: null, skippedFields: [] };
  });
}

export interface TargetChoice {
  target: KeyMatch | null;
  changes: ContactChange;
  skippedFields: string[];
  userErrors: UserError[];
}

/**
 * The contact to update: the first key's match. When another key matched
 * another contact, the call is rejected (onAmbiguous: REJECT) or that key's
 * fields are not written (API.md, upsertContact: skippedFields).
 */
export function chooseTarget(
  matches: KeyMatch[],
  onAmbiguous: AmbiguousMatchPolicy | null | undefined,
  changes: ContactChanges,
  values: MatchValues,
  ref: RefEntry | null,
): TargetChoice {
  const first = matches[0];
  if (first === undefined) return { target: null, changes, skippedFields: [], userErrors: [] };
  const conflicting = matches.filter((m) => m.contactId !== first.contactId).map((m) => m.key);
  if (conflicting.length > 0 && onAmbiguous === 'REJECT') {
    const message = `The ${first.key.toLowerCase()} matches one contact and the ${conflicting.join(', ').toLowerCase()} another.`;
    return { target: first, changes, skippedFields: [], userErrors: [userError('AMBIGUOUS_MATCH', [], message)] };
  }
  const skippedFields = conflicting.length > 0 ? fieldsToSkip(changes, values, conflicting) : [];
  const kept = withoutFields(changes, skippedFields);
  // The match key's remote fields, when given, update the ref the contact holds.
  const update: ContactChange = ref === null ? kept : (current) => ({ ...kept, externalRefs: withRemoteFieldsOf(current.externalRefs, ref) });
  return { target: first, changes: update, skippedFields, userErrors: [] };
}

/**
 * The common cases without a transaction, each in single statements, which
 * are atomic on their own. First one statement takes the key locks, matches
 * (lock_and_match) and creates the contact when nothing matched; the key lock
 * is held until that statement commits, so concurrent upserts of one key
 * still create one contact. A match is then updated by one statement that
 * writes only while the contact is still live and at the version read: any
 * write in between bumped the version. null when that failed: then the upsert
 * runs again in a transaction under the locks (as after a lost race, see
 * `directly`), and sees the winner's rows.
 */
async function upsertWithoutTransaction(
  prisma: PrismaClient,
  workspaceId: string,
  changes: ContactChanges,
  ref: RefEntry | null,
  lookup: Prisma.Sql,
  choose: (matches: KeyMatch[]) => TargetChoice,
): Promise<UpsertResult | null> {
  const { state, changed } = newContact(changes, ref === null ? [] : [ref]);
  const { found, created } = await insertContactUnlessFound<MatchRow>(prisma, workspaceId, state, changed, lookup);
  if (created !== null) return { contactId: created.id, stored: { row: created, state, changedFields: changed }, created: true, matchedBy: null, skippedFields: [] };
  const choice = choose(found.map(keyMatch));
  abortIf(choice.userErrors);
  const current = choice.target?.contact ?? null;
  if (choice.target === null || current === null || current.row.deletedAt !== null) return null;
  const stored = await writeChange(prisma, workspaceId, choice.target.contactId, current, choice.changes, current.row.version);
  if (stored === 'moved') return null;
  return { contactId: choice.target.contactId, stored, created: false, matchedBy: choice.target.key, skippedFields: choice.skippedFields };
}

/** An external ref given on its own (upsert's match key, create's externalRef): checked like any ref. */
export function validRef(ref: ExternalRefInput, path: string[], errors: UserError[]): RefEntry | null {
  return validateExternalRef(ref, path, errors);
}

function withoutFields(changes: ContactChanges, fields: readonly string[]): ContactChanges {
  const kept: Record<string, unknown> = { ...changes };
  for (const field of fields) delete kept[field];
  return kept as ContactChanges;
}

/** Creates a contact from the changes (source defaults to API for mutations); the contact as stored. */
export async function createContactRows(tx: Tx, workspaceId: string, changes: ContactChanges, refs: RefEntry[]): Promise<ContactAsStored> {
  const { state, changed } = newContact(changes, refs);
  return { row: await insertContact(tx, workspaceId, state, changed), state, changedFields: changed };
}

/** A new contact's state, and the fields its CREATED feed entry names. */
export function newContact(changes: ContactChanges, refs: RefEntry[]): { state: ContactState; changed: string[] } {
  const state = applyChanges(emptyContact(DEFAULT_SOURCE), { ...changes, externalRefs: [...(changes.externalRefs ?? []), ...refs.map(withRemoteDefaults)] });
  return { state, changed: changedFields(emptyContact(state.source), state) };
}

/** A change to a contact: the fields to set, or a function of its current state that gives them. */
export type ContactChange = ContactChanges | ((current: ContactState) => ContactChanges);

/** userErrors that stop a change once the stored version is known (e.g. VERSION_CONFLICT). */
export type VersionCheck = (current: { version: number }) => UserError[];

/**
 * Applies changes to a live contact under its lock, after `check` (e.g. the
 * expected version) passes. Writes nothing, and keeps the version, when
 * nothing would change. The contact as stored once done (as read when nothing
 * changed); null when the contact is not live.
 */
export async function updateLiveContact(
  tx: Tx,
  workspaceId: string,
  contactId: string,
  changes: ContactChange,
  check?: VersionCheck,
): Promise<ContactAsStored | null> {
  return updateLoadedContact(tx, workspaceId, contactId, await lockContact(tx, workspaceId, contactId), changes, check);
}

/** updateLiveContact for a contact the transaction has locked and read. */
async function updateLoadedContact(
  tx: Tx,
  workspaceId: string,
  contactId: string,
  current: StoredContact | null,
  changes: ContactChange,
  check?: VersionCheck,
): Promise<ContactAsStored | null> {
  if (current === null || current.row.deletedAt !== null) return null;
  abortIf(check?.(current.row) ?? []);
  const stored = await writeChange(tx, workspaceId, contactId, current, changes, null);
  // Unchecked, under the contact's lock: nothing can have moved it.
  if (stored === 'moved') throw new Error(`contact ${contactId} changed under its lock`);
  return stored;
}

/**
 * updateLiveContact without a transaction, for a change that needs no key
 * lock: reads the contact, then writes it in one statement that waits for
 * the contact's lock and writes only at the version read (contact-rows.ts).
 * 'moved' when a write came in between: nothing was written, and the caller
 * runs updateLiveContact in a transaction instead. Otherwise the contact
 * as stored once done.
 */
export async function updateLiveContactDirectly(
  db: Db,
  workspaceId: string,
  contactId: string,
  changes: ContactChange,
  check?: VersionCheck,
): Promise<ContactAsStored | null | 'moved'> {
  const current = await loadContact(db, workspaceId, contactId);
  if (current === null || current.row.deletedAt !== null) return null;
  abortIf(check?.(current.row) ?? []);
  return writeChange(db, workspaceId, contactId, current, changes, current.row.version);
}

/**
 * Writes the change in one statement; with `atVersion`, only while the
 * contact is still at that version: 'moved' (nothing written) when another
 * write came first. Otherwise the contact as written, or as read when nothing
 * changed (and nothing was written).
 */
async function writeChange(
  db: Db,
  workspaceId: string,
  contactId: string,
  current: StoredContact,
  changes: ContactChange,
  atVersion: number | null,
): Promise<ContactAsStored | 'moved'> {
  const next = applyChanges(current.state, typeof changes === 'function' ? changes(current.state) : changes);
  const changed = changedFields(current.state, next);
  if (changed.length === 0) return { row: current.row, state: current.state, changedFields: [] };
  const row = await updateContactRows(db, workspaceId, contactId, next, changed, 'UPDATED', atVersion);
  return row === null ? 'moved' : { row, state: next, changedFields: changed };
}
