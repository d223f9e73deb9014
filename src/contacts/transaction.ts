// Every mutation runs in one transaction that either commits all of its work
// or, on a userError, none of it (API.md, Mutations).
import type { PrismaClient } from '../generated/prisma/client.js';
import { UserErrorsAbort, type Outcome, type UserError } from '../errors.js';
import { isRetryableConflict, isUniqueViolation } from '../db/errors.js';
import type { Tx } from './contact-store.js';

// PGlite runs one transaction at a time and counts queueing against maxWait:
// leave room for bursts.
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 30_000 };
const ATTEMPTS = 4;

/**
 * Runs `work` in a transaction. A UserErrorsAbort rolls it back and becomes the
 * outcome. A unique violation or a serialization conflict means another writer
 * got there first: the work runs again and sees the winner's rows.
 */
export async function inTransaction<T>(prisma: PrismaClient, work: (tx: Tx) => Promise<T>): Promise<Outcome<T>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: true, value: await prisma.$transaction(work, TRANSACTION_OPTIONS) };
    } catch (error) {
      if (error instanceof UserErrorsAbort) return { ok: false, userErrors: error.userErrors };
      if (attempt < ATTEMPTS && (isUniqueViolation(error) || isRetryableConflict(error))) continue;
      throw error;
    }
  }
}

/**
 * Runs `work` outside a transaction: for work whose writes are one atomic
 * statement. A UserErrorsAbort becomes the outcome. null, from the work or
 * when it lost a race (a unique violation, a conflict), means it wrote
 * nothing and must run in a transaction instead.
 */
export async function directly<T>(work: () => Promise<T | null>): Promise<Outcome<T> | null> {
  try {
    const value = await work();
    return value === null ? null : { ok: true, value };
  } catch (error) {
    if (error instanceof UserErrorsAbort) return { ok: false, userErrors: error.userErrors };
    if (isUniqueViolation(error) || isRetryableConflict(error)) return null;
    throw error;
  }
}

/** Stops the transaction with these errors when there are any. */
export function abortIf(errors: readonly UserError[]): void {
  if (errors.length > 0) throw new UserErrorsAbort([...errors]);
}
