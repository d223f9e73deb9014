// The change feed: every create, update, delete, restore and merge of a
// workspace, oldest first, so a sync client resumes from its last cursor and
// sees each change once (API.md, Change feed). Feed ids increase in commit
// order per workspace (contact-rows.ts, feedEntry).
import type { PrismaClient } from '../generated/prisma/client.js';

export const MAX_FEED_PAGE = 100;
export const DEFAULT_FEED_PAGE = 50;

const CURSOR_PREFIX = 'change:';

export function feedCursor(id: bigint): string {
  return Buffer.from(`${CURSOR_PREFIX}${id}`).toString('base64');
}

/** The feed id a cursor stands for, or null when it is not one of ours. */
export function parseFeedCursor(cursor: string): bigint | null {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  if (!text.startsWith(CURSOR_PREFIX) || !/^\d{1,19}$/.test(text.slice(CURSOR_PREFIX.length))) return null;
  return BigInt(text.slice(CURSOR_PREFIX.length));
}

export async function readChanges(prisma: PrismaClient, workspaceId: string, after: bigint | null, first: number) {
  const rows = await prisma.contactChange.findMany({
    where: { workspaceId, ...(after === null ? {} : { id: { gt: after } }) },
    orderBy: { id: 'asc' },
    take: first + 1,
  });
  return { changes: rows.slice(0, first), hasNextPage: rows.length > first };
}
