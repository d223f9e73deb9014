// The PostgreSQL extensions the migrations create. PGlite bundles them but
// loads only those it is given; a PostgreSQL server has them in its contrib
// package. pg_trgm backs the trigram indexes of search (docs/store.md).
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

export const PGLITE_EXTENSIONS = { pg_trgm };
