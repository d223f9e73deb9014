// Ids for rows written by raw SQL, of the kind the schema's @default(uuid(7))
// gives: a UUID version 7 (48-bit Unix milliseconds first, so ids sort by
// creation time, then random bits).
import { randomUUID } from 'node:crypto';

/** A version 7 UUID: randomUUID's random bits and variant, with the time and version 7 put in. */
export function newRowId(now: number = Date.now()): string {
  const random = randomUUID();
  const time = now.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15)}`;
}
