// Who is told of each SQL statement the gateway sends: tests pin statement
// counts and the benchmark reports them. Observed at the driver adapter, not
// through Prisma's `log: query` events: those are built (parameters
// serialised, timed, emitted) for every query whether anyone listens or not.
// Here a statement costs one call into an empty Set when nobody listens.
// BEGIN, COMMIT and ROLLBACK are round trips too, and are reported on both
// stores, whichever of them the adapter sends itself.
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQueryable, Transaction } from '@prisma/driver-adapter-utils';

/** A statement and, for those Prisma sends, its parameters as the adapter got them (bench/growth.ts explains them). */
export type QueryListener = (event: { query: string; args?: readonly unknown[] }) => void;

export interface StatementLog {
  /** The adapter factory to give Prisma: its connections report to this log. */
  readonly factory: SqlDriverAdapterFactory;
  /** Subscribes to every SQL statement; returns the unsubscribe. */
  onQuery(listener: QueryListener): () => void;
}

export function statementLog(factory: SqlDriverAdapterFactory): StatementLog {
  const listeners = new Set<QueryListener>();
  const notify = (query: string, args?: readonly unknown[]) => {
    for (const listener of listeners) listener({ query, args });
  };
  return {
    factory: observed(factory, { connect: async (connect) => observedConnection(await connect(), notify) }),
    onQuery(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

type Notify = (query: string, args?: readonly unknown[]) => void;

function observedConnection(connection: SqlDriverAdapter, notify: Notify): SqlDriverAdapter {
  return observed(connection, {
    ...statementsOf(notify),
    startTransaction: async (start, ...args) => {
      const transaction = (await start(...args)) as Transaction;
      // The adapter has begun it (adapter-pg sends BEGIN itself, PGlite's runs inside db.transaction).
      notify('BEGIN');
      // A "phantom" COMMIT/ROLLBACK is one the adapter ends itself; otherwise
      // Prisma sends it through executeRaw, which reports it already.
      const ending = (sql: string) => (end: () => Promise<void>) => {
        if (transaction.options.usePhantomQuery) notify(sql);
        return end();
      };
      return observed(transaction, { ...statementsOf(notify), commit: ending('COMMIT'), rollback: ending('ROLLBACK') });
    },
  });
}

const statementsOf = (notify: Notify) => ({
  queryRaw: (run: SqlQueryable['queryRaw'], query: Parameters<SqlQueryable['queryRaw']>[0]) => (notify(query.sql, query.args), run(query)),
  executeRaw: (run: SqlQueryable['executeRaw'], query: Parameters<SqlQueryable['executeRaw']>[0]) => (notify(query.sql, query.args), run(query)),
});

type Wrappers = Record<string, (original: (...args: any[]) => any, ...args: any[]) => unknown>;

/** `target`, with the named methods going through a wrapper that gets the original first; everything else as it is. */
function observed<T extends object>(target: T, wrappers: Wrappers): T {
  return new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function') return value;
      const original = value.bind(object) as (...args: any[]) => any;
      const wrapper = typeof property === 'string' ? wrappers[property] : undefined;
      return wrapper ? (...args: unknown[]) => wrapper(original, ...args) : original;
    },
  });
}
