// The bounds and the text rule on the arguments of reads (docs/security.md,
// Bounds on arguments): before the operation executes, every String or ID
// argument value, at any depth of an input object or list, must be within the
// maximum length its definition declares (schema/bounds.ts) and must pass the
// text rule (src/text.ts); else the request gets one GraphQL error,
// BAD_USER_INPUT, and runs nothing. The arguments of the root mutation fields
// are left to the mutations, which answer INVALID_TEXT or TOO_LONG userErrors.
import {
  BREAK,
  GraphQLError,
  TypeInfo,
  isInputObjectType,
  isListType,
  isNonNullType,
  valueFromAST,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { maxLengthOf } from '../schema/bounds.js';
import { lengthOf } from '../contacts/normalize.js';
import { forbiddenCharacterIn } from '../text.js';

const badArgument = (argument: string, message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument } });

/** The first value under `value` (of `type`) that breaks its bound or the text rule; `name` is its path, e.g. "contacts.filter.search". */
function problemIn(value: unknown, type: GraphQLInputType, max: number | undefined, name: string): GraphQLError | null {
  const stack: Array<[unknown, GraphQLInputType, number | undefined, string]> = [[value, type, max, name]];
  while (stack.length > 0) {
    const [item, itemType, bound, path] = stack.pop()!;
    if (item === null || item === undefined) continue;
    if (isNonNullType(itemType)) {
      stack.push([item, itemType.ofType, bound, path]);
    } else if (isListType(itemType)) {
      // A single value stands for a list of one (input coercion).
      if (Array.isArray(item)) item.forEach((entry, i) => stack.push([entry, itemType.ofType, bound, `${path}.${i}`]));
      else stack.push([item, itemType.ofType, bound, path]);
    } else if (isInputObjectType(itemType)) {
      if (typeof item !== 'object') continue;
      for (const field of Object.values(itemType.getFields())) {
        stack.push([(item as Record<string, unknown>)[field.name], field.type, maxLengthOf(field.extensions), `${path}.${field.name}`]);
      }
    } else if (itemType.name === 'String' || itemType.name === 'ID') {
      const text = typeof item === 'number' ? String(item) : item;
      if (typeof text !== 'string') continue;
      if (bound !== undefined && text.length > bound && lengthOf(text) > bound) return badArgument(path, `${path} is longer than ${bound} characters.`);
      const bad = forbiddenCharacterIn(text);
      if (bad !== null) return badArgument(path, `${path} must not contain ${bad}: control characters other than tab, newline and carriage return, and unpaired surrogates, are refused.`);
    }
  }
  return null;
}

/** The first argument of the document that breaks the rules, or null. */
export function argumentProblem(schema: GraphQLSchema, document: DocumentNode, variables: Readonly<Record<string, unknown>>): GraphQLError | null {
  const typeInfo = new TypeInfo(schema);
  const mutation = schema.getMutationType();
  let problem: GraphQLError | null = null;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const argument = typeInfo.getArgument();
        const field = typeInfo.getFieldDef();
        if (argument == null || field == null || typeInfo.getDirective() != null) return false;
        if (mutation != null && typeInfo.getParentType() === mutation) return false;
        // undefined when the value does not fit the type: coercion reports that.
        const value = valueFromAST(node.value, argument.type, variables as Record<string, unknown>);
        problem = problemIn(value, argument.type, maxLengthOf(argument.extensions), `${field.name}.${argument.name}`);
        return problem === null ? false : BREAK;
      },
    }),
  );
  return problem;
}

export function useArgumentBounds(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const problem = argumentProblem(args.schema, args.document, (args.variableValues ?? {}) as Record<string, unknown>);
      if (problem !== null) setResultAndStopExecution({ errors: [problem] });
    },
  };
}
