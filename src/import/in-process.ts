// The in-process import's write of one batch: each row's input coerced by the
// schema's UpsertContactInput type, as the upsertContacts mutation receives
// its variables, then the mutation's own domain call (contacts/upsert-batch.ts)
// on the store this process opened. The rules, the matching and the results
// are the mutation's; what is left out is the HTTP request and the GraphQL
// document around it, which cost about as much Node CPU as the write itself.
// No Idempotency-Key is needed: a batch is one call in this process, never
// sent twice, and a batch run again after a crash matches the contacts it
// wrote by their refs and writes nothing new.
import { coerceInputValue, GraphQLError, GraphQLNonNull, isInputObjectType, type GraphQLInputObjectType } from 'graphql';
import type { PrismaClient, Workspace } from '../generated/prisma/client.js';
import { upsertContacts } from '../contacts/upsert-batch.js';
import type { UpsertContactInput } from '../contacts/upsert.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import { withDecodedCompanyIds } from '../schema/contact-inputs.js';
import { schema } from '../schema/index.js';
import { fieldName, resultOfRow, SendError, type PendingRow, type RowResult, type SendOptions } from './send.js';

const inputType = schema.getType('UpsertContactInput');
if (!isInputObjectType(inputType)) throw new Error('the schema has no UpsertContactInput input type');
const UPSERT_INPUT = new GraphQLNonNull(inputType as GraphQLInputObjectType);

/** A row's input as the mutation's resolver gets it, or the row's failure as the gateway would answer it. */
function coerced(row: PendingRow): { input: UpsertContactInput } | { failed: RowResult } {
  let problem: { path: readonly (string | number)[]; message: string } | null = null;
  const input = coerceInputValue(row.input, UPSERT_INPUT, (path, _invalid, error: GraphQLError) => {
    problem ??= { path, message: error.message };
  }) as UpsertContactInput;
  if (problem === null) return { input };
  const { path, message } = problem as { path: readonly (string | number)[]; message: string };
  const where = path.map(String);
  return { failed: { kind: 'failed', field: fieldName(where, row), code: 'BAD_USER_INPUT', message: `Invalid value at "${where.join('.')}": ${message}` } };
}

/** The workspace as it is when a batch is written (its matching and default country), as a request's API key finds it. */
async function workspaceNow(prisma: PrismaClient, workspaceId: string): Promise<Workspace> {
  const workspace = await prisma.workspace.findUnique({ where: { id: workspaceId } });
  if (workspace === null) throw new SendError('the workspace no longer exists.');
  return workspace;
}

/** The results of the batch's rows, in order, written through the workspace's upsertContacts. */
export async function upsertInProcess(prisma: PrismaClient, workspaceId: string, rows: PendingRow[], options: SendOptions = {}): Promise<RowResult[]> {
  const results: (RowResult | null)[] = rows.map(() => null);
  const writing: { index: number; input: UpsertContactInput }[] = [];
  rows.forEach((row, index) => {
    const coercion = coerced(row);
    if ('failed' in coercion) results[index] = coercion.failed;
    else writing.push({ index, input: withDecodedCompanyIds(coercion.input) });
  });
  if (writing.length > 0) {
    const inputs = writing.map((w) => w.input);
    const outcomes = await withRetries(async () => upsertContacts(prisma, await workspaceNow(prisma, workspaceId), inputs), rows, options);
    outcomes.forEach((outcome, n) => {
      const { index } = writing[n]!;
      results[index] = outcome.ok
        ? resultOfRow({ created: outcome.value.created, changedFields: outcome.value.stored?.changedFields ?? [], userErrors: [] }, rows[index]!)
        : resultOfRow({ created: false, changedFields: [], userErrors: outcome.userErrors }, rows[index]!);
    });
  }
  return results as RowResult[];
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `write`, again after a wait while the database is unavailable (as the HTTP client retries a 503), up to the attempts allowed. */
async function withRetries<T>(write: () => Promise<T>, rows: PendingRow[], options: SendOptions): Promise<T> {
  const attempts = options.attempts ?? 8;
  const sleep = options.sleep ?? sleepFor;
  let wait = options.backoffMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      if (attempt >= attempts) throw new SendError(`the database did not take rows ${rows[0]!.row}-${rows.at(-1)!.row} after ${attempts} attempts (it is unavailable).`);
      await sleep(wait);
      wait *= 2;
    }
  }
}
