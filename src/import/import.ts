// One import of a file (docs/import.md): read it all once to check it, then
// stream its records through their mapping into batches of upsertContacts,
// several batches in flight, saving where it stands as batches are
// acknowledged (every quarter of a second, and when it ends).
import path from 'node:path';
import { csvRowToInput, planColumns, type ColumnTarget } from './csv-columns.js';
import { PRESETS } from './presets/index.js';
import { ErrorReport, summaryLine, type Counts, type FailedRow } from './report.js';
import { clearState, hasState, loadState, newState, saveState, type ImportState } from './resume.js';
import type { PendingRow, RowResult } from './send.js';
import { readRecords, scanFile, MalformedFile, type FileScan, type Format, type SourceRecord } from './source-file.js';
import type { Target } from './target.js';
import { isObject, type ContactInput, type MappedRecord } from './values.js';
import type { Progress } from './progress.js';

export const MAX_BATCH = 100;

export interface ImportOptions {
  file: string;
  format?: Format;
  map: Record<string, string>;
  resume: boolean;
  batchSize: number;
  /** Batches in flight at once (rows naming one contact still go in file order). */
  concurrency: number;
}

export interface ImportIo {
  print(line: string): void;
  progress: Progress;
  /** Opens the target once the file is known to be readable. */
  connect(): Promise<Target>;
  /** True once the import is asked to stop (Ctrl-C): it stops after the batch in flight. */
  stopping(): boolean;
}

export interface ImportResult {
  scan: FileScan;
  counts: Counts;
  /** Rows done (written or failed) when the import ended. */
  rowsDone: number;
  complete: boolean;
  errorsFile: string | null;
  seconds: number;
  /** Where the rows went (Target.description). */
  target: string;
}

/** The namespace of the external ref each imported contact holds (API.md, Import). */
export function namespaceOf(format: Format): string {
  return format === 'csv' ? 'csv-import' : format;
}

export async function runImport(options: ImportOptions, io: ImportIo): Promise<ImportResult> {
  const scan = await scanFile(options.file, options.format);
  const mapRecord = recordMapper(scan, options.map, io.print);
  const state: ImportState = options.resume ? loadState(options.file, scan.sha256, scan.format) : newState(scan.sha256, scan.format);
  if (!options.resume && hasState(options.file)) io.print(`An earlier import of ${options.file} did not finish: starting over (--resume would have continued it).`);
  const report = new ErrorReport(`${options.file}.errors.csv`, options.resume);
  io.print(`${options.file}: ${scan.rows} rows, read as ${scan.format}.`);

  const target = await io.connect();
  const began = performance.now();
  const run: ImportRun = { options, io, target, state, report, counts: { ...state.counts }, rowsDone: state.rowsDone, inFlight: [], unsaved: [], savedAt: performance.now() };
  let complete = false;
  try {
    io.print(`Importing into ${target.description}${state.rowsDone > 0 ? `, from row ${state.rowsDone + 1}` : ''}.`);
    io.progress.start(scan.rows, run.rowsDone);
    await sendRecords(run, scan, mapRecord);
    complete = run.rowsDone >= scan.rows || !io.stopping();
  } finally {
    save(run);
    if (complete) clearState(options.file);
    io.progress.stop();
    await target.close();
  }
  const seconds = (performance.now() - began) / 1000;
  const { counts, rowsDone } = run;
  return { scan, counts, rowsDone, complete, errorsFile: report.exists ? report.path : null, seconds, target: target.description };
}

/** One import under way: where it stands, and the segments sent and not yet acknowledged, in file order. */
interface ImportRun {
  options: ImportOptions;
  io: ImportIo;
  target: Target;
  state: ImportState;
  report: ErrorReport;
  counts: Counts;
  rowsDone: number;
  inFlight: Segment[];
  /** Failed rows of the batches acknowledged since the last save, and when that was. */
  unsaved: FailedRow[];
  savedAt: number;
}

