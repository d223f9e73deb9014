// The key cursors are signed with (docs/security.md, Cursors). With
// CURSOR_SECRET set, the key is derived from it, so gateways that share the
// variable sign alike whatever database they use. Without it, the key is 32
// random bytes kept in the database's one CursorSecret row: the first gateway
// that needs a key writes it, and every gateway on that database, after any
// restart, reads the same one, so a client's cursor stays valid.
import crypto from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client.js';

/** A key for HMAC-SHA256, derived so that the secret's own bytes never sign anything. */
export function keyFromSecret(secret: string): Buffer {
  return crypto.createHmac('sha256', secret).update('contacts-gateway cursor key').digest();
}

/**
 * The key stored in the database, written first if there is none. One
 * statement: under a concurrent first write, ON CONFLICT waits for the other
 * writer's row and returns it, so two gateways never sign with two keys.
 */
export async function storedCursorKey(prisma: PrismaClient): Promise<Buffer> {
  const candidate = crypto.randomBytes(32);
  const rows = await prisma.$queryRaw<{ secret: Uint8Array }[]>`
    INSERT INTO "CursorSecret" ("id", "secret") VALUES (1, ${candidate})
    ON CONFLICT ("id") DO UPDATE SET "id" = "CursorSecret"."id"
    RETURNING "secret"`;
  const secret = rows[0]?.secret;
  if (secret === undefined || secret.length < 32) throw new Error('CursorSecret holds no usable key');
  return Buffer.from(secret);
}

/**
 * The gateway's source of the cursor key: read once, on the first request that
 * needs it, and kept; a failed read is retried by the next request.
 */
export function cursorKeySource(prisma: PrismaClient, secret: string | null): () => Promise<Buffer> {
  if (secret !== null) {
    const key = Promise.resolve(keyFromSecret(secret));
    return () => key;
  }
  let key: Promise<Buffer> | null = null;
  return () => {
    key ??= storedCursorKey(prisma).catch((error: unknown) => {
      key = null;
      throw error;
    });
    return key;
  };
}
