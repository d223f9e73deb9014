// mergeContacts: moves the emails, phones, refs, tags, connections and
// addresses of the sources into the target in one transaction; the sources
// become deleted tombstones whose ids resolve to the target (API.md, Other
// mutations). Where the target has no value for a scalar field, the first
// source that has one fills it (as CRMs' merges do); the target's own values win.
import type { PrismaClient, Workspace } from '../generated/prisma/client.js';
import { userError, type UserError } from '../errors.js';
import { SCALAR_FIELDS, changedFields, refKey, uniqueBy, type ContactState } from './contact-state.js';
import { recordChange, updateContactRows } from './contact-rows.js';
import { loadContact, lockKeys, type Tx } from './contact-store.js';
import { contactLockKey } from '../db/lock-keys.js';
import { compareCodePoints, normalizeTags } from './normalize.js';
import { abortIf, inTransaction } from './transaction.js';
import type { Outcome } from '../errors.js';

export const MAX_MERGE_SOURCES = 50;

/** The target's state with everything of the sources moved in. Pure. */
export function mergedState(target: ContactState, sources: readonly ContactState[]): ContactState {
  const all = [target, ...sources];
  const next: ContactState = { ...target };
  for (const field of SCALAR_FIELDS) {
    if (field === 'blocked' || field === 'source' || field === 'doNotDisturb') continue;
    if (next[field] === null) {
      const filler = sources.find((s) => s[field] !== null);
      if (filler) (next as unknown as Record<string, unknown>)[field] = filler[field];
    }
  }
  // Blocked anywhere stays blocked: merging must not make a contact reachable.
  next.blocked = all.some((s) => s.blocked);
  // A channel closed on any of them stays closed, for the same reason.
  next.doNotDisturb = [...new Set(all.flatMap((s) => s.doNotDisturb))].sort(compareCodePoints);
  next.tags = normalizeTags(all.flatMap((s) => s.tags));
  next.emails = uniqueBy(all.flatMap((s) => s.emails), (e) => e.address);
  next.phones = uniqueBy(all.flatMap((s) => s.phones), (p) => p.e164);
  next.addresses = uniqueBy(all.flatMap((s) => s.addresses), (a) => JSON.stringify(a));
  next.externalRefs = uniqueBy(all.flatMap((s) => s.externalRefs), refKey);
  // The target's primary connection stays primary; the sources' join as secondary.
  const connections = uniqueBy(all.flatMap((s) => s.connections), (c) => c.companyId);
  const primary = connections.find((c) => c.primary)?.companyId;
  next.connections = connections.map((c) => ({ ...c, primary: c.companyId === primary }));
  return next;
}

export async function mergeContacts(
  prisma: PrismaClient,
  workspace: Workspace,
  targetId: string | null,
  sourceIds: (string | null)[],
): Promise<Outcome<string>> {
  const errors: UserError[] = [];
  if (targetId === null) errors.push(userError('NOT_FOUND', ['targetId'], 'No contact of this workspace has this id.'));
  if (sourceIds.length === 0) errors.push(userError('INVALID', ['sourceIds'], 'Name at least one contact to merge.'));
  if (sourceIds.length > MAX_MERGE_SOURCES) errors.push(userError('LIMIT_EXCEEDED', ['sourceIds'], `At most ${MAX_MERGE_SOURCES} sources per merge.`));
  sourceIds.forEach((id, i) => {
    if (id === null) errors.push(userError('NOT_FOUND', ['sourceIds', i], 'No contact of this workspace has this id.'));
    else if (id === targetId) errors.push(userError('INVALID', ['sourceIds', i], 'A contact cannot be merged into itself.'));
  });
  if (errors.length > 0) return { ok: false, userErrors: errors };
  const target = targetId!;
  const sources = [...new Set(sourceIds as string[])];

  return inTransaction(prisma, async (tx) => {
    await lockKeys(tx, [target, ...sources].map(contactLockKey));
    const loaded = await Promise.all([target, ...sources].map((id) => loadContact(tx, workspace.id, id)));
    const missing = loaded
      .map((c, i) => (c === null || c.row.deletedAt !== null ? i : -1))
      .filter((i) => i >= 0)
      .map((i) => (i === 0 ? userError('NOT_FOUND', ['targetId'], 'No live contact has this id.') : userError('NOT_FOUND', ['sourceIds', sourceIds.indexOf(sources[i - 1]!)], 'No live contact has this id.')));
    abortIf(missing);
    const [targetContact, ...sourceContacts] = loaded as NonNullable<(typeof loaded)[number]>[];
    const next = mergedState(targetContact!.state, sourceContacts.map((s) => s.state));
    await retireSources(tx, workspace.id, target, sources);
    const changed = changedFields(targetContact!.state, next);
    // Being a merge target is a change even when nothing moved (API.md: version).
    for (const source of sources) await recordChange(tx, workspace.id, source, 'MERGED', ['deletedAt']);
    // The target's rows and its feed entry, after the sources' entries.
    await updateContactRows(tx, workspace.id, target, next, changed, 'MERGED');
    return target;
  });
}

/** Sources give up their rows and become tombstones pointing at the target. */
async function retireSources(tx: Tx, workspaceId: string, target: string, sources: string[]): Promise<void> {
  const own = { contactId: { in: sources } };
  await tx.email.deleteMany({ where: own });
  await tx.phone.deleteMany({ where: own });
  await tx.employment.deleteMany({ where: own });
  await tx.address.deleteMany({ where: own });
  await tx.externalRef.deleteMany({ where: own });
  await tx.contact.updateMany({
    where: { workspaceId, id: { in: sources } },
    data: { deletedAt: new Date(), mergedIntoId: target, tags: [], version: { increment: 1 } },
  });
  // Earlier merges into a source now point at the target: one hop resolves any id.
  await tx.contact.updateMany({ where: { workspaceId, mergedIntoId: { in: sources } }, data: { mergedIntoId: target } });
}
