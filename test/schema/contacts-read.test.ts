// The read side of contacts (API.md, Queries: contacts): Relay paging, filters,
// search, bad paging input, isolation and the SQL a nested page costs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, startTestGateway, type GraphQLResponse, type TestGateway, type TestWorkspace } from '../support/gateway.js';
import { seedCompany, seedContact } from '../support/seed.js';
import { encodeGlobalId } from '../../src/schema/global-id.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t.close());

type Order = { field: 'CREATED_AT' | 'UPDATED_AT' | 'LAST_NAME'; direction: 'ASC' | 'DESC' };
interface PageResult {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: { cursor: string; node: { id: string } }[];
}

const PAGE = `query($first: Int, $after: String, $last: Int, $before: String, $filter: ContactFilter, $orderBy: ContactOrder) {
  contacts(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id } }
  }
}`;

async function page(ws: TestWorkspace, variables: Record<string, unknown>): Promise<PageResult> {
  return dataOf(await ws.gql(PAGE, variables)).contacts;
}

/** A GraphQL error (not a 500) and no data for the connection. */
function expectClearError(response: GraphQLResponse, message: RegExp) {
  expect(response.status).toBeLessThan(500);
  expect(response.body.errors?.map((e) => e.message).join('\n')).toMatch(message);
  expect(response.body.data?.contacts ?? null).toBeNull();
}

describe('paging walks every contact once, in both directions (API.md, Queries: contacts)', () => {
  let ws: TestWorkspace;
  const rows: { id: string; createdAt: Date; updatedAt: Date; lastName: string | null }[] = [];

  beforeAll(async () => {
    ws = await t.newWorkspace('paging');
    // Equal sort values on every key, and NULL last names among them; last
    // names equal but for case sort as equal (then by id), not upper case first.
    const day = (d: number) => new Date(Date.UTC(2025, 0, d, 12));
    const lastNames = ['adams', 'Adams', 'baker', null, null, 'Baker', 'clark', null, 'ADAMS', 'davis', null, 'Clark', 'Evans', 'baker'];
    for (const [i, lastName] of lastNames.entries()) {
      const contact = await seedContact(t.store.prisma, ws.id, {
        lastName,
        createdAt: day(1 + Math.floor(i / 3)),
        updatedAt: day(10 + (i % 4)),
      });
      rows.push({ id: contact.globalId, createdAt: contact.createdAt, updatedAt: contact.updatedAt, lastName });
      // Deleted contacts sit among them and must never show up.
      if (i % 5 === 0) await seedContact(t.store.prisma, ws.id, { lastName, createdAt: day(1 + Math.floor(i / 3)), deleted: true });
    }
  });

  /** The order the contract promises: the key (NULL after every name), then the id, both in the direction asked. */
  function expected(order: Order): string[] {
    const sign = order.direction === 'ASC' ? 1 : -1;
    const value = (r: (typeof rows)[number]) =>
      order.field === 'CREATED_AT' ? r.createdAt.getTime() : order.field === 'UPDATED_AT' ? r.updatedAt.getTime() : (r.lastName?.toLowerCase() ?? null);
    const compare = (a: string | number | null, b: string | number | null) =>
      a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;
    const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8');
    return [...rows]
      .sort((a, b) => sign * (compare(value(a), value(b)) || compare(rawId(a.id), rawId(b.id))))
      .map((r) => r.id);
  }

  const orders: Order[] = (['CREATED_AT', 'UPDATED_AT', 'LAST_NAME'] as const).flatMap((field) =>
    (['ASC', 'DESC'] as const).map((direction) => ({ field, direction })),
  );

  for (const orderBy of orders) {
    it(`forward with first: 3 by ${orderBy.field} ${orderBy.direction}: no duplicates, no gaps`, async () => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 10; i++) {
        const result = await page(ws, { first: 3, after, orderBy });
        seen.push(...result.edges.map((e) => e.node.id));
        expect(result.pageInfo.hasPreviousPage).toBe(after !== null);
        expect(result.totalCount).toBe(rows.length);
        if (!result.pageInfo.hasNextPage) break;
        after = result.pageInfo.endCursor;
      }
      expect(seen).toEqual(expected(orderBy));
    });

    it(`backward with last: 4 by ${orderBy.field} ${orderBy.direction}: the same sequence`, async () => {
      const seen: string[] = [];
      let before: string | null = null;
      for (let i = 0; i < 10; i++) {
        const result = await page(ws, { last: 4, before, orderBy });
        seen.unshift(...result.edges.map((e) => e.node.id));
        expect(result.pageInfo.hasNextPage).toBe(before !== null);
        if (!result.pageInfo.hasPreviousPage) break;
        before = result.pageInfo.startCursor;
      }
      expect(seen).toEqual(expected(orderBy));
    });
  }

  it('lists by CREATED_AT ascending when no order is given, 20 at most by default', async () => {
    const result = await page(ws, {});
    expect(result.edges.map((e) => e.node.id)).toEqual(expected({ field: 'CREATED_AT', direction: 'ASC' }));
  });

  it('returns the contacts between after and before when both are given', async () => {
    const orderBy: Order = { field: 'LAST_NAME', direction: 'ASC' };
    const all = await page(ws, { first: 100, orderBy });
    const result = await page(ws, { first: 100, after: all.edges[2]!.cursor, before: all.edges[9]!.cursor, orderBy });
    expect(result.edges.map((e) => e.node.id)).toEqual(expected(orderBy).slice(3, 9));
  });

  it('answers an empty page for first: 0, saying whether contacts follow', async () => {
    const result = await page(ws, { first: 0 });
    expect(result.edges).toEqual([]);
    expect(result.pageInfo.hasNextPage).toBe(true);
  });

  it('keeps a cursor usable after its own contact is deleted', async () => {
    const own = await t.newWorkspace('cursor-of-deleted');
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await seedContact(t.store.prisma, own.id, { lastName: 'same' })).id);
    const orderBy: Order = { field: 'LAST_NAME', direction: 'ASC' };
    const first = await page(own, { first: 2, orderBy });
    await t.store.prisma.contact.update({ where: { id: Buffer.from(first.edges[1]!.node.id, 'base64').toString().split(':')[1]! }, data: { deletedAt: new Date() } });
    const next = await page(own, { first: 2, after: first.pageInfo.endCursor, orderBy });
    expect([...first.edges, ...next.edges].map((e) => e.node.id)).toEqual(ids.map((id) => encodeGlobalId('Contact', id)));
  });
});

