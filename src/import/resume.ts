// Where an import stands, in `<file>.import.json` beside the file: the run's
// id (its batches' Idempotency-Keys are made from it), the rows done, and the
// counts so far. Written as batches are acknowledged (import.ts says how
// often; to a temporary file, then renamed, so a crash leaves the old state or
// the new one); removed when the import is done. `--resume` continues from it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Counts } from './report.js';

export interface ImportState {
  version: 1;
  runId: string;
  sha256: string;
  format: string;
  /** Every row up to this one is written, or reported as failed. */
  rowsDone: number;
  counts: Counts;
}

export class ResumeError extends Error {}

export function statePath(file: string): string {
  return `${file}.import.json`;
}

export function newState(sha256: string, format: string): ImportState {
  return { version: 1, runId: crypto.randomUUID(), sha256, format, rowsDone: 0, counts: { created: 0, updated: 0, unchanged: 0, failed: 0 } };
}

/** The state of the interrupted import of this file, checked against the file as it is now. */
export function loadState(file: string, sha256: string, format: string): ImportState {
  const where = statePath(file);
  let state: ImportState;
  try {
    state = JSON.parse(fs.readFileSync(where, 'utf8')) as ImportState;
  } catch {
    throw new ResumeError(`no interrupted import of ${file} to resume (${where} is missing or unreadable): run it without --resume.`);
  }
  if (state.version !== 1 || typeof state.runId !== 'string' || typeof state.rowsDone !== 'number') {
    throw new ResumeError(`${where} is not an import state this version reads: run the import without --resume.`);
  }
  if (state.sha256 !== sha256) throw new ResumeError(`${file} changed since the interrupted import: run it again without --resume.`);
  if (state.format !== format) throw new ResumeError(`the interrupted import read ${file} as ${state.format}, not ${format}: give --format ${state.format}.`);
  return state;
}

export function saveState(file: string, state: ImportState): void {
  const where = statePath(file);
  const temporary = `${where}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(state));
  fs.renameSync(temporary, where);
}

export function hasState(file: string): boolean {
  return fs.existsSync(statePath(file));
}

export function clearState(file: string): void {
  fs.rmSync(statePath(file), { force: true });
}
