// Reading an import file as a stream of records: CSV (csv-parse), a JSON
// array (stream-json) or NDJSON (one JSON value per line). A file is read
// twice: once to check that all of it parses (so a malformed file stops
// before anything is written) and to count its rows and hash its bytes, then
// again to send it. Memory stays bounded by one batch whatever the file's size.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { Transform, type TransformCallback, type Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { guessPreset, PRESET_NAMES, type PresetName } from './presets/index.js';
import { isObject } from './values.js';

export type Format = 'csv' | PresetName;
export const FORMATS: Format[] = ['csv', ...PRESET_NAMES];

/** The file cannot be read as its format: nothing is written, the import stops. */
export class MalformedFile extends Error {}

type Layout = 'csv' | 'json-array' | 'ndjson';

export interface FileScan {
  path: string;
  format: Format;
  layout: Layout;
  /** Records in the file (a CSV's header is not one). */
  rows: number;
  bytes: number;
  sha256: string;
  /** CSV only: the header row, and the delimiter it uses. */
  header?: string[];
  delimiter?: string;
}

/** One record of the file: its row number (from 1) and its content. */
export type SourceRecord = { row: number; cells: string[] } | { row: number; value: unknown };

/** Hashes the bytes that pass and checks they are UTF-8. */
class Fingerprint extends Transform {
  readonly hash = crypto.createHash('sha256');
  bytes = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    this.hash.update(chunk);
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      done(new MalformedFile(`the file is not UTF-8 text (at byte ${this.bytes + 1} or just before).`));
      return;
    }
    this.bytes += chunk.length;
    done(null, chunk);
  }
  override _flush(done: TransformCallback) {
    try {
      this.decoder.decode();
      done();
    } catch {
      done(new MalformedFile('the file is not UTF-8 text (it ends inside a character).'));
    }
  }
}

/** The first bytes of the file, for guessing its layout and CSV delimiter. */
function head(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const read = fs.readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read).toString('utf8').replace(/^\uFEFF/, '');
  } finally {
    fs.closeSync(fd);
  }
}

function layoutOf(file: string, format: Format | undefined, start: string): Layout {
  const ext = path.extname(file).toLowerCase();
  if (format === 'csv') return 'csv';
  if (format === undefined && (ext === '.csv' || ext === '.tsv')) return 'csv';
  const first = start.trimStart()[0];
  if (first === '[') return 'json-array';
  if (first === '{' || ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  if (format !== undefined) {
    throw new MalformedFile(`a ${format} file holds JSON: an array of records, or one record per line (NDJSON).`);
  }
  return 'csv';
}

/** The delimiter the header line uses most: comma, semicolon or tab. */
function delimiterOf(file: string, start: string): string {
  if (path.extname(file).toLowerCase() === '.tsv') return '\t';
  const line = start.split(/\r?\n/, 1)[0] ?? '';
  const counts = [',', ';', '\t'].map((d) => [d, line.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ',';
}

function csvParser(delimiter: string) {
  return parseCsv({ bom: true, delimiter, relax_column_count_less: true, skip_empty_lines: true, skip_records_with_empty_values: true });
}

function malformed(error: unknown, layout: Layout): MalformedFile {
  if (error instanceof MalformedFile) return error;
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.replace(/\s+/g, ' ').slice(0, 300);
  const what = layout === 'csv' ? 'valid CSV' : layout === 'json-array' ? 'a valid JSON array' : 'valid NDJSON';
  return new MalformedFile(`the file is not ${what}: ${message.replace(/\.?$/, '.')}`);
}

/** Every record of the file, in order, read as a stream. */
async function* records(file: string, layout: Layout, delimiter: string, tap?: Transform): AsyncGenerator<SourceRecord> {
  const input: Readable = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
  const bytes = tap ? input.pipe(tap) : input;
  input.on('error', (e) => bytes.destroy(e));
  try {
    if (layout === 'csv') {
      const parser = bytes.pipe(csvParser(delimiter));
      bytes.on('error', (e) => parser.destroy(e));
      // Row 0 is the header.
      let row = 0;
      for await (const cells of parser as AsyncIterable<string[]>) yield { row: row++, cells };
    } else if (layout === 'json-array') {
      const parser = bytes.pipe(streamArray.withParserAsStream());
      bytes.on('error', (e) => parser.destroy(e));
      for await (const item of parser as AsyncIterable<{ key: number; value: unknown }>) yield { row: item.key + 1, value: item.value };
    } else {
      const lines = readline.createInterface({ input: bytes, crlfDelay: Infinity });
      let line = 0;
      let row = 0;
      for await (const text of lines) {
        line++;
        const trimmed = (line === 1 ? text.replace(/^\uFEFF/, '') : text).trim();
        if (trimmed === '') continue;
        let value: unknown;
        try {
          value = JSON.parse(trimmed);
        } catch (error) {
          throw new MalformedFile(`line ${line} is not a JSON value (NDJSON holds one record per line): ${(error as Error).message}`);
        }
        yield { row: ++row, value };
      }
    }
  } catch (error) {
    throw malformed(error, layout);
  } finally {
    input.destroy();
  }
}

/**
 * Reads the whole file once: checks it parses, counts its rows, hashes it,
 * and settles its format (guessed from its name and first record when not given).
 */
export async function scanFile(file: string, format?: Format): Promise<FileScan> {
  if (!fs.existsSync(file)) throw new MalformedFile(`there is no file ${file}.`);
  if (!fs.statSync(file).isFile()) throw new MalformedFile(`${file} is not a file.`);
  const start = head(file);
  const layout = layoutOf(file, format, start);
  const delimiter = layout === 'csv' ? delimiterOf(file, start) : ',';
  const tap = new Fingerprint();
  let rows = 0;
  let header: string[] | undefined;
  let guessed: Format | undefined = layout === 'csv' ? 'csv' : format;
  for await (const record of records(file, layout, delimiter, tap)) {
    if ('cells' in record) {
      if (record.row === 0) header = record.cells.map((c) => c.trim());
      else rows++;
      continue;
    }
    rows++;
    if (guessed === undefined && isObject(record.value)) guessed = guessPreset(record.value) ?? undefined;
  }
  if (layout === 'csv' && header === undefined) throw new MalformedFile('the file is empty: a CSV file starts with a header row.');
  if (guessed === undefined && rows > 0) {
    throw new MalformedFile(`cannot tell which system's records the file holds: give --format (${FORMATS.join(', ')}).`);
  }
  // An empty JSON file imports nothing, whichever system it is from.
  return { path: file, format: guessed ?? 'investor-crm', layout, rows, bytes: tap.bytes, sha256: tap.hash.digest('hex'), header, delimiter };
}

/** The file's records after the header, from row `after + 1` on. */
export async function* readRecords(scan: FileScan, after = 0): AsyncGenerator<SourceRecord> {
  for await (const record of records(scan.path, scan.layout, scan.delimiter ?? ',')) {
    if (record.row === 0 || record.row <= after) continue;
    yield record;
  }
}
