// What an import reports: the counts of its summary, and `<file>.errors.csv`
// with one line per failed row (row, field, code, message), created when the
// first row fails.
import fs from 'node:fs';
import { stringify } from 'csv-stringify/sync';

export interface Counts {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

export interface FailedRow {
  row: number;
  field: string;
  code: string;
  message: string;
}

export class ErrorReport {
  private started: boolean;

  /** `append`: a resumed run adds to the report of the run it continues. */
  constructor(
    readonly path: string,
    append: boolean,
  ) {
    this.started = append && fs.existsSync(path);
    if (!append) fs.rmSync(path, { force: true });
  }

  get exists(): boolean {
    return this.started;
  }

  write(rows: FailedRow[]): void {
    if (rows.length === 0) return;
    const lines = rows.map((r) => [r.row, r.field, r.code, r.message]);
    if (!this.started) {
      fs.writeFileSync(this.path, stringify([['row', 'field', 'code', 'message'], ...lines]));
      this.started = true;
    } else fs.appendFileSync(this.path, stringify(lines));
  }
}

export function summaryLine(counts: Counts): string {
  return `created ${counts.created}, updated ${counts.updated}, unchanged ${counts.unchanged}, failed ${counts.failed}`;
}
