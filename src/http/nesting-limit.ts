// The parser's own guard: graphql-js parses recursively, and a document nested
// a few thousand levels deep ({a{a{…}}}, [[[…]]] in an argument) overflowed the
// stack before the depth rule, which runs on a parsed document, could refuse
// it: HTTP 500. The token limit does not catch it (5,000 levels are 15,000
// tokens). Brackets are counted before parsing, in one pass.
import type { Plugin } from 'graphql-yoga';
import { limitError } from './limit-error.js';

/** Far above any real operation (fields nest at most GRAPHQL_MAX_DEPTH), far below the stack. */
export const MAX_NESTING = 100;

/**
 * The deepest nesting of `{`, `[` and `(` in a GraphQL document, outside
 * strings and comments. On a malformed document it may count wrong; the
 * parser then reports the syntax error, or the nesting limit is reported.
 */
export function bracketDepth(source: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '#') {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i++;
    } else if (c === '"') {
      i = source.startsWith('"""', i) ? endOfBlockString(source, i + 3) : endOfString(source, i + 1);
    } else if (c === '{' || c === '[' || c === '(') {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (c === '}' || c === ']' || c === ')') {
      depth--;
    }
  }
  return deepest;
}

/** The index of the closing quote of a string whose text starts at `i`. */
function endOfString(source: string, i: number): number {
  while (i < source.length && source[i] !== '"' && source[i] !== '\n') i += source[i] === '\\' ? 2 : 1;
  return i;
}

/** The index of the last quote of a block string whose text starts at `i` (\""" is an escaped quote triple). */
function endOfBlockString(source: string, i: number): number {
  while (i < source.length) {
    if (source.startsWith('\\"""', i)) i += 4;
    else if (source.startsWith('"""', i)) return i + 2;
    else i++;
  }
  return i;
}

function nestingError(found: string): Error {
  return limitError('nesting', `The query nests brackets ${found} levels deep; the limit is ${MAX_NESTING}.`);
}

export function useNestingLimit(): Plugin {
  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => {
        const depth = bracketDepth(typeof source === 'string' ? source : source.body);
        if (depth > MAX_NESTING) throw nestingError(String(depth));
        try {
          return parseFn(source, options);
        } catch (error) {
          // A stack overflow the count above did not foresee: still the client's input.
          if (error instanceof RangeError) throw nestingError('too many');
          throw error;
        }
      });
    },
  };
}
