// The contact mutations other than upsert: create, update, delete, restore and
// tag changes (API.md, Mutations). Each either writes all of its work or
// returns userErrors having written nothing: in one transaction, or, for a
// change of one contact that needs no key lock, in one statement. Error paths
// name the parameter they concern: `contactId`, the `fields` of an update and
// `expectedVersion`; a create's are paths into its input.
import type { PrismaClient, Workspace } from '../generated/prisma/client.js';
import { under, userError, type UserError } from '../errors.js';
import { refKey, type RefEntry } from './contact-state.js';
import { recordChange } from './contact-rows.js';
import { lockContact, lockKeys, refsHeldByOthers, type Tx } from './contact-store.js';
import { LIMITS, type ContactInput, type ExternalRefInput } from './contact-input.js';
import { refLockKey } from '../db/lock-keys.js';
import { normalizeTags } from './normalize.js';
import { prepareContactInput, withNewCompanies } from './prepared-input.js';
import { abortIf, directly, inTransaction } from './transaction.js';
import type { Outcome } from '../errors.js';
import type { WrittenContact } from './written-contact.js';
import { createContactRows, updateLiveContact, updateLiveContactDirectly, validRef, type ContactChange, type VersionCheck } from './upsert.js';

const notFound = (field: string[] = ['contactId']) => userError('NOT_FOUND', field, 'No contact of this workspace has this id.');

/** TAKEN for each ref another live contact holds; `fieldOf` names the input path of a ref. */
async function checkRefsFree(tx: Tx, workspaceId: string, contactId: string | null, refs: RefEntry[], fieldOf: (ref: RefEntry) => string[]) {
  const held = await refsHeldByOthers(tx, workspaceId, contactId, refs);
  abortIf(held.map((ref) => userError('TAKEN', fieldOf(ref), `${ref.namespace}:${ref.externalId} is held by another contact.`)));
}

export interface CreateContactInput extends ContactInput {
  externalRef?: ExternalRefInput | null;
}

/** createContact always creates; TAKEN when one of its refs is held by a live contact. */
export async function createContact(
  prisma: PrismaClient,
  workspace: Workspace,
  input: CreateContactInput,
): Promise<Outcome<WrittenContact>> {
  const { externalRef } = input;
  const prepared = await prepareContactInput(prisma, workspace, input);
  const errors: UserError[] = [...prepared.errors];
  const ref = externalRef ? validRef(externalRef, ['externalRef'], errors) : null;
  if (errors.length > 0) return { ok: false, userErrors: errors };
  const refs = [...(prepared.changes.externalRefs ?? []), ...(ref ? [ref] : [])];
  return inTransaction(prisma, async (tx) => {
    // Companies first, before any key lock (named-companies.ts).
    const changes = await withNewCompanies(tx, workspace.id, prepared);
    await lockKeys(tx, refs.map((r) => refLockKey(workspace.id, r)));
    await checkRefsFree(tx, workspace.id, null, refs, (held) =>
      ref && refKey(ref) === refKey(held) ? ['externalRef'] : ['externalRefs', String(indexOfRef(prepared.changes.externalRefs, held))],
    );
    const stored = await createContactRows(tx, workspace.id, changes, ref ? [ref] : []);
    return { contactId: stored.row.id, stored };
  });
}

function indexOfRef(refs: RefEntry[] | undefined, ref: RefEntry): number {
  return (refs ?? []).findIndex((r) => refKey(r) === refKey(ref));
}

/** Partial update: a field left out is unchanged, null clears (API.md, updateContact). */
export async function updateContact(
  prisma: PrismaClient,
  workspace: Workspace,
  contactId: string | null,
  fields: ContactInput,
  expectedVersion: number | null | undefined,
): Promise<Outcome<WrittenContact>> {
  const prepared = await prepareContactInput(prisma, workspace, fields);
  const fieldErrors = under(['fields'], prepared.errors);
  if (contactId === null) return { ok: false, userErrors: [notFound(), ...fieldErrors] };
  if (fieldErrors.length > 0) return { ok: false, userErrors: fieldErrors };
  const refs = prepared.changes.externalRefs ?? [];
  const check: VersionCheck = (current) =>
    expectedVersion !== undefined && expectedVersion !== null && expectedVersion !== current.version
      ? [userError('VERSION_CONFLICT', ['expectedVersion'], `The contact is at version ${current.version}, not ${expectedVersion}.`)]
      : [];
  if (refs.length === 0 && prepared.newCompanies.length === 0) return changeLiveContact(prisma, workspace.id, contactId, prepared.changes, check);
  return inTransaction(prisma, async (tx) => {
    const changes = await withNewCompanies(tx, workspace.id, prepared);
    // Key locks before the contact lock, in the same order upserts take them.
    await lockKeys(tx, refs.map((r) => refLockKey(workspace.id, r)));
    await checkRefsFree(tx, workspace.id, contactId, refs, (held) => ['fields', 'externalRefs', String(indexOfRef(refs, held))]);
    const stored = await updateLiveContact(tx, workspace.id, contactId, changes, check);
    if (stored === null) abortIf([notFound()]);
    return { contactId, stored };
  });
}

