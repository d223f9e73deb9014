// The text rule (docs/behaviour.md, Text): no text the gateway is sent may
// hold a control character other than tab, newline and carriage return (NUL,
// the rest of C0, DEL and C1), nor half of a UTF-16 surrogate pair. PostgreSQL
// cannot store NUL, and a lone surrogate would be stored as U+FFFD: the text
// read back would not be the text sent, and sending it again would be a change.
// Mutations refuse such input with INVALID_TEXT before anything else is
// checked; query arguments with a GraphQL error (http/argument-bounds.ts).
import { userError, type UserError } from './errors.js';

const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|\p{Cs}/u;

/** The first character of `text` the rule refuses, as "U+XXXX", or null when there is none. */
export function forbiddenCharacterIn(text: string): string | null {
  const found = FORBIDDEN.exec(text);
  if (found === null) return null;
  return `U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

export function invalidTextMessage(character: string): string {
  return `Text must not contain ${character}: control characters other than tab, newline and carriage return, and unpaired surrogates, are refused.`;
}

/**
 * INVALID_TEXT for every string under `value` (object keys included) that
 * breaks the rule, at its path from `path`; a bad key is reported at the
 * path of its object. Walks with its own stack, not by recursion: JSON
 * input (customFields) can nest as deep as the body allows.
 */
export function invalidText(value: unknown, path: string[]): UserError[] {
  interface Step { value: unknown; key: string | null; parent: Step | null; badKey?: string }
  const pathOf = (step: Step): string[] => {
    const keys: string[] = [];
    for (let at: Step | null = step; at !== null && at.key !== null; at = at.parent) keys.push(at.key);
    return [...path, ...keys.reverse()];
  };
  const errors: UserError[] = [];
  const stack: Step[] = [{ value, key: null, parent: null }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    if (step.badKey !== undefined) {
      errors.push(userError('INVALID_TEXT', pathOf(step.parent!), invalidTextMessage(step.badKey)));
    } else if (typeof step.value === 'string') {
      const bad = forbiddenCharacterIn(step.value);
      if (bad !== null) errors.push(userError('INVALID_TEXT', pathOf(step), invalidTextMessage(bad)));
    } else if (typeof step.value === 'object' && step.value !== null) {
      const isList = Array.isArray(step.value);
      const entries = isList ? (step.value as unknown[]).map((item, i) => [String(i), item] as const) : Object.entries(step.value);
      // Pushed last-first, so that errors come out in the order of the
      // entries: a bad key is reported (at its object's path) before what it holds.
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i]!;
        stack.push({ value: item, key, parent: step });
        const badKey = isList ? null : forbiddenCharacterIn(key);
        if (badKey !== null) stack.push({ value: null, key: null, parent: step, badKey });
      }
    }
  }
  return errors;
}
