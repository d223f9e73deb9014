// upsertContacts: many upserts with the result of running them one after the
// other, in order (API.md, upsertContacts), written set-based: the inputs
// that cannot affect one another are matched and written together in one
// transaction of a fixed number of statements, whatever their count.
//
// Two inputs affect one another when one names a key (ref, email, phone)
// that the other is matched by, or when both match one contact. An input
// affected by one before it is upserted after the batch, on its own
// (upsertContact), in input order: it then sees the writes of the inputs
// before it, as it would one after the other. An input that affects none
// before it commutes with them, so writing it in the batch gives the same
// result.
//
// Locks, in the order every writer takes them (upsert.ts, merge.ts):
// companies by name key, then the key locks of every input of the batch,
// sorted, then the matched contacts' locks, sorted, then the feed lock.
import type { PrismaClient, Workspace } from '../generated/prisma/client.js';
import type { UserError } from '../errors.js';
import { applyChanges, changedFields, type ContactChanges } from './contact-state.js';
import { writeContacts, type ContactWrite } from './contact-rows.js';
import { lockContacts, lockKeys, type Tx } from './contact-store.js';
import { matchAll, type KeyMatch } from './matching.js';
import { emailLockKey, phoneLockKey, refLockKey } from '../db/lock-keys.js';
import { findOrCreateCompanies, repeatedCompany, unresolved, withCompanyIds } from './named-companies.js';
import { prepareContactInputs } from './prepared-input.js';
import { newRowId } from './row-id.js';
import { inTransaction } from './transaction.js';
import type { Outcome } from '../errors.js';
import { chooseTarget, newContact, planUpsert, upsertContact, type TargetChoice, type UpsertContactInput, type UpsertPlan, type UpsertResult } from './upsert.js';

/** The keys an input names anywhere in its values, in the form of the key locks (matching.ts). */
function namedKeys(workspaceId: string, plan: UpsertPlan): string[] {
  const { changes } = plan.prepared;
  const refs = [...(plan.ref ? [plan.ref] : []), ...(changes.externalRefs ?? [])];
  const emails = [...(changes.email ? [changes.email] : []), ...(changes.emails ?? [])];
  const phones = [...(changes.phone ? [changes.phone] : []), ...(changes.phones ?? [])];
  return [
    ...refs.map((ref) => refLockKey(workspaceId, ref)),
    ...emails.map((e) => emailLockKey(workspaceId, e.address)),
    ...phones.map((p) => phoneLockKey(workspaceId, p.e164)),
  ];
}

/**
 * The plans (by index) that depend on none before them by their keys: none
 * names a key it is matched by, and it names no key one of them is matched by.
 */
function independentByKeys(workspaceId: string, plans: readonly (UpsertPlan | null)[]): Set<number> {
  const named = new Set<string>();
  const matched = new Set<string>();
  const independent = new Set<number>();
  plans.forEach((plan, index) => {
    if (plan === null) return;
    const keys = namedKeys(workspaceId, plan);
    if (!plan.keyLocks.some((k) => named.has(k)) && !keys.some((k) => matched.has(k))) independent.add(index);
    for (const k of keys) named.add(k);
    for (const k of plan.keyLocks) matched.add(k);
  });
  return independent;
}

/** Inputs whose userErrors were found in a transaction that must then be run again without them. */
class WithoutInputs extends Error {
  constructor(readonly userErrors: Map<number, UserError[]>) {
    super('batch inputs failed after their companies were created');
  }
}

/** One outcome per input, in order; each input's userErrors at paths into that input. */
export async function upsertContacts(prisma: PrismaClient, workspace: Workspace, inputs: readonly UpsertContactInput[]): Promise<Outcome<UpsertResult>[]> {
  const prepared = await prepareContactInputs(prisma, workspace, inputs);
  const results: (Outcome<UpsertResult> | undefined)[] = inputs.map(() => undefined);
  const plans = inputs.map((input, index) => {
    const planned = planUpsert(workspace, input, prepared[index]!);
    if (planned.ok) return planned.value;
    results[index] = planned;
    return null;
  });
  const batch = independentByKeys(workspace.id, plans);
  for (;;) {
    try {
      const written = await inTransaction(prisma, (tx) => writeBatch(tx, workspace.id, plans, batch));
      if (!written.ok) throw new Error('a batch write gave userErrors as a whole');
      for (const [index, outcome] of written.value) results[index] = outcome;
      break;
    } catch (error) {
      if (!(error instanceof WithoutInputs)) throw error;
      for (const [index, userErrors] of error.userErrors) {
        results[index] = { ok: false, userErrors };
        plans[index] = null;
        batch.delete(index);
      }
    }
  }
  // The rest, one after the other, each seeing the writes before it.
  for (const [index, input] of inputs.entries()) {
    results[index] ??= await upsertContact(prisma, workspace, input);
  }
  return results as Outcome<UpsertResult>[];
}

/** Where each plan of the batch stands once matched: the write it needs (none when nothing changes), and its result. */
interface PendingWrite { write: ContactWrite | null; result: UpsertResult }

/**
 * Writes the plans of `batch` (indexes into `plans`) in the transaction, and
 * takes out of `batch` those that turn out to match a contact another plan
 * before them matches (they are left for upsertContact). The outcome of each
 * plan written, by index.
 */
