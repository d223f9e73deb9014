// Prisma and driver errors are recognized here and nowhere else (STYLE.md,
// point 3). Do not parse their details: PGlite and PostgreSQL report unique
// violations differently (PRISMA-OFFLINE.md, Unique violations).

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

function driverCodeOf(error: unknown): string | undefined {
  const cause = (error as { cause?: { originalCode?: unknown } } | null)?.cause;
  return cause?.originalCode === undefined ? undefined : String(cause.originalCode);
}

export function isUniqueViolation(error: unknown): boolean {
  return codeOf(error) === 'P2002' || driverCodeOf(error) === '23505';
}

/** A conflict the database resolved by failing one side: the work can be retried. */
export function isRetryableConflict(error: unknown): boolean {
  const code = codeOf(error);
  const driver = driverCodeOf(error);
  return code === 'P2034' || driver === '40001' || driver === '40P01';
}
