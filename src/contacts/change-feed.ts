// The change feed: every create, update, delete, restore and merge of a
// workspace, oldest first, so a sync client resumes from its last cursor and
// sees each change once; a page may also be read backwards from a cursor (API.md, Change feed). Feed ids, and the positions
// cursors carry, increase in commit order per workspace (contact-rows.ts,
// feedEntry; migration contact_change_position).
import type { PrismaClient } from '../generated/prisma/client.js';
import { openCursor, sealCursor } from './cursor-seal.js';

export const MAX_FEED_PAGE = 100;
export const DEFAULT_FEED_PAGE = 50;

/** The first element of a feed cursor, so no other connection's cursor is one. */
const FEED = 'ContactChange';
/** Positions are BIGINT; a larger number is no position. */
const MAX_POSITION = 2n ** 63n - 1n;

/** Where a cursor stands: a position in the workspace's feed. */
export type FeedCursor = { position: bigint };

/**
 * A cursor holds the entry's position in its workspace's feed, which says
 * nothing of other workspaces, signed (cursor-seal.ts).
 */
export function feedCursor(position: bigint, signing: Buffer): string {
  return sealCursor(signing, [FEED, position.toString()]);
}

/** What a cursor stands for, or null when it is not one of ours: unsigned, edited, or a position no feed has. */
export function parseFeedCursor(cursor: string, signing: Buffer): FeedCursor | null {
  const fields = openCursor(signing, cursor);
  if (fields === null || fields.length !== 2 || fields[0] !== FEED) return null;
  const digits = fields[1];
  if (typeof digits !== 'string' || !/^(0|[1-9]\d{0,18})$/.test(digits)) return null;
  const position = BigInt(digits);
  return position <= MAX_POSITION ? { position } : null;
}

/** A page of the feed: `first` entries after a cursor, or the `last` entries before one (or before the end). */
export type FeedPage = { first: number; after: FeedCursor | null } | { last: number; before: FeedCursor | null };

/**
 * The page's entries, oldest first, whether more lie beyond it in its
 * direction, and whether the store holds the cursor's own entry. The entry at
 * the cursor is read with the page (and left out of it): a store that lacks
 * it has not yet seen every change up to the cursor (a read replica that is
 * behind), and its page could leave out changes before the cursor's; the
 * caller then reads the page where the cursor was given.
 */
export async function readChanges(prisma: PrismaClient, workspaceId: string, page: FeedPage) {
  const forward = 'first' in page;
  const cursor = forward ? page.after : page.before;
  const size = forward ? page.first : page.last;
  const from = cursor === null ? null : cursor.position;
  const rows = await prisma.contactChange.findMany({
    where: { workspaceId, ...(from === null ? {} : { position: forward ? { gte: from } : { lte: from } }) },
    orderBy: { position: forward ? 'asc' : 'desc' },
    take: size + (from === null ? 1 : 2),
  });
  const cursorFound = from !== null && rows[0]?.position === from;
  const beyond = cursorFound ? rows.slice(1) : rows.slice(0, size + 1);
  const changes = beyond.slice(0, size);
  return { changes: forward ? changes : changes.reverse(), hasMore: beyond.length > size, cursorFound };
}
