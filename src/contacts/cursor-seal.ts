// The envelope of every cursor (docs/security.md, Cursors): the base64url of
// a JSON array, a dot, and the base64url of its HMAC-SHA256 (128 bits). A
// cursor is opened only when its text is exactly what sealCursor writes for
// its bytes and the tag matches, so an edited cursor is refused before its
// fields are read; the callers still check every field (keyset.ts,
// change-feed.ts). Plain functions: nothing here knows GraphQL.
import crypto from 'node:crypto';

/** Longer cursors are refused unread; a real one is a few hundred characters. */
export const MAX_CURSOR_LENGTH = 4096;

const TAG_BYTES = 16;
const SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function tagOf(key: Buffer, payload: Buffer): Buffer {
  return crypto.createHmac('sha256', key).update(payload).digest().subarray(0, TAG_BYTES);
}

export function sealCursor(key: Buffer, fields: readonly unknown[]): string {
  const payload = Buffer.from(JSON.stringify(fields), 'utf8');
  return `${payload.toString('base64url')}.${tagOf(key, payload).toString('base64url')}`;
}

/** The fields `key` sealed into `cursor`, or null when it is not such a cursor, however it was made. */
export function openCursor(key: Buffer, cursor: string): unknown[] | null {
  if (cursor.length > MAX_CURSOR_LENGTH || !SHAPE.test(cursor)) return null;
  const [body, tag] = cursor.split('.') as [string, string];
  const payload = Buffer.from(body, 'base64url');
  const given = Buffer.from(tag, 'base64url');
  // Base64 has several spellings of the same bytes (unused trailing bits):
  // only the one sealCursor writes is a cursor.
  if (payload.toString('base64url') !== body || given.toString('base64url') !== tag || given.length !== TAG_BYTES) return null;
  if (!crypto.timingSafeEqual(given, tagOf(key, payload))) return null;
  let fields: unknown;
  try {
    fields = JSON.parse(strictUtf8.decode(payload));
  } catch {
    return null;
  }
  return Array.isArray(fields) ? fields : null;
}
