// Introspection on outside production; in production off unless
// GRAPHQL_INTROSPECTION=true (issue 5). When it is off, field suggestions
// ("Did you mean …?") are hidden too: they would list the schema one guess at a time.
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';

export function useIntrospectionPolicy(enabled: boolean): Plugin[] {
  if (enabled) return [];
  return [
    {
      onValidate({ addValidationRule }) {
        addValidationRule(NoSchemaIntrospectionCustomRule);
      },
    },
    blockFieldSuggestionsPlugin() as Plugin,
  ];
}
