// contactChanges: the workspace's change feed as a Relay connection.
import { GraphQLError } from 'graphql';
import { builder } from './builder.js';
import { encodeGlobalId } from './global-id.js';
import { requireWorkspace } from '../auth/viewer.js';
import { DEFAULT_FEED_PAGE, MAX_FEED_PAGE, feedCursor, parseFeedCursor, readChanges } from '../contacts/change-feed.js';
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

builder.queryFields((t) => ({
  contactChanges: t.connection(
    {
      type: ContactChangeRef,
      description: 'Every create, update, delete, restore and merge of the workspace, oldest first. Resume from the last endCursor.',
      args: {},
      resolve: async (_root, args, ctx) => {
        const workspaceId = requireWorkspace(ctx).id;
        if (args.last != null || args.before != null) throw badArgument('contactChanges pages forward only: use first and after.');
        const first = args.first ?? DEFAULT_FEED_PAGE;
        if (first < 0 || first > MAX_FEED_PAGE) throw badArgument(`first must be between 0 and ${MAX_FEED_PAGE}.`);
        const after = args.after == null ? null : parseFeedCursor(args.after);
        if (args.after != null && after === null) throw badArgument('after is not a cursor of contactChanges.');
        const { changes, hasNextPage } = await readChanges(ctx.prisma, workspaceId, after, first);
        const edges = changes.map((node) => ({ node, cursor: feedCursor(node.position) }));
        return {
          edges,
          pageInfo: {
            hasNextPage,
            hasPreviousPage: after !== null,
            startCursor: edges[0]?.cursor ?? null,
            // An empty page keeps the client's place.
            endCursor: edges.at(-1)?.cursor ?? args.after ?? null,
          },
        };
      },
    },
    { name: 'ContactChangeConnection', description: 'A page of the change feed.' },
    { name: 'ContactChangeEdge', description: 'A change and its cursor.' },
  ),
}));