async function writeBatch(tx: Tx, workspaceId: string, plans: readonly (UpsertPlan | null)[], batch: Set<number>): Promise<Map<number, Outcome<UpsertResult>>> {
  const outcomes = new Map<number, Outcome<UpsertResult>>();
  const inBatch = [...batch].sort((a, b) => a - b);
  if (inBatch.length === 0) return outcomes;
  const changesOf = await withBatchCompanies(tx, workspaceId, plans, inBatch);
  await lockKeys(tx, inBatch.flatMap((i) => plans[i]!.keyLocks));
  const matchesOf = await matchBatch(tx, workspaceId, plans, batch);
  const writing = inBatch.filter((i) => batch.has(i));
  const targets = await lockContacts(tx, workspaceId, writing.flatMap((i) => matchesOf.get(i)!.slice(0, 1).map((m) => m.contactId)));

  const created: ContactWrite[] = [];
  const updated: ContactWrite[] = [];
  const pending = new Map<number, PendingWrite>();
  const failed = new Map<number, UserError[]>();
  for (const i of writing) {
    const plan = plans[i]!;
    const matches: KeyMatch[] = matchesOf.get(i)!.map((m, n) => ({ ...m, contact: n === 0 ? (targets.get(m.contactId) ?? null) : null }));
    const choice = chooseTarget(matches, plan.onAmbiguous, changesOf.get(i)!, plan.values, plan.ref);
    if (choice.userErrors.length > 0) {
      if (plan.prepared.newCompanies.length > 0) failed.set(i, choice.userErrors);
      else outcomes.set(i, { ok: false, userErrors: choice.userErrors });
      continue;
    }
    const next = pendingWrite(choice, changesOf.get(i)!, plan);
    pending.set(i, next);
    if (next.write !== null) (next.result.created ? created : updated).push(next.write);
  }
  // A company created for an input that failed must not stay: run again without it.
  if (failed.size > 0) throw new WithoutInputs(failed);

  // The feed entries follow input order, creates and updates mixed.
  const order = [...pending.values()].flatMap(({ write }) => (write === null ? [] : [write.contactId]));
  const rows = order.length > 0 ? await writeContacts(tx, workspaceId, created, updated, order) : new Map();
  for (const [i, { write, result }] of pending) {
    const stored = write === null ? result.stored : { row: rows.get(write.contactId)!, state: write.state, changedFields: [...write.changedFields] };
    outcomes.set(i, { ok: true, value: { ...result, stored } });
  }
  return outcomes;
}

/**
 * The changes of each plan of the batch with the companies it names found or
 * created, before any key lock (named-companies.ts). WithoutInputs when one
 * connects a company twice once the names are resolved.
 */
async function withBatchCompanies(tx: Tx, workspaceId: string, plans: readonly (UpsertPlan | null)[], inBatch: readonly number[]): Promise<Map<number, ContactChanges>> {
  const names = unresolved(inBatch.flatMap((i) => plans[i]!.prepared.newCompanies), new Map());
  const companyIds = await findOrCreateCompanies(tx, workspaceId, names);
  const changesOf = new Map<number, ContactChanges>();
  const failed = new Map<number, UserError[]>();
  for (const i of inBatch) {
    const { prepared } = plans[i]!;
    const changes = withCompanyIds(prepared.changes, companyIds);
    const repeated = prepared.newCompanies.length > 0 ? repeatedCompany(changes) : [];
    if (repeated.length > 0) failed.set(i, repeated);
    changesOf.set(i, changes);
  }
  if (failed.size > 0) throw new WithoutInputs(failed);
  return changesOf;
}

/**
 * The matches of every plan, by index: those left out of the batch are
 * looked up too, and a plan of the batch that matches a contact an earlier
 * plan matches is taken out of `batch`.
 */
async function matchBatch(tx: Tx, workspaceId: string, plans: readonly (UpsertPlan | null)[], batch: Set<number>): Promise<Map<number, Awaited<ReturnType<typeof matchAll>>[number]>> {
  const looked = plans.flatMap((plan, index) => (plan === null ? [] : [{ index, plan }]));
  const found = await matchAll(tx, workspaceId, looked.map(({ plan }) => ({ keys: plan.sequence, values: plan.values, ref: plan.ref })));
  const matchesOf = new Map(looked.map(({ index }, n) => [index, found[n]!]));
  const seen = new Set<string>();
  for (const [index, matches] of matchesOf) {
    if (batch.has(index) && matches.some((m) => seen.has(m.contactId))) batch.delete(index);
    for (const m of matches) seen.add(m.contactId);
  }
  return matchesOf;
}

/**
 * What a plan writes for the target chosen: an update of a live match (no
 * write when nothing changes), else a new contact. A contact deleted after
 * the match and before its lock is created anew, as upsertContact does.
 */
function pendingWrite(choice: TargetChoice, changes: ContactChanges, plan: UpsertPlan): PendingWrite {
  const current = choice.target?.contact ?? null;
  if (choice.target !== null && current !== null && current.row.deletedAt === null) {
    const next = applyChanges(current.state, typeof choice.changes === 'function' ? choice.changes(current.state) : choice.changes);
    const changed = changedFields(current.state, next);
    const matched = { contactId: choice.target.contactId, created: false, matchedBy: choice.target.key, skippedFields: choice.skippedFields };
    if (changed.length === 0) return { write: null, result: { ...matched, stored: { row: current.row, state: current.state, changedFields: [] } } };
    return { write: { contactId: choice.target.contactId, state: next, changedFields: changed }, result: { ...matched, stored: null } };
  }
  const { state, changed } = newContact(changes, plan.ref === null ? [] : [plan.ref]);
  const write = { contactId: newRowId(), state, changedFields: changed };
  return { write, result: { contactId: write.contactId, created: true, matchedBy: null, skippedFields: [], stored: null } };
}
