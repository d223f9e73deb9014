// Introspection on outside production; in production off unless
// GRAPHQL_INTROSPECTION=true. When it is off, suggestions ("Did you mean …?")
// are hidden too (client-errors.ts).
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export function useIntrospectionPolicy(enabled: boolean): Plugin[] {
  if (enabled) return [];
  return [
    {
      onValidate({ addValidationRule }) {
        addValidationRule(NoSchemaIntrospectionCustomRule);
      },
    },
  ];
}
