// The change feed: every create, update, delete, restore and merge of a
// workspace, oldest first, so a sync client resumes from its last cursor and
// sees each change once; a page may also be read backwards from a cursor (API.md, Change feed). Feed ids, and the positions
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

/** A page of the feed: `first` entries after a cursor, or the `last` entries before one (or before the end). */
export type FeedPage = { first: number; after: FeedCursor | null } | { last: number; before: FeedCursor | null };

/** The page's entries, oldest first, and whether more lie beyond it in its direction. */
export async function readChanges(prisma: PrismaClient, workspaceId: string, page: FeedPage) {
  const forward = 'first' in page;
  const cursor = forward ? page.after : page.before;
  const size = forward ? page.first : page.last;
  const from = cursor === null ? null : 'position' in cursor ? cursor.position : await positionOfLegacyCursor(prisma, workspaceId, cursor.legacyId, forward);
  const rows = await prisma.contactChange.findMany({
    where: { workspaceId, ...(from === null ? {} : { position: forward ? { gt: from } : { lt: from } }) },
    orderBy: { position: forward ? 'asc' : 'desc' },
    take: size + 1,
  });
  const changes = rows.slice(0, size);
  return { changes: forward ? changes : changes.reverse(), hasMore: rows.length > size };
}

/**
 * Where an older cursor, which held a global feed id, stands in the
 * workspace's feed: after it, the position of the last entry at or before the
 * id (0: none); before it, the position of the first entry at or after it.
 */
async function positionOfLegacyCursor(prisma: PrismaClient, workspaceId: string, id: bigint, forward: boolean): Promise<bigint> {
  const row = await prisma.contactChange.findFirst({
    where: { workspaceId, id: forward ? { lte: id } : { gte: id } },
    orderBy: { id: forward ? 'desc' : 'asc' },
    select: { position: true },
  });
  return row?.position ?? (forward ? 0n : BigInt(Number.MAX_SAFE_INTEGER));
}
