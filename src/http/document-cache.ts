// Parsed GraphQL documents by their text, shared by yoga's parser cache and
// the idempotency plugin, which must know whether a keyed request is a
// mutation before yoga parses it: each document is parsed once, by whichever
// comes first. Least recently used entries go first past MAX_DOCUMENTS.
import type { DocumentNode } from 'graphql';

const MAX_DOCUMENTS = 1024;

export interface DocumentCache {
  get(text: string): DocumentNode | undefined;
  set(text: string, document: DocumentNode): void;
}

export function documentCache(max = MAX_DOCUMENTS): DocumentCache {
  const documents = new Map<string, DocumentNode>();
  return {
    get(text) {
      const document = documents.get(text);
      if (document !== undefined) {
        documents.delete(text);
        documents.set(text, document);
      }
      return document;
    },
    set(text, document) {
      documents.delete(text);
      documents.set(text, document);
      if (documents.size > max) documents.delete(documents.keys().next().value!);
    },
  };
}
