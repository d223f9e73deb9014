// Keyset (cursor) pagination for Relay connections (API.md, Queries:
// "first/last at most 100"). A cursor holds the sort value and the id of a
// row, and the next page is "rows after (value, id) in this order": pages
// never repeat or skip a row, even when rows share a sort value or it is NULL,
// and a cursor stays usable after its own row is deleted. Prisma's `cursor`
// option cannot do this with a nullable, non-unique sort key, so the WHERE is
// built here. Cursors are signed (cursor-seal.ts). Plain functions: nothing
// here knows GraphQL.
import { openCursor, sealCursor } from './cursor-seal.js';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export type SortDirection = 'asc' | 'desc';

/** The column a connection is sorted by; `id` (unique) always breaks ties. */
export interface SortKey {
  /** Names the ordering inside cursors, so a cursor of another ordering is refused. */
  name: string;
  /** The model field. */
  field: string;
  kind: 'string' | 'date';
  /** NULL sorts after every value: last ascending, first descending (PostgreSQL's default, so a btree index serves both). */
  nullable: boolean;
  direction: SortDirection;
}

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/** Bad paging arguments: the caller's mistake, reported as a GraphQL error. */
export class InvalidPageArgument extends Error {
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidPageArgument';
  }
}

type SortValue = string | Date | null;
interface Position {
  value: SortValue;
  id: string;
}

