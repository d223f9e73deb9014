// Typed documents for the operations in src/, generated from the gateway's
// printed schema (schema.graphql at the repository's root).
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../../schema.graphql',
  documents: ['src/**/*.ts', '!src/gql/**'],
  ignoreNoDocuments: false,
  importExtension: '.js',
  generates: {
    './src/gql/': {
      preset: 'client',
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string', JSON: 'unknown', Date: 'string' } },
    },
  },
};

export default config;
