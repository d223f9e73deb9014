// One import of a file (docs/import.md): read it all once to check it, then
// stream its records through their mapping into batches of upsertContacts,
// one batch in flight, saving where it stands after every acknowledged batch.
import path from 'node:path';
import { csvRowToInput, planColumns, type ColumnTarget } from './csv-columns.js';
import { PRESETS } from './presets/index.js';
import { ErrorReport, summaryLine, type Counts, type FailedRow } from './report.js';
import { clearState, hasState, loadState, newState, saveState, type ImportState } from './resume.js';
import { sendBatch, type PendingRow, type SendOptions } from './send.js';
import { readRecords, scanFile, MalformedFile, type FileScan, type Format, type SourceRecord } from './source-file.js';
import type { Target } from './target.js';
import { isObject, type MappedRecord } from './values.js';
import type { Progress } from './progress.js';

export const MAX_BATCH = 100;

export interface ImportOptions {
  file: string;
  format?: Format;
  map: Record<string, string>;
  resume: boolean;
  batchSize: number;
}

export interface ImportIo {
  print(line: string): void;
  progress: Progress;
  /** Opens the target once the file is known to be readable. */
  connect(): Promise<Target>;
  /** True once the import is asked to stop (Ctrl-C): it stops after the batch in flight. */
  stopping(): boolean;
  send?: SendOptions;
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
  const counts = { ...state.counts };
  let rowsDone = state.rowsDone;
  let complete = false;
  try {
    io.print(`Importing into ${target.description}${state.rowsDone > 0 ? `, from row ${state.rowsDone + 1}` : ''}.`);
    io.progress.start(scan.rows, rowsDone);
    const fileName = path.basename(options.file);
    let batch: PendingRow[] = [];
    let failures: FailedRow[] = [];
    let lastRow = rowsDone;

    const acknowledge = (upTo: number) => {
      report.write(failures.sort((a, b) => a.row - b.row));
      failures = [];
      rowsDone = upTo;
      saveState(options.file, { ...state, rowsDone, counts });
      io.progress.update(rowsDone);
    };
    const flush = async () => {
      if (batch.length > 0) {
        const results = await sendBatch(target, batch, `import-${state.runId}-${batch[0]!.row}-${batch.at(-1)!.row}`, io.send);
        results.forEach((result, index) => {
          if (result.kind === 'failed') {
            counts.failed++;
            failures.push({ row: batch[index]!.row, field: result.field, code: result.code, message: result.message });
          } else counts[result.kind]++;
        });
        batch = [];
      }
      acknowledge(lastRow);
    };

    for await (const record of readRecords(scan, rowsDone)) {
      lastRow = record.row;
      const mapped = mapRecord(record, fileName);
      if (mapped.problems.length > 0) {
        counts.failed++;
        const [first, ...more] = mapped.problems;
        const also = more.map((p) => `; also ${p.code} at ${p.field}: ${p.message}`).join('');
        failures.push({ row: record.row, field: first!.field, code: first!.code, message: `${first!.message}${also}` });
      } else batch.push({ row: record.row, input: mapped.input, origins: mapped.origins });
      if (batch.length >= options.batchSize) {
        await flush();
        if (io.stopping()) break;
      }
    }
    if (!io.stopping() || batch.length > 0 || failures.length > 0) await flush();
    complete = rowsDone >= scan.rows || !io.stopping();
    if (complete) clearState(options.file);
  } finally {
    io.progress.stop();
    await target.close();
  }
  const seconds = (performance.now() - began) / 1000;
  return { scan, counts, rowsDone, complete, errorsFile: report.exists ? report.path : null, seconds, target: target.description };
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