/** What to ask the store for one page: filter on the cursors, order, and how many rows (one more than the page, to know if more follow). */
export interface PagePlan {
  where: Record<string, unknown>;
  orderBy: Record<string, unknown>[];
  take: number;
  size: number;
  backward: boolean;
  after: boolean;
  before: boolean;
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** What toISOString writes for the years PostgreSQL and JavaScript both hold (0001 to 9999). */
const ISO_DATE = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** Far above any sort value the gateway writes (names are at most 200 characters). */
const MAX_SORT_STRING = 1024;
/** A NUL or a lone surrogate: PostgreSQL text holds neither (in u mode a paired surrogate is one code point, not matched). */
const UNSTORABLE = /[\u0000\p{Cs}]/u;

/** The cursor of `row`: the connection's type, the ordering's name, the sort value and the id, signed (cursor-seal.ts). */
export function encodeCursor(type: string, key: SortKey, row: Record<string, unknown> & { id: string }, signing: Buffer): string {
  const value = row[key.field];
  const encoded = value instanceof Date ? value.toISOString() : (value ?? null);
  return sealCursor(signing, [type, key.name, encoded, row.id]);
}

/**
 * The position a cursor stands for. The signature is checked first; then,
 * in case the key ever leaks, every field as if it were unsigned, so that no
 * cursor reaches the store with a value it cannot compare (docs/behaviour.md, Paging).
 */
export function decodeCursor(type: string, key: SortKey, cursor: string, argument: string, signing: Buffer): Position {
  const malformed = () => new InvalidPageArgument(argument, `\`${argument}\` is not a cursor of this connection.`);
  const fields = openCursor(signing, cursor);
  if (fields === null || fields.length !== 4 || fields[0] !== type) throw malformed();
  const [, name, value, id] = fields;
  if (typeof id !== 'string' || !UUID.test(id) || typeof name !== 'string') throw malformed();
  if (name !== key.name) {
    throw new InvalidPageArgument(argument, `\`${argument}\` is a cursor of another ordering; page from the start when the ordering changes.`);
  }
  if (value === null) {
    if (!key.nullable) throw malformed();
    return { value: null, id };
  }
  if (typeof value !== 'string') throw malformed();
  if (key.kind === 'date') {
    const date = dateOf(value);
    if (date === null) throw malformed();
    return { value: date, id };
  }
  if (value.length > MAX_SORT_STRING || UNSTORABLE.test(value)) throw malformed();
  return { value, id };
}

/** The date `text` names when it is exactly what encodeCursor writes, in years 1 to 9999; else null. */
function dateOf(text: string): Date | null {
  const match = ISO_DATE.exec(text);
  if (match === null || Number(match[1]) < 1) return null;
  const date = new Date(text);
  return !Number.isNaN(date.getTime()) && date.toISOString() === text ? date : null;
}

function checkSize(argument: 'first' | 'last', size: number): void {
  if (size < 0) throw new InvalidPageArgument(argument, `\`${argument}\` must not be negative.`);
  if (size > MAX_PAGE_SIZE) {
    throw new InvalidPageArgument(argument, `\`${argument}\` must be at most ${MAX_PAGE_SIZE}; page with the cursors for more.`);
  }
}

/**
 * Rows strictly after `position` when sorted by `key` in `direction`, NULL
 * counting as the greatest value. Branches for NULL only on nullable keys, so
 * the non-nullable orderings keep a plain range condition an index serves.
 */
function rowsAfter(key: SortKey, direction: SortDirection, position: Position): Record<string, unknown> {
  const field = key.field;
  const beyond = direction === 'asc' ? 'gt' : 'lt';
  if (position.value === null) {
    // Among NULLs only the id orders; ascending, NULLs come last (nothing
    // follows them), descending they come first (every non-NULL follows).
    const sameNull = { [field]: null, id: { [beyond]: position.id } };
    return direction === 'asc' ? sameNull : { OR: [sameNull, { NOT: { [field]: null } }] };
  }
  if (key.nullable && direction === 'asc') {
    return { OR: [{ [field]: { [beyond]: position.value } }, { [field]: position.value, id: { [beyond]: position.id } }, { [field]: null }] };
  }
  // From the cursor's value on, less the rows at that value up to its id. A
  // range bound, so PostgreSQL starts the index scan at the cursor; and a NOT
  // rather than "beyond the value, or at it beyond the id" beside the bound,
  // since PostgreSQL estimates such an OR as if it were independent of the
  // bound, expects a few rows to follow the cursor, and then joins every
  // following row's lists and sorts them all instead of reading 51 rows in
  // index order (docs/benchmarks.md, Growth).
  const upTo = direction === 'asc' ? 'lte' : 'gte';
  return { [field]: { [direction === 'asc' ? 'gte' : 'lte']: position.value }, NOT: { [field]: position.value, id: { [upTo]: position.id } } };
}

function flip(direction: SortDirection): SortDirection {
  return direction === 'asc' ? 'desc' : 'asc';
}

function orderFor(key: SortKey, direction: SortDirection): Record<string, unknown>[] {
  const sort = key.nullable ? { sort: direction, nulls: direction === 'asc' ? 'last' : 'first' } : direction;
  return [{ [key.field]: sort }, { id: direction }];
}

/**
 * Checks the Relay arguments and plans the query of one page. `first` and
 * `last` together are refused: the Relay spec discourages it and its result
 * surprises. Without either, the first DEFAULT_PAGE_SIZE rows.
 */
export function planPage(type: string, key: SortKey, args: PageArgs, signing: Buffer): PagePlan {
  const first = args.first ?? null;
  const last = args.last ?? null;
  if (first !== null && last !== null) {
    throw new InvalidPageArgument('last', 'Pass `first` or `last`, not both.');
  }
  if (first !== null) checkSize('first', first);
  if (last !== null) checkSize('last', last);
  const conditions: Record<string, unknown>[] = [];
  if (args.after != null) conditions.push(rowsAfter(key, key.direction, decodeCursor(type, key, args.after, 'after', signing)));
  if (args.before != null) conditions.push(rowsAfter(key, flip(key.direction), decodeCursor(type, key, args.before, 'before', signing)));
  const backward = last !== null;
  const size = last ?? first ?? DEFAULT_PAGE_SIZE;
  return {
    where: conditions.length === 0 ? {} : { AND: conditions },
    // Backward pages are read in the reverse order from the `before` end, then turned around.
    orderBy: orderFor(key, backward ? flip(key.direction) : key.direction),
    take: size + 1,
    size,
    backward,
    after: args.after != null,
    before: args.before != null,
  };
}

/**
 * The page from the rows read with `plan`. The extra row tells whether more
 * follow in the paging direction; the other direction is reported by the
 * Relay convention: there is more on that side when a cursor was given.
 */
export function pageOf<T extends Record<string, unknown> & { id: string }>(
  type: string,
  key: SortKey,
  plan: PagePlan,
  rows: T[],
  signing: Buffer,
): Page<T> {
  const more = rows.length > plan.size;
  const kept = rows.slice(0, plan.size);
  if (plan.backward) kept.reverse();
  const edges = kept.map((node) => ({ cursor: encodeCursor(type, key, node, signing), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: plan.backward ? plan.before : more,
      hasPreviousPage: plan.backward ? more : plan.after,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
