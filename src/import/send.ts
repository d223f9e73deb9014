// Sending one batch of rows as one upsertContacts call, with its
// Idempotency-Key, and reading back what happened to each row. Transient
// failures (network, 429, 503, a key still in flight) are retried with the
// same key, so a batch the gateway already wrote is answered from its first
// response instead of written again. A batch the gateway refuses as a whole
// (a value its types reject) is sent again row by row, to find the rows at fault.
import type { ContactInput } from './values.js';

/** POSTs one GraphQL request to the gateway. */
export type Post = (body: string, headers: Record<string, string>) => Promise<Response>;

export const UPSERT_CONTACTS = `mutation ImportContacts($inputs: [UpsertContactInput!]!) {
  upsertContacts(inputs: $inputs) {
    userErrors { code field message }
    results { created changedFields userErrors { code field message } }
  }
}`;

export interface PendingRow {
  row: number;
  input: ContactInput;
  origins: Record<string, string>;
}

export type RowResult =
  | { kind: 'created' | 'updated' | 'unchanged' }
  | { kind: 'failed'; field: string; code: string; message: string };

/** The import cannot go on (the key is refused, the gateway keeps failing): rows so far are kept. */
export class SendError extends Error {}

interface UserErrorJson {
  code: string;
  field: readonly string[] | null;
  message: string;
}
interface ResultJson {
  created: boolean;
  changedFields: readonly string[];
  userErrors: readonly UserErrorJson[];
}
interface ResponseJson {
  data?: { upsertContacts?: { userErrors: UserErrorJson[]; results: ResultJson[] } | null } | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export interface SendOptions {
  /** Attempts for a transient failure before the import stops. */
  attempts?: number;
  /** Waits between attempts, doubled each time (Retry-After wins when given). */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The results of the batch's rows, in order. */
export async function sendBatch(send: Post, rows: PendingRow[], key: string, options: SendOptions = {}): Promise<RowResult[]> {
  const response = await post(send, rows, key, options);
  const payload = response.json.data?.upsertContacts;
  if (payload) {
    if (payload.userErrors.length > 0 || payload.results.length !== rows.length) {
      const first = payload.userErrors[0];
      throw new SendError(`the gateway refused the batch of rows ${rows[0]!.row}-${rows.at(-1)!.row}: ${first ? `${first.code}: ${first.message}` : 'results do not match the rows'}`);
    }
    return payload.results.map((result, index) => resultOfRow({ ...result, userErrors: result.userErrors.map(intoInput) }, rows[index]!));
  }
  // Refused as a whole: a value the schema's types reject, or a limit.
  if (rows.length > 1) {
    const results: RowResult[] = [];
    for (const row of rows) results.push(...(await sendBatch(send, [row], `${key}:${row.row}`, options)));
    return results;
  }
  const error = response.json.errors?.[0];
  const message = error?.message ?? `HTTP ${response.status}`;
  return [{ kind: 'failed', field: fieldOfMessage(message, rows[0]!), code: error?.extensions?.code ?? `HTTP_${response.status}`, message }];
}

/** A userError of upsertContacts with its path into the arguments (["inputs", "3", "emails", "0"]) made a path into its input. */
const intoInput = (e: UserErrorJson): UserErrorJson => ({ ...e, field: e.field === null ? null : e.field.slice(2) });

/** What happened to a row, from its result (userErrors at paths into its input), as the import counts and reports it. */
export function resultOfRow(result: ResultJson, row: PendingRow): RowResult {
  if (result.userErrors.length === 0) return { kind: result.created ? 'created' : result.changedFields.length > 0 ? 'updated' : 'unchanged' };
  const [first, ...more] = result.userErrors;
  const also = more.map((e) => `; also ${e.code} at ${fieldName(e.field, row)}: ${e.message}`).join('');
  return { kind: 'failed', field: fieldName(first!.field, row), code: first!.code, message: `${first!.message}${also}` };
}

/** A path into a row's input (["emails", "0", "address"]) as the source names it: its column or key where known. */
export function fieldName(path: readonly string[] | null, row: PendingRow): string {
  const inInput = path ?? [];
  if (inInput.length === 0) return '';
  const origin = row.origins[inInput[0]!];
  if (origin !== undefined && inInput.length === 1) return origin;
  return inInput.join('.');
}

/** The input field a variable-coercion message names (`… at "inputs[0].dateOfBirth"`). */
function fieldOfMessage(message: string, row: PendingRow): string {
  const match = /at "inputs\[\d+\]\.([^"]+)"/.exec(message);
  if (match === null) return '';
  const path = match[1]!.replace(/\[(\d+)\]/g, '.$1').split('.');
  return fieldName(path, row);
}

// 500 is not among them: a row the gateway fails on is found by sending the rows one by one.
const TRANSIENT = new Set([408, 409, 425, 429, 502, 503, 504]);

async function post(send: Post, rows: PendingRow[], key: string, options: SendOptions): Promise<{ status: number; json: ResponseJson }> {
  const attempts = options.attempts ?? 8;
  const sleep = options.sleep ?? sleepFor;
  let wait = options.backoffMs ?? 500;
  const body = JSON.stringify({ query: UPSERT_CONTACTS, variables: { inputs: rows.map((r) => r.input) } });
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let response: Response;
    try {
      response = await send(body, { 'idempotency-key': key });
    } catch (error) {
      last = `cannot reach the gateway (${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message})`;
      if (attempt < attempts) await sleep(wait);
      wait *= 2;
      continue;
    }
    if (response.status === 401 || response.status === 403) {
      throw new SendError(`the gateway refused the API key (HTTP ${response.status}): check --key.`);
    }
    if (response.status === 422) {
      throw new SendError('the gateway has this batch from an earlier run with other content (HTTP 422, Idempotency-Key reused): run the import again without --resume.');
    }
    if (TRANSIENT.has(response.status)) {
      last = `HTTP ${response.status}`;
      await response.body?.cancel().catch(() => {});
      const retryAfter = Number(response.headers.get('retry-after'));
      if (attempt < attempts) await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 30_000) : wait);
      wait *= 2;
      continue;
    }
    let json: ResponseJson;
    try {
      json = (await response.json()) as ResponseJson;
    } catch {
      throw new SendError(`the gateway answered HTTP ${response.status} without a GraphQL response: is --url the gateway?`);
    }
    return { status: response.status, json };
  }
  throw new SendError(`the gateway did not take rows ${rows[0]!.row}-${rows.at(-1)!.row} after ${attempts} attempts (${last}).`);
}
