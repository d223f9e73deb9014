// Every string argument of a read carries its maximum length (docs/security.md,
// Bounds on arguments): declared here with the argument, stated in its
// description, and enforced before execution, before any SQL, by
// http/argument-bounds.ts. Mutation inputs are checked by their domain rules
// instead (TOO_LONG and INVALID_TEXT userErrors).

/** Free-text search (contacts' and companies' filter.search). */
export const MAX_SEARCH = 200;
/** A global id: base64 of "Type:uuid" is under 70 characters. */
export const MAX_ID = 100;
/** A page cursor: base64 of the sort value (a last name of ≤100 characters at most) and the id. */
export const MAX_CURSOR = 1000;

/** The extension http/argument-bounds.ts reads. */
export const MAX_LENGTH_EXTENSION = 'maxLength';

/**
 * The description and extension of a bounded argument or input field:
 * `t.arg.string({ required: true, ...bounded(50, 'The system.') })`. On a
 * list the bound holds for each of its strings.
 */
export function bounded(max: number, description: string, list = false): { description: string; extensions: Record<string, unknown> } {
  return { description: `${description} ${list ? 'Each at' : 'At'} most ${max} characters.`, extensions: { [MAX_LENGTH_EXTENSION]: max } };
}

/** The bound declared on an argument or input field, if any. */
export function maxLengthOf(extensions: Readonly<Record<string, unknown>> | null | undefined): number | undefined {
  const max = extensions?.[MAX_LENGTH_EXTENSION];
  return typeof max === 'number' ? max : undefined;
}
