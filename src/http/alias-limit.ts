// The alias limit: every aliased field of an operation counts, __typename and
// introspection fields included, and a fragment counts once per spread, so
// that neither `a1: __typename … a5000: __typename` nor one aliased fragment
// spread many times multiplies the response past GRAPHQL_MAX_ALIASES.
import { Kind, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { limitError } from './limit-error.js';

function aliasesIn(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, memo: Map<string, number>, seen: Set<string>): number {
  let count = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.alias) count += 1;
      if (selection.selectionSet) count += aliasesIn(selection.selectionSet, fragments, memo, seen);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += aliasesIn(selection.selectionSet, fragments, memo, seen);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      // A cycle or an unknown fragment is refused by the standard rules.
      if (fragment === undefined || seen.has(name)) continue;
      if (!memo.has(name)) {
        seen.add(name);
        memo.set(name, aliasesIn(fragment.selectionSet, fragments, memo, seen));
        seen.delete(name);
      }
      count += memo.get(name)!;
    }
  }
  return count;
}

function aliasLimitRule(max: number): ValidationRule {
  return (context: ValidationContext) => {
    const document = context.getDocument();
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    const memo = new Map<string, number>();
    for (const d of document.definitions) {
      if (d.kind !== Kind.OPERATION_DEFINITION) continue;
      const found = aliasesIn(d.selectionSet, fragments, memo, new Set());
      if (found > max) context.reportError(limitError('aliases', `The number of aliases ${found} exceeds the limit of ${max} (GRAPHQL_MAX_ALIASES).`));
    }
    return {};
  };
}

export function useAliasLimit(max: number): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(aliasLimitRule(max));
    },
  };
}
