// Expected failures are values, not exceptions: a mutation
// returns them as userErrors and writes nothing.

export const USER_ERROR_CODES = [
  'INVALID',
  'INVALID_TEXT',
  'TOO_LONG',
  'INVALID_EMAIL',
  'INVALID_PHONE',
  'INVALID_LANGUAGE',
  'INVALID_URL',
  'INVALID_TIME_ZONE',
  'INVALID_DATE',
  'PRIMARY_CONNECTION',
  'NOT_FOUND',
  'TAKEN',
  'AMBIGUOUS_MATCH',
  'VERSION_CONFLICT',
  'LIMIT_EXCEEDED',
] as const;

export type UserErrorCode = (typeof USER_ERROR_CODES)[number];

export interface UserError {
  code: UserErrorCode;
  /**
   * Path into the mutation's arguments, e.g. ["input", "phones", "1", "number"].
   * A rule's paths start at what it was given (an input's field, or the name
   * of its parameter); the schema turns them into paths into the arguments.
   */
  field: string[] | null;
  message: string;
}

export function userError(code: UserErrorCode, field: (string | number)[] | null, message: string): UserError {
  return { code, field: field === null ? null : field.map(String), message };
}

/** The errors with `prefix` put before each path: a rule's errors about a part of what it checks. */
export function under(prefix: readonly string[], errors: readonly UserError[]): UserError[] {
  return errors.map((e) => ({ ...e, field: e.field === null ? null : [...prefix, ...e.field] }));
}

/** What a mutation's rule returns: its value, or the userErrors it wrote nothing for. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; userErrors: UserError[] };

/** Thrown inside a transaction to roll it back and report the errors. */
export class UserErrorsAbort extends Error {
  constructor(readonly userErrors: UserError[]) {
    super(userErrors.map((e) => e.message).join('; '));
    this.name = 'UserErrorsAbort';
  }
}
