// contactChanges: the workspace's change feed as a Relay connection.
import { GraphQLError } from 'graphql';
import { builder } from './builder.js';
import { encodeGlobalId } from './global-id.js';
import { requireWorkspace } from './guards.js';
import { DEFAULT_FEED_PAGE, MAX_FEED_PAGE, feedCursor, parseFeedCursor, readChanges, type FeedPage } from '../contacts/change-feed.js';
import { ContactChangeKind } from '../generated/prisma/enums.js';
import type { ContactChange } from '../generated/prisma/client.js';

const ContactChangeKindEnum = builder.enumType(ContactChangeKind, {
  name: 'ContactChangeKind',
  description: 'What happened to the contact.',
});

const ContactChangeRef = builder.objectRef<ContactChange>('ContactChange').implement({
  description: 'One write of a contact, as the change feed reports it.',
  fields: (t) => ({
    contactId: t.id({ description: 'The global id of the contact that changed.', resolve: (c) => encodeGlobalId('Contact', c.contactId) }),
    kind: t.field({ type: ContactChangeKindEnum, description: 'CREATED, UPDATED, DELETED, RESTORED or MERGED.', resolve: (c) => c.kind }),
    changedFields: t.stringList({ description: 'The contract names of the fields that changed.', resolve: (c) => c.changedFields }),
    occurredAt: t.field({ type: 'DateTime', description: 'When the change was written.', resolve: (c) => c.occurredAt }),
  }),
});

function badArgument(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

interface FeedArgs { first?: number | null; after?: string | null; last?: number | null; before?: string | null }

/** The page the arguments ask for: forward by default; first with last, or a bad cursor, is a GraphQL error. */
function feedPageOf(args: FeedArgs, signing: Buffer): FeedPage {
  if (args.first != null && args.last != null) throw badArgument('Give first or last, not both.');
  if (args.after != null && args.before != null) throw badArgument('Give after or before, not both.');
  const backward = args.last != null || args.before != null;
  const size = (backward ? args.last : args.first) ?? DEFAULT_FEED_PAGE;
  const name = backward ? 'last' : 'first';
  if (size < 0 || size > MAX_FEED_PAGE) throw badArgument(`${name} must be between 0 and ${MAX_FEED_PAGE}.`);
  const text = backward ? args.before : args.after;
  const cursor = text == null ? null : parseFeedCursor(text, signing);
  if (text != null && cursor === null) throw badArgument(`${backward ? 'before' : 'after'} is not a cursor of contactChanges.`);
  return backward ? { last: size, before: cursor } : { first: size, after: cursor };
}

/** The connection of a page read: its edges, and page info that keeps the client's place on an empty page. */
function feedConnection({ changes, hasMore }: { changes: ContactChange[]; hasMore: boolean }, args: FeedArgs, signing: Buffer) {
  const edges = changes.map((node) => ({ node, cursor: feedCursor(node.position, signing) }));
  const forward = args.last == null && args.before == null;
  const given = forward ? args.after : args.before;
  return {
    edges,
    pageInfo: {
      hasNextPage: forward ? hasMore : args.before != null,
      hasPreviousPage: forward ? args.after != null : hasMore,
      startCursor: edges[0]?.cursor ?? given ?? null,
      endCursor: edges.at(-1)?.cursor ?? given ?? null,
    },
  };
}

builder.queryFields((t) => ({
  contactChanges: t.connection(
    {
      type: ContactChangeRef,
      description: `Every create, update, delete, restore and merge of the workspace, oldest first. Resume from the last endCursor (first/after, ${DEFAULT_FEED_PAGE} by default, at most ${MAX_FEED_PAGE}); last/before read backwards, e.g. the latest changes.`,
      args: {},
      resolve: async (_root, args, ctx) => {
        const workspaceId = requireWorkspace(ctx).id;
        const signing = await ctx.cursorKey();
        const page = feedPageOf(args, signing);
        let read = await readChanges(ctx.prisma, workspaceId, page);
        // A cursor the read replica has not replayed yet: the primary has it.
        const cursor = 'first' in page ? page.after : page.before;
        if (cursor !== null && !read.cursorFound && ctx.prisma !== ctx.primary) read = await readChanges(ctx.primary, workspaceId, page);
        return feedConnection(read, args, signing);
      },
    },
    { name: 'ContactChangeConnection', description: 'A page of the change feed.' },
    { name: 'ContactChangeEdge', description: 'A change and its cursor.' },
  ),
}));
