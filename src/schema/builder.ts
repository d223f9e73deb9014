// Configures the schema builder and nothing else.
import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import { JSONResolver } from 'graphql-scalars';
import type PrismaTypes from '../generated/pothos-types.js';
import { getDatamodel } from '../generated/pothos-types.js';
import type { Context } from '../context.js';
import { decodeGlobalId, encodeGlobalId } from './global-id.js';
import { DateTimeScalar } from './date-time.js';
import { DateScalar } from './date.js';
import { bounded, MAX_CURSOR } from './bounds.js';

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    Date: { Input: string; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  defaultFieldNullability: false,
  plugins: [PrismaPlugin, RelayPlugin],
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // node/nodes are defined in schema/node.ts: they scope every lookup to the
    // viewer's workspace, follow merges and answer null for malformed ids.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    // The cursors of t.connection fields (contactChanges) are bounded like every argument (bounds.ts).
    beforeArgOptions: bounded(MAX_CURSOR, 'The cursor of the item before which the page ends.'),
    afterArgOptions: bounded(MAX_CURSOR, 'The cursor of the item after which the page starts.'),
    encodeGlobalID: (typename, id) => encodeGlobalId(typename, String(id)),
    decodeGlobalID: (globalId) => decodeGlobalId(globalId) ?? { typename: '', id: '' },
    idFieldOptions: { description: 'A global id: pass it to node(id) or to the type\'s own lookup.' },
    nodeTypeOptions: { description: 'An object with a global id (Relay global object identification).' },
    pageInfoTypeOptions: { description: 'Where a page stands in its connection.' },
    hasNextPageFieldOptions: { description: 'Whether more items follow this page.' },
    hasPreviousPageFieldOptions: { description: 'Whether items precede this page.' },
    startCursorFieldOptions: { description: 'The cursor of the first item of the page.' },
    endCursorFieldOptions: { description: 'The cursor of the last item of the page.' },
    edgesFieldOptions: { description: 'The items of the page, each with its cursor.' },
    pageInfoFieldOptions: { description: 'Where this page stands.' },
    cursorFieldOptions: { description: 'Pass it as after or before to page from this item.' },
    nodeFieldOptions: { description: 'The item.' },
  },
});

builder.queryType({});
builder.mutationType({});
builder.addScalarType('DateTime', DateTimeScalar);
builder.addScalarType('Date', DateScalar);
builder.addScalarType('JSON', JSONResolver);