describe('filters select contacts and combine with AND (API.md, Queries: ContactFilter)', () => {
  let ws: TestWorkspace;
  const label = new Map<string, string>();
  let acme: string;
  let foreignCompany: string;

  beforeAll(async () => {
    ws = await t.newWorkspace('filters');
    await t.store.prisma.workspace.update({ where: { id: ws.id }, data: { defaultCountry: 'US' } });
    const p = t.store.prisma;
    const acmeRow = await seedCompany(p, ws.id, { name: 'Acme', domain: 'acme.test' });
    const globex = await seedCompany(p, ws.id, { name: 'Globex' });
    acme = acmeRow.globalId;
    const other = await t.newWorkspace('filters-other');
    foreignCompany = (await seedCompany(p, other.id, { name: 'Acme' })).globalId;
    await seedContact(p, other.id, { firstName: 'Ann', email: 'ann@acme.test', tags: ['vip'], companyIds: [] });

    const add = async (name: string, data: Parameters<typeof seedContact>[2]) =>
      label.set((await seedContact(p, ws.id, data)).globalId, name);
    const ann = await seedContact(p, ws.id, {
      firstName: 'Ann', lastName: 'Lee', email: 'ann@acme.test', emails: ['ann_private@mail.test'],
      phones: ['+1 415 555 2671'], tags: ['lead', 'vip'], companyIds: [acmeRow.id], ref: { namespace: 'salesforce', externalId: 'A1' },
    });
    label.set(ann.globalId, 'ann');
    await add('bob', {
      firstName: 'Bob', lastName: 'Stone', email: 'bob@globex.test', phones: ['+44 20 7946 0958'], tags: ['lead'],
      companyIds: [globex.id, acmeRow.id], ref: { namespace: 'hubspot', externalId: 'B1' },
    });
    await add('cat', {
      firstName: 'Cat', email: 'cat@example.test', phones: ['+49 30 123456'], tags: ['vip'], companyIds: [globex.id],
      updatedAt: new Date('2020-01-01T00:00:00Z'),
    });
    await add('dee', { lastName: 'Annex' });
    await add('dan (deleted)', {
      firstName: 'Dan', email: 'dan@acme.test', phones: ['+1 415 555 2671'], tags: ['vip'], companyIds: [acmeRow.id],
      ref: { namespace: 'salesforce', externalId: 'D1' }, deleted: true,
    });
    await add('ann (merged)', { firstName: 'Ann', email: 'ann.old@acme.test', tags: ['vip'], mergedIntoId: ann.id });
  });

  async function names(filter: Record<string, unknown>): Promise<string[]> {
    const result = await page(ws, { first: 100, filter });
    return result.edges.map((e) => label.get(e.node.id) ?? `unknown ${e.node.id}`).sort();
  }

  it('lists only live contacts by default', async () => {
    expect(await names({})).toEqual(['ann', 'bob', 'cat', 'dee']);
  });

  it('search finds a case-insensitive part of the first or last name', async () => {
    expect(await names({ search: 'aNN' })).toEqual(['ann', 'dee']);
    expect(await names({ search: 'ston' })).toEqual(['bob']);
  });

  it('search finds a part of any email, not only the primary', async () => {
    expect(await names({ search: 'GLOBEX.T' })).toEqual(['bob']);
    expect(await names({ search: 'private@' })).toEqual(['ann']);
  });

  it('search takes "_" and "%" literally, not as wildcards', async () => {
    expect(await names({ search: 'n_p' })).toEqual(['ann']);
    expect(await names({ search: '%' })).toEqual([]);
  });

  it('search finds a phone typed in any format, numbers without + read in the default country', async () => {
    for (const typed of ['+14155552671', '+1 (415) 555-2671', '415-555-2671', '(415) 555 2671', '415.555.2671']) {
      expect(await names({ search: typed }), typed).toEqual(['ann']);
    }
    expect(await names({ search: '+44 20 7946 0958' })).toEqual(['bob']);
    expect(await names({ search: '+49 (30) 123-456' })).toEqual(['cat']);
  });

  it('a number typed without its country (national, or "00" for +) matches a phone ending in its digits', async () => {
    for (const typed of ['020 7946 0958', '0044 20 7946 0958', '00 44 20 7946 0958']) {
      expect(await names({ search: typed }), typed).toEqual(['bob']);
      expect(await names({ phone: typed }), typed).toEqual(['bob']);
    }
    // Too few digits to tell a number from a fragment of many.
    expect(await names({ phone: '555 2671' })).toEqual([]);
    // In a workspace with no default country, national formats match the same way.
    const bare = await t.newWorkspace('no-country');
    const own = await seedContact(t.store.prisma, bare.id, { firstName: 'Eve', phones: ['+1 415 555 2671'] });
    for (const typed of ['(415) 555-2671', '4155552671', '1 415 555 2671']) {
      for (const filter of [{ search: typed }, { phone: typed }]) {
        expect((await page(bare, { first: 10, filter })).edges.map((e) => e.node.id), typed).toEqual([own.globalId]);
      }
    }
  });

  it('email matches any of the emails, whole and case-insensitive', async () => {
    expect(await names({ email: 'ANN_PRIVATE@mail.test' })).toEqual(['ann']);
    expect(await names({ email: ' bob@globex.test ' })).toEqual(['bob']);
    expect(await names({ email: 'ann@acme' })).toEqual([]);
  });

  it('phone matches on E.164 whatever the format; an unparseable number matches nothing', async () => {
    expect(await names({ phone: '(415) 555-2671' })).toEqual(['ann']);
    expect(await names({ phone: '+44 (0)20 7946 0958' })).toEqual(['bob']);
    expect(await names({ phone: 'not a phone' })).toEqual([]);
  });

  it('tag matches contacts having the tag', async () => {
    expect(await names({ tag: 'vip' })).toEqual(['ann', 'cat']);
    expect(await names({ tag: 'VIP' })).toEqual([]);
  });

  it('companyId matches contacts connected to the company, primary or not', async () => {
    expect(await names({ companyId: acme })).toEqual(['ann', 'bob']);
  });

  it("companyId of another workspace's company or a malformed id matches nothing, without an error", async () => {
    expect(await names({ companyId: foreignCompany })).toEqual([]);
    expect(await names({ companyId: 'not-an-id' })).toEqual([]);
  });

  it('externalNamespace matches a ref in that system, case-insensitive', async () => {
    expect(await names({ externalNamespace: 'SalesForce' })).toEqual(['ann']);
    expect(await names({ externalNamespace: 'pipedrive' })).toEqual([]);
  });

  it('updatedSince keeps contacts changed at or after the time', async () => {
    expect(await names({ updatedSince: '2024-01-01T00:00:00Z' })).toEqual(['ann', 'bob', 'dee']);
    expect(await names({ updatedSince: '2020-01-01T00:00:00Z' })).toEqual(['ann', 'bob', 'cat', 'dee']);
  });

  it('includeDeleted adds deleted and merged-away contacts', async () => {
    expect(await names({ includeDeleted: true })).toEqual(['ann', 'ann (merged)', 'bob', 'cat', 'dan (deleted)', 'dee']);
    expect(await names({ includeDeleted: true, externalNamespace: 'salesforce' })).toEqual(['ann', 'dan (deleted)']);
    expect(await names({ includeDeleted: false, tag: 'vip' })).toEqual(['ann', 'cat']);
  });

  it('combines filters with AND', async () => {
    expect(await names({ tag: 'vip', companyId: acme })).toEqual(['ann']);
    expect(await names({ search: 'ann', tag: 'lead' })).toEqual(['ann']);
    expect(await names({ tag: 'lead', phone: '+44 20 7946 0958', externalNamespace: 'hubspot' })).toEqual(['bob']);
    expect(await names({ tag: 'vip', search: 'globex' })).toEqual([]);
    expect(await names({ includeDeleted: true, phone: '415 555 2671' })).toEqual(['ann', 'dan (deleted)']);
  });

  it('totalCount counts every contact the filter selects, not the page', async () => {
    const result = await page(ws, { first: 1, filter: { tag: 'lead' } });
    expect(result.edges).toHaveLength(1);
    expect(result.totalCount).toBe(2);
    expect((await page(ws, { first: 1 })).totalCount).toBe(4);
  });
});

