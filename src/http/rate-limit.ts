// Rate limiting per API key: a fixed window of RATE_LIMIT_WINDOW_SECONDS
// allows RATE_LIMIT_MAX requests; the next ones get HTTP 429 with Retry-After.
//
// The counter is a row in the database, not process memory, so that several
// gateway processes on one PostgreSQL share it: one statement, an
// INSERT … ON CONFLICT DO UPDATE … RETURNING, increments it atomically (race-free
// on both stores, since one statement is atomic on each). The
// window is computed from the database clock, so processes with skewed clocks
// still agree. The cost is one round trip per request while the limiter is on;
// it is off by default (RATE_LIMIT_MAX=0).
import crypto from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { RateLimitConfig } from '../config.js';

export interface RateLimiter {
  /** Counts one request of the bucket; throws a 429 GraphQLError over the limit. */
  hit(bucket: string): Promise<void>;
}

/** The bucket of an API key: its hash, never the key itself. */
export function bucketOfKey(apiKey: string): string {
  return `key:${crypto.createHash('sha256').update(apiKey, 'utf8').digest('hex')}`;
}

export function rateLimited(retryAfterSeconds: number, config: RateLimitConfig): GraphQLError {
  return new GraphQLError(
    `Too many requests: this API key may send ${config.max} per ${config.windowSeconds} s (RATE_LIMIT_MAX). Retry after ${retryAfterSeconds} s.`,
    { extensions: { code: 'RATE_LIMITED', retryAfter: retryAfterSeconds, http: { status: 429, headers: { 'Retry-After': String(retryAfterSeconds) } } } },
  );
}

export function createRateLimiter(prisma: PrismaClient, config: RateLimitConfig): RateLimiter | null {
  if (config.max === 0) return null;
  const seconds = config.windowSeconds;
  return {
    async hit(bucket) {
      const rows = await prisma.$queryRaw<{ count: number; retryAfter: number }[]>`
        WITH now AS (SELECT extract(epoch FROM clock_timestamp()) AS epoch)
        INSERT INTO "RateLimitWindow" AS w ("bucket", "window", "count")
        SELECT ${bucket}, floor(now.epoch / ${seconds}::int)::bigint, 1 FROM now
        ON CONFLICT ("bucket") DO UPDATE SET
          "count" = CASE WHEN w."window" = EXCLUDED."window" THEN w."count" + 1 ELSE 1 END,
          "window" = EXCLUDED."window"
        RETURNING w."count" AS "count",
          greatest(1, ceil((w."window" + 1) * ${seconds}::int - (SELECT epoch FROM now)))::int AS "retryAfter"`;
      const row = rows[0];
      if (row !== undefined && row.count > config.max) throw rateLimited(row.retryAfter, config);
    },
  };
}
