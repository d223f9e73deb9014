// PGlite runs PostgreSQL without its background processes, so nothing does
// autovacuum's work: no ANALYZE as tables grow, no VACUUM after updates. The
// planner then keeps planning for the tables as they were. Worse, a plan that
// PostgreSQL caches (a foreign-key check, a trigger function's query) is made
// once and kept until an ANALYZE of its tables invalidates it: one cached
// while `Contact` was empty scans the whole table for every row a write
// checks. An embedded import slowed from 550 to 125 contacts/s by 14,000
// contacts that way, with four full scans of `Contact` per contact written.
//
// The embedded store therefore applies autovacuum's own rule itself: every
// second it reads the tables' activity counters and analyzes (or vacuums)
// the tables past PostgreSQL's default thresholds. PGlite runs in this thread,
// so each command blocks the process while it runs, and waits for the
// transactions queued before it. The tables due an ANALYZE are analyzed in
// one command, so that a grown table's plans are fixed after one wait rather
// than one per table; ANALYZE reads a sample of at most 30,000 rows of a
// table, so that command's time does not grow with the store. That is the
// trade: at 52,000 contacts, analyzing every table in one command blocked the
// process 0.6-1 s, and table by table 168 ms at most (the event loop's
// longest gap while it ran), which is how a reopened store is analyzed after
// migrating. Each VACUUM is a command of its own, yielding to the event loop
// between them.
import type { PGlite } from '@electric-sql/pglite';

/** One table's counters, as pg_stat_user_tables and pg_class give them. */
export interface TableActivity {
  /** The table's name, quoted as an identifier. */
  table: string;
  /** The planner's row count (pg_class.reltuples); negative when never analyzed. */
  rows: number;
  modifiedSinceAnalyze: number;
  insertedSinceVacuum: number;
  deadRows: number;
}

export interface Maintenance {
  analyze: boolean;
  vacuum: boolean;
}

// PostgreSQL's defaults: autovacuum_analyze_threshold and _scale_factor,
// autovacuum_vacuum_threshold and _scale_factor, autovacuum_vacuum_insert_threshold
// and _scale_factor.
const ANALYZE_BASE = 50;
const ANALYZE_SCALE = 0.1;
const VACUUM_BASE = 50;
const VACUUM_SCALE = 0.2;
const INSERT_VACUUM_BASE = 1000;
const INSERT_VACUUM_SCALE = 0.2;

/** What autovacuum would do to the table now. */
export function maintenanceDue(activity: TableActivity): Maintenance {
  const rows = Math.max(activity.rows, 0);
  return {
    analyze: activity.modifiedSinceAnalyze > ANALYZE_BASE + ANALYZE_SCALE * rows,
    vacuum:
      activity.deadRows > VACUUM_BASE + VACUUM_SCALE * rows ||
      activity.insertedSinceVacuum > INSERT_VACUUM_BASE + INSERT_VACUUM_SCALE * rows,
  };
}

/**
 * The commands that do what is due, in order: one ANALYZE of every table due
 * one (a plan that scans a grown table is fixed by the first command the
 * store gets to run), then a VACUUM per table.
 */
export function maintenanceCommands(tables: readonly TableActivity[]): string[] {
  const due = tables.map((t) => ({ table: t.table, ...maintenanceDue(t) }));
  const analyze = due.filter((t) => t.analyze).map((t) => t.table);
  const vacuum = due.filter((t) => t.vacuum).map((t) => `VACUUM ${t.table}`);
  return analyze.length === 0 ? vacuum : [`ANALYZE ${analyze.join(', ')}`, ...vacuum];
}

const ACTIVITY = `
  SELECT quote_ident(s.relname) AS "table", c.reltuples::float8 AS rows,
         s.n_mod_since_analyze::float8 AS "modifiedSinceAnalyze",
         s.n_ins_since_vacuum::float8 AS "insertedSinceVacuum",
         s.n_dead_tup::float8 AS "deadRows"
  FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
  WHERE s.schemaname = 'public'`;

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

export interface PgliteMaintainer {
  /** Analyzes every table (after migrating, when the counters of a reopened store are all zero). */
  analyzeAll(): Promise<void>;
  /** Runs what is due now; a call while a pass runs waits for that pass. */
  runDue(): Promise<void>;
  /** Stops the timer and waits for a running pass. */
  stop(): Promise<void>;
}

export function pgliteMaintainer(db: PGlite, everyMs: number): PgliteMaintainer {
  let running: Promise<void> | null = null;
  let stopped = false;
  const exclusive = (pass: () => Promise<void>) => {
    // Statistics are an optimisation: a failed pass leaves the old ones.
    running ??= pass().catch(() => {}).finally(() => (running = null));
    return running;
  };
  const execEach = async (commands: string[]) => {
    for (const command of commands) {
      if (stopped) return;
      await nextTurn();
      await db.exec(command);
    }
  };
  const duePass = async () => {
    // Counters reach the statistics views at most once a second unless asked.
    await db.query('SELECT pg_stat_force_next_flush()');
    const tables = (await db.query<TableActivity>(ACTIVITY)).rows;
    await execEach(maintenanceCommands(tables));
  };
  const analyzePass = async () => {
    const tables = (await db.query<TableActivity>(ACTIVITY)).rows;
    await execEach(tables.map((t) => `ANALYZE ${t.table}`));
  };
  const timer = setInterval(() => void exclusive(duePass), everyMs);
  timer.unref();
  return {
    analyzeAll: async () => {
      await running;
      await exclusive(analyzePass);
    },
    runDue: () => exclusive(duePass),
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