describe('bad paging input is a clear GraphQL error, never a 500 (API.md, Queries: contacts)', () => {
  let ws: TestWorkspace;
  beforeAll(async () => {
    ws = await t.newWorkspace('bad-input');
    await seedContact(t.store.prisma, ws.id, { firstName: 'Only' });
  });

  it('refuses first or last above 100 instead of truncating', async () => {
    expectClearError(await ws.gql(PAGE, { first: 101 }), /`first` must be at most 100/);
    expectClearError(await ws.gql(PAGE, { last: 1000 }), /`last` must be at most 100/);
  });

  it('refuses a negative first or last', async () => {
    expectClearError(await ws.gql(PAGE, { first: -1 }), /`first` must not be negative/);
    expectClearError(await ws.gql(PAGE, { last: -5 }), /`last` must not be negative/);
  });

  it('refuses first and last together', async () => {
    expectClearError(await ws.gql(PAGE, { first: 2, last: 2 }), /`first` or `last`, not both/);
  });

  it('refuses malformed cursors', async () => {
    const forged = Buffer.from(JSON.stringify(['Company', 'CREATED_AT', null, '0192d4e0-0000-7000-8000-000000000000'])).toString('base64url');
    for (const cursor of ['garbage', '', 'W10', forged, Buffer.from('["Contact","CREATED_AT","yesterday","x"]').toString('base64url')]) {
      expectClearError(await ws.gql(PAGE, { first: 1, after: cursor }), /`after` is not a cursor of this connection/);
    }
    expectClearError(await ws.gql(PAGE, { last: 1, before: 'garbage' }), /`before` is not a cursor of this connection/);
  });

  it('refuses a cursor made for another ordering', async () => {
    const { endCursor } = (await page(ws, { first: 1 })).pageInfo;
    const response = await ws.gql(PAGE, { first: 1, after: endCursor, orderBy: { field: 'LAST_NAME', direction: 'ASC' } });
    expectClearError(response, /cursor of another ordering/);
  });

  it('refuses unknown order fields and directions', async () => {
    for (const orderBy of [{ field: 'EMAIL', direction: 'ASC' }, { field: 'LAST_NAME', direction: 'UP' }]) {
      const response = await ws.gql(PAGE, { first: 1, orderBy });
      expect(response.status).toBeLessThan(500);
      expect(response.body.errors?.length).toBeGreaterThan(0);
    }
  });

  it('accepts first: 100 exactly', async () => {
    expect((await page(ws, { first: 100 })).edges).toHaveLength(1);
  });
});

