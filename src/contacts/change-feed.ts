// The change feed: every create, update, delete, restore and merge of a
// workspace, oldest first, so a sync client resumes from its last cursor and
// sees each change once (API.md, Change feed). Feed ids, and the positions
// cursors carry, increase in commit order per workspace (contact-rows.ts,
// feedEntry; migration contact_change_position).
import type { PrismaClient } from '../generated/prisma/client.js';

export const MAX_FEED_PAGE = 100;
export const DEFAULT_FEED_PAGE = 50;

const CURSOR_PREFIX = 'feed:';
/** Cursors made before positions carried the feed's global id; they still resume where they were. */
const LEGACY_PREFIX = 'change:';

/** Where a cursor stands: a position in the workspace's feed, or (an older cursor) a global feed id. */
export type FeedCursor = { position: bigint } | { legacyId: bigint };

/** A cursor holds the entry's position in its workspace's feed, which says nothing of other workspaces. */
export function feedCursor(position: bigint): string {
  return Buffer.from(`${CURSOR_PREFIX}${position}`).toString('base64');
}

/** What a cursor stands for, or null when it is not one of ours. */
export function parseFeedCursor(cursor: string): FeedCursor | null {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  const number = (prefix: string) => {
    const digits = text.slice(prefix.length);
    return text.startsWith(prefix) && /^\d{1,19}$/.test(digits) ? BigInt(digits) : null;
  };
  const position = number(CURSOR_PREFIX);
  if (position !== null) return { position };
  const legacyId = number(LEGACY_PREFIX);
  return legacyId === null ? null : { legacyId };
}

export async function readChanges(prisma: PrismaClient, workspaceId: string, after: FeedCursor | null, first: number) {
  const from = after === null ? null : 'position' in after ? after.position : await positionOfLegacyCursor(prisma, workspaceId, after.legacyId);
  const rows = await prisma.contactChange.findMany({
    where: { workspaceId, ...(from === null ? {} : { position: { gt: from } }) },
    orderBy: { position: 'asc' },
    take: first + 1,
  });
  return { changes: rows.slice(0, first), hasNextPage: rows.length > first };
}

/** The position of the workspace's last entry at or before a global feed id (0: none), where an older cursor stood. */
async function positionOfLegacyCursor(prisma: PrismaClient, workspaceId: string, id: bigint): Promise<bigint> {
  const row = await prisma.contactChange.findFirst({ where: { workspaceId, id: { lte: id } }, orderBy: { id: 'desc' }, select: { position: true } });
  return row?.position ?? 0n;
}