/** Maps the records from where the import stands and sends them in segments of `batchSize` rows, until the file ends or a stop. */
async function sendRecords(run: ImportRun, scan: FileScan, mapRecord: RecordMapper): Promise<void> {
  const fileName = path.basename(run.options.file);
  let segment = newSegment();
  for await (const record of readRecords(scan, run.rowsDone)) {
    segment.lastRow = record.row;
    const mapped = mapRecord(record, fileName);
    if (mapped.problems.length > 0) segment.failures.push(failedRow(record.row, mapped.problems));
    else addRow(segment, { row: record.row, input: mapped.input, origins: mapped.origins });
    if (segment.rows.length >= run.options.batchSize) {
      await dispatch(run, segment);
      segment = newSegment();
      if (run.io.stopping()) break;
    }
  }
  // The rows read since the last batch (none after a stop, which comes right after a batch).
  if (segment.lastRow > 0) await dispatch(run, segment);
  await settle(run, (pending) => pending.length > 0);
}

/** A row whose mapping failed: its first problem, the others appended to its message. */
function failedRow(row: number, problems: MappedRecord['problems']): FailedRow {
  const [first, ...more] = problems;
  const also = more.map((p) => `; also ${p.code} at ${p.field}: ${p.message}`).join('');
  return { row, field: first!.field, code: first!.code, message: `${first!.message}${also}` };
}

/** Acknowledges the segments answered, in file order whatever order their answers come in: counts, error report, saved state. */
function acknowledgeDone(run: ImportRun): void {
  const { inFlight, counts } = run;
  while (inFlight[0]?.results !== undefined) {
    const done = inFlight.shift()!;
    const failures = [...done.failures];
    done.results!.forEach((result, index) => {
      if (result.kind === 'failed') failures.push({ row: done.rows[index]!.row, field: result.field, code: result.code, message: result.message });
      else counts[result.kind]++;
    });
    counts.failed += failures.length;
    run.unsaved.push(...failures.sort((a, b) => a.row - b.row));
    run.rowsDone = done.lastRow;
    run.io.progress.update(run.rowsDone);
  }
  if (performance.now() - run.savedAt >= SAVE_EVERY_MS) save(run);
}

/**
 * How often the failed rows and the state are written: the state file is
 * replaced (written, then renamed) each time, which cost about 4% of the
 * import's CPU when done for every batch. Batches acknowledged since the last
 * save are sent again by --resume: they are answered from their
 * Idempotency-Key (over HTTP), or match what they wrote (in-process).
 */
const SAVE_EVERY_MS = 250;

/** Writes the failed rows acknowledged since the last save to the report, then the state that counts them. */
function save(run: ImportRun): void {
  run.report.write(run.unsaved);
  run.unsaved = [];
  saveState(run.options.file, { ...run.state, rowsDone: run.rowsDone, counts: run.counts });
  run.savedAt = performance.now();
}

/** Acknowledges answers as they come while `stopAt` holds of the segments still unanswered; the first failed send is thrown. */
async function settle(run: ImportRun, stopAt: (pending: Segment[]) => boolean): Promise<void> {
  const { inFlight } = run;
  for (;;) {
    const failed = inFlight.find((s) => s.error !== undefined);
    if (failed !== undefined) {
      // Let the others finish, keep what was acknowledged before it, then stop.
      await Promise.allSettled(inFlight.map((s) => s.sent));
      acknowledgeDone(run);
      throw failed.error;
    }
    acknowledgeDone(run);
    const pending = inFlight.filter((s) => s.results === undefined);
    if (!stopAt(pending)) return;
    await Promise.race(pending.map((s) => s.sent));
  }
}

/** Sends the segment once fewer than `concurrency` are in flight and none shares a contact's key with it. */
async function dispatch(run: ImportRun, next: Segment): Promise<void> {
  await settle(run, (pending) => pending.length >= run.options.concurrency || pending.some((s) => sharesKey(s, next)));
  run.inFlight.push(next);
  if (next.rows.length === 0) {
    next.results = [];
    acknowledgeDone(run);
    return;
  }
  const key = `import-${run.state.runId}-${next.rows[0]!.row}-${next.rows.at(-1)!.row}`;
  next.sent = run.target.upsert(next.rows, key).then(
    (results) => void (next.results = results),
    (error: unknown) => void (next.error = error),
  );
}

/** Rows read since the previous batch: the batch to send, and the rows that failed before sending. */
interface Segment {
  rows: PendingRow[];
  failures: FailedRow[];
  lastRow: number;
  /** The keys of the contacts its rows name: a later batch naming one waits for this one. */
  keys: Set<string>;
  sent: Promise<void>;
  results?: RowResult[];
  error?: unknown;
}

