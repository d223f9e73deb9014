// The printed schema, sorted so that the checked-in schema.graphql changes only
// when the surface does.
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './index.js';

export function printedSchema(): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}