/** Soft delete: the contact keeps its emails, phones and refs, but they match and block nothing. */
export async function deleteContact(prisma: PrismaClient, workspace: Workspace, contactId: string | null): Promise<Outcome<string>> {
  if (contactId === null) return { ok: false, userErrors: [notFound()] };
  return inTransaction(prisma, async (tx) => {
    const current = await lockContact(tx, workspace.id, contactId);
    if (current === null || current.row.deletedAt !== null) abortIf([notFound()]);
    await tx.contact.update({ where: { id: contactId }, data: { deletedAt: new Date(), version: { increment: 1 } }, select: { id: true } });
    await tx.externalRef.updateMany({ where: { contactId }, data: { live: null } });
    await recordChange(tx, workspace.id, contactId, 'DELETED', ['deletedAt']);
    return contactId;
  });
}

/** Undoes a delete, or TAKEN (writing nothing) when a live contact now holds one of its refs. */
export async function restoreContact(prisma: PrismaClient, workspace: Workspace, contactId: string | null): Promise<Outcome<string>> {
  if (contactId === null) return { ok: false, userErrors: [notFound()] };
  const refs = await prisma.externalRef.findMany({ where: { workspaceId: workspace.id, contactId }, select: { namespace: true, externalId: true } });
  return inTransaction(prisma, async (tx) => {
    const current = await lockContact(tx, workspace.id, contactId, refs.map((r) => refLockKey(workspace.id, r)));
    // A contact merged into another stays a tombstone: its id is the target's now.
    if (current === null || current.row.mergedIntoId !== null) abortIf([notFound()]);
    if (current!.row.deletedAt === null) return contactId;
    await checkRefsFree(tx, workspace.id, contactId, current!.refs, () => ['contactId']);
    await tx.contact.update({ where: { id: contactId }, data: { deletedAt: null, version: { increment: 1 } }, select: { id: true } });
    await tx.externalRef.updateMany({ where: { contactId }, data: { live: true } });
    await recordChange(tx, workspace.id, contactId, 'RESTORED', ['deletedAt']);
    return contactId;
  });
}

/** addContactTags / removeContactTags change tags without replacing them. */
export async function changeTags(
  prisma: PrismaClient,
  workspace: Workspace,
  contactId: string | null,
  tags: string[],
  change: 'add' | 'remove',
): Promise<Outcome<WrittenContact>> {
  if (contactId === null) return { ok: false, userErrors: [notFound()] };
  // Checked as sent, so an error's path is the tag's index in the argument.
  const prepared = await prepareContactInput(prisma, workspace, { tags });
  if (prepared.errors.length > 0) return { ok: false, userErrors: prepared.errors };
  const given = prepared.changes.tags ?? [];
  return changeLiveContact(prisma, workspace.id, contactId, (current) => {
    const next = change === 'add' ? normalizeTags([...current.tags, ...given]) : current.tags.filter((tag) => !given.includes(tag));
    abortIf(next.length > LIMITS.tags ? [userError('LIMIT_EXCEEDED', ['tags'], `A contact has at most ${LIMITS.tags} tags.`)] : []);
    return { tags: next };
  });
}

/**
 * A change of one live contact that takes no key lock: first outside a
 * transaction (a read, then one write at the version read), then, when a
 * write came in between, in a transaction under the contact's lock.
 * NOT_FOUND when the contact is not live.
 */
async function changeLiveContact(
  prisma: PrismaClient,
  workspaceId: string,
  contactId: string,
  changes: ContactChange,
  check?: VersionCheck,
): Promise<Outcome<WrittenContact>> {
  const direct = await directly(async () => {
    const stored = await updateLiveContactDirectly(prisma, workspaceId, contactId, changes, check);
    if (stored === null) abortIf([notFound()]);
    return stored === 'moved' ? null : { contactId, stored: stored! };
  });
  return (
    direct ??
    inTransaction(prisma, async (tx) => {
      const stored = await updateLiveContact(tx, workspaceId, contactId, changes, check);
      if (stored === null) abortIf([notFound()]);
      return { contactId, stored };
    })
  );
}
