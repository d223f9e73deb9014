// contactChanges pages both ways (docs/API.md, Change feed): forward with
// first/after, as a sync client resumes, and backward with last/before, as a
// client reads the latest changes; both give the same entries in the same
// order, and bad arguments are GraphQL errors with BAD_USER_INPUT.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, startTestGateway, type TestGateway, type TestWorkspace } from '../support/gateway.js';
import { create } from '../support/contacts.js';

let t: TestGateway;
let ws: TestWorkspace;
beforeAll(async () => {
  t = await startTestGateway();
  ws = await t.newWorkspace();
  for (let i = 0; i < 7; i++) await create(ws, { firstName: `F${i}` });
});
afterAll(() => t.close());

const PAGE = 'edges { cursor node { contactId kind } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';
async function feed(args: Record<string, unknown>) {
  const response = await ws.gql(`query($first: Int, $after: String, $last: Int, $before: String) { contactChanges(first: $first, after: $after, last: $last, before: $before) { ${PAGE} } }`, args);
  return response;
}
const cursors = (page: { edges: { cursor: string }[] }) => page.edges.map((e) => e.cursor);

describe('contactChanges backward with last/before', () => {
  it('reads the latest changes, then the ones before them, the same entries as forward paging', async () => {
    const all = cursors(dataOf(await feed({ first: 100 })).contactChanges);
    expect(all).toHaveLength(7);
    const latest = dataOf(await feed({ last: 3 })).contactChanges;
    expect(cursors(latest)).toEqual(all.slice(4));
    expect(latest.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false, startCursor: all[4], endCursor: all[6] });
    const before = dataOf(await feed({ last: 3, before: latest.pageInfo.startCursor })).contactChanges;
    expect(cursors(before)).toEqual(all.slice(1, 4));
    expect(before.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    const oldest = dataOf(await feed({ last: 3, before: before.pageInfo.startCursor })).contactChanges;
    expect(cursors(oldest)).toEqual(all.slice(0, 1));
    expect(oldest.pageInfo.hasPreviousPage).toBe(false);
  });

  it('forward and backward meet: after the cursor before which a backward page ends, the next page starts', async () => {
    const all = cursors(dataOf(await feed({ first: 100 })).contactChanges);
    const forward = dataOf(await feed({ first: 2, after: all[2] })).contactChanges;
    expect(cursors(forward)).toEqual(all.slice(3, 5));
    expect(forward.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
  });

  it.each([
    [{ first: 1, last: 1 }, 'not both'],
    [{ after: 'x', before: 'y' }, 'not both'],
    [{ last: 101 }, 'last must be between 0 and 100'],
    [{ last: -1 }, 'last must be between 0 and 100'],
    [{ before: 'bm9wZQ==' }, 'before is not a cursor'],
  ])('%j is a BAD_USER_INPUT error', async (args, message) => {
    const response = await feed(args);
    expect(response.status).toBeLessThan(500);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors?.[0]?.message).toContain(message);
  });
});
