// The cost of an operation: an estimate of how many values it resolves, counted
// before it executes, with the variables' values (Operation limits).
//
// Why not GraphQL Armor's cost-limit: it runs at validation, without variables,
// so `contacts(first: $n)` costs the same for n = 1 and n = 100, and its
// depth factor grows exponentially with nesting, which made a plain full
// contacts page cost more than a hostile flat query. Here:
//   - a leaf field costs 1 (`__typename` 0; introspection is served from memory: 0);
//   - an object field costs 1 + its selection, times the number of items it can
//     return: `first`/`last` (a literal or a variable), else the length of an
//     `ids`/`inputs` list argument, else 20 (Pothos' default page size) for a
//     connection, else 1 (the small lists of a contact: emails, phones, …);
//   - fragments are expanded where they are spread; both sides of a type
//     condition count (pessimistic for `node(id)`).
import {
  getNamedType,
  getOperationAST,
  isInterfaceType,
  isObjectType,
  valueFromASTUntyped,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { limitError } from './limit-error.js';

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_ITEMS = 100;
const PAGE_ARGS = ['first', 'last'];
const LIST_ARGS = ['ids', 'inputs'];

export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): number {
  const operation = getOperationAST(document, operationName);
  if (operation == null) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === 'FragmentDefinition') fragments.set(definition.name.value, definition);
  }
  const root = schema.getRootType(operation.operation);
  if (root === undefined || root === null) return 0;

  const costOf = (selectionSet: SelectionSetNode, parent: GraphQLNamedType, spreading: Set<string>): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === 'InlineFragment') {
        const type = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) ?? parent) : parent;
        total += costOf(selection.selectionSet, type, spreading);
      } else if (selection.kind === 'FragmentSpread') {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // A cycle is a validation error already; do not loop on it here.
        if (fragment === undefined || spreading.has(name)) continue;
        const type = schema.getType(fragment.typeCondition.name.value) ?? parent;
        total += costOf(fragment.selectionSet, type, new Set([...spreading, name]));
      } else {
        const name = selection.name.value;
        if (name === '__typename' || name === '__schema' || name === '__type') continue;
        if (selection.selectionSet === undefined) {
          total += 1;
          continue;
        }
        const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
        const type = field ? getNamedType(field.type) : parent;
        let items = 1;
        let sized = false;
        for (const argument of selection.arguments ?? []) {
          const value = valueFromASTUntyped(argument.value, variables ?? undefined);
          if (PAGE_ARGS.includes(argument.name.value) && typeof value === 'number') {
            // A page is at most 100 items: a larger first/last is refused by
            // the field itself with its own, clearer error (API.md, Queries).
            items = Math.max(items, Math.min(value, MAX_PAGE_ITEMS));
            sized = true;
          } else if (LIST_ARGS.includes(argument.name.value) && Array.isArray(value)) {
            items = Math.max(items, value.length);
            sized = true;
          }
        }
        if (!sized && type.name.endsWith('Connection')) items = DEFAULT_PAGE_SIZE;
        total += 1 + items * costOf(selection.selectionSet, type, spreading);
      }
    }
    return total;
  };
  return costOf(operation.selectionSet, root, new Set());
}

export function useOperationCost(maxCost: number): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const cost = operationCost(args.schema, args.document, args.operationName, args.variableValues as Record<string, unknown> | undefined);
      if (cost > maxCost) {
        setResultAndStopExecution({ errors: [limitError('cost', `Query cost ${cost} exceeds the limit of ${maxCost} (GRAPHQL_MAX_COST).`)] });
      }
    },
  };
}
