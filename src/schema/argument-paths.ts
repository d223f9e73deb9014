// A domain rule's userError paths start at what it was given: a path into an
// input, or the name of one of its parameters. A resolver places them in the
// mutation's arguments (API.md, Mutations: UserError.field).
import { under, type Outcome } from '../errors.js';

/** The outcome with every error path put under the argument the rule was given. */
export function atArgument<T>(outcome: Outcome<T>, argument: readonly string[]): Outcome<T> {
  return outcome.ok ? outcome : { ok: false, userErrors: under(argument, outcome.userErrors) };
}

/**
 * The outcome with the first step of each error path, a parameter of the
 * rule, replaced by the argument it came from; other paths as they are.
 */
export function asArguments<T>(outcome: Outcome<T>, parameters: Readonly<Record<string, readonly string[]>>): Outcome<T> {
  if (outcome.ok) return outcome;
  const userErrors = outcome.userErrors.map((error) => {
    const [first, ...rest] = error.field ?? [];
    if (first === undefined || !Object.hasOwn(parameters, first)) return error;
    return { ...error, field: [...parameters[first]!, ...rest] };
  });
  return { ok: false, userErrors };
}