function newSegment(): Segment {
  return { rows: [], failures: [], lastRow: 0, keys: new Set(), sent: Promise.resolve() };
}

function addRow(segment: Segment, row: PendingRow): void {
  segment.rows.push(row);
  for (const key of contactKeys(row.input)) segment.keys.add(key);
}

function sharesKey(a: Segment, b: Segment): boolean {
  for (const key of b.keys) if (a.keys.has(key)) return true;
  return false;
}

/**
 * What may make two rows one contact: its ref, its emails, its phones (by
 * their last 9 digits, so that "+1 202…" and "202…" agree). Rows sharing one
 * are written in file order; others may be in flight together.
 */
export function contactKeys(input: ContactInput): string[] {
  const keys: string[] = [];
  const ref = input.externalRef as { externalId?: string } | undefined;
  if (ref?.externalId) keys.push(`ref:${ref.externalId}`);
  const emails = [input.email, ...((input.emails as { address?: unknown }[] | undefined) ?? []).map((e) => e.address)];
  for (const email of emails) if (typeof email === 'string') keys.push(`email:${email.trim().toLowerCase()}`);
  const phones = [input.phone, ...((input.phones as { number?: unknown }[] | undefined) ?? []).map((p) => p.number)];
  for (const phone of phones) if (typeof phone === 'string') keys.push(`phone:${phone.replace(/\D/g, '').slice(-9)}`);
  return keys;
}

type RecordMapper = (record: SourceRecord, fileName: string) => MappedRecord;

/** The mapping of the file's records: its CSV columns, or its preset. Every input gets the import's source and ref. */
function recordMapper(scan: FileScan, map: Record<string, string>, print: (line: string) => void): RecordMapper {
  const namespace = namespaceOf(scan.format);
  const withRef = (mapped: MappedRecord, externalId: string | undefined, fileName: string, row: number, ref: object = {}): MappedRecord => {
    mapped.input.source ??= 'IMPORT';
    mapped.input.externalRef = { namespace, externalId: externalId ?? `${fileName}:${row}`, ...ref };
    return mapped;
  };
  if (scan.format === 'csv') {
    const header = scan.header ?? [];
    const plan = planColumns(header, map);
    if (!plan.some((t) => t.kind === 'field')) {
      throw new MalformedFile(`no column of the header names a contact field (header: ${header.join(', ')}); name them (First Name, Email, …) or use --map column=field.`);
    }
    describePlan(header, plan, print);
    return (record, fileName) => {
      if (!('cells' in record)) throw new Error('a CSV record has cells');
      const mapped = csvRowToInput(header, plan, record.cells);
      return withRef(mapped, mapped.externalId, fileName, record.row);
    };
  }
  if (Object.keys(map).length > 0) throw new MalformedFile('--map applies to CSV files; a preset maps its system\'s fields itself (docs/import.md).');
  const preset = PRESETS[scan.format];
  return (record, fileName) => {
    const value = 'value' in record ? record.value : undefined;
    if (!isObject(value)) {
      return { input: {}, origins: {}, problems: [{ field: '', code: 'INVALID', message: `Row ${record.row} is not a JSON object.` }] };
    }
    const mapped = preset(value);
    return withRef(mapped, mapped.externalId, fileName, record.row, mapped.ref);
  };
}

function describePlan(header: string[], plan: ColumnTarget[], print: (line: string) => void): void {
  const kept = plan.flatMap((t, i) => (t.kind === 'custom' ? [header[i]] : []));
  if (kept.length > 0) print(`Columns kept in customFields (no contact field has their name): ${kept.join(', ')}.`);
}

export function resultLines(result: ImportResult): string[] {
  const { counts, seconds, scan } = result;
  const done = result.rowsDone;
  const rate = seconds > 0 ? Math.round(done / seconds) : done;
  const lines = [
    result.complete
      ? `Imported ${scan.path} (${done} rows in ${seconds.toFixed(1)} s, ${rate} rows/s) into ${result.target}.`
      : `Stopped after ${done} of ${scan.rows} rows: rerun with --resume to continue.`,
    `Summary: ${summaryLine(counts)}.`,
  ];
  if (result.errorsFile !== null) lines.push(`Failed rows: ${result.errorsFile}`);
  return lines;
}