describe("the list holds only the workspace's own contacts (API.md, Transport and auth)", () => {
  it('lists, counts and filters within the viewer workspace only', async () => {
    const a = await t.newWorkspace('iso-a');
    const b = await t.newWorkspace('iso-b');
    const mine = await seedContact(t.store.prisma, a.id, { firstName: 'Mine', email: 'same@iso.test', tags: ['x'] });
    await seedContact(t.store.prisma, b.id, { firstName: 'Theirs', email: 'same@iso.test', tags: ['x'] });
    for (const filter of [{}, { email: 'same@iso.test' }, { tag: 'x' }, { search: 'e' }, { includeDeleted: true }]) {
      const result = await page(a, { first: 100, filter });
      expect(result.edges.map((e) => e.node.id)).toEqual([mine.globalId]);
      expect(result.totalCount).toBe(1);
    }
  });

  it('needs a workspace key', async () => {
    const response = await t.gql(null, PAGE, { first: 1 });
    expect(response.status).toBe(401);
  });
});

describe('a nested page costs the same few SQL statements at any size (no N+1)', () => {
  const NESTED = `query($first: Int!) {
    contacts(first: $first) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node {
        id displayName email phone tags
        emails { address type primary }
        phones { number e164 type primary country }
        connections { jobTitle primary company { id name domain } }
        externalRefs { namespace externalId }
        addresses { city country }
      } }
    }
  }`;
  let ws: TestWorkspace;

  beforeAll(async () => {
    ws = await t.newWorkspace('n-plus-one');
    const p = t.store.prisma;
    const companies = [await seedCompany(p, ws.id, { name: 'Acme' }), await seedCompany(p, ws.id, { name: 'Globex' })];
    for (let i = 0; i < 105; i++) {
      await seedContact(p, ws.id, {
        firstName: `First${i}`, lastName: `Last${i}`, email: `c${i}@n.test`, emails: [`p${i}@n.test`],
        phones: ['+1 415 555 2671', '+44 20 7946 0958'], tags: ['a', `t${i % 3}`],
        companyIds: i % 2 ? [companies[0]!.id, companies[1]!.id] : [companies[1]!.id],
        ref: { namespace: 'sf', externalId: `N${i}` }, address: { city: 'Lyon', country: 'FR' },
      });
    }
  });

  it('runs as many statements for first: 100 as for first: 5, and at most 3', async () => {
    const counts: number[] = [];
    for (const first of [5, 100]) {
      let data: any;
      const statements = await t.statements(async () => {
        data = dataOf(await ws.gql(NESTED, { first }));
      });
      expect(data.contacts.edges).toHaveLength(first);
      expect(data.contacts.edges[1].node.connections.map((c: any) => c.company.name)).toEqual(['Acme', 'Globex']);
      expect(data.contacts.edges[1].node.phones).toHaveLength(2);
      // The API-key lookup comes and goes with the process' key cache (auth/key-cache.ts): not counted.
      counts.push(statements.filter((sql) => !sql.includes('"ApiKey"')).length);
    }
    // The page with every nested list (LATERAL joins), the count.
    expect(counts[0]).toBe(counts[1]);
    expect(counts[0]).toBeLessThanOrEqual(2);
  });
});
