import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, startTestGateway, type TestGateway, type TestWorkspace } from '../support/gateway.js';
import { create, createCompany, mutateById } from '../support/contacts.js';

let t: TestGateway;
let ws: TestWorkspace;
let company: string;
let ids: string[];
beforeAll(async () => {
  t = await startTestGateway();
  ws = await t.newWorkspace();
  company = await createCompany(ws, 'Acme');
  const other = await createCompany(ws, 'Other');
  ids = [];
  for (let i = 0; i < 5; i++) ids.push((await create(ws, { firstName: `C${i}`, connections: [{ company: { id: company } }] })).contact.id);
  await create(ws, { firstName: 'Elsewhere', connections: [{ company: { id: other } }] });
  await mutateById(ws, 'deleteContact', ids.pop()!);
});
afterAll(() => t.close());

const PAGE = `query($id: ID!, $first: Int, $after: String) { company(id: $id) { contacts(first: $first, after: $after) {
  totalCount edges { node { id firstName } } pageInfo { hasNextPage endCursor } } } }`;

describe('Company.contacts (API.md, Types: Company)', () => {
  it("pages through the company's live contacts, oldest first, with totalCount", async () => {
    const first = dataOf(await ws.gql(PAGE, { id: company, first: 3 })).company.contacts;
    expect(first.totalCount).toBe(4);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = dataOf(await ws.gql(PAGE, { id: company, first: 3, after: first.pageInfo.endCursor })).company.contacts;
    expect([...first.edges, ...rest.edges].map((e: { node: { id: string } }) => e.node.id)).toEqual(ids);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses first over 100, a negative first and a malformed cursor with a clear error', async () => {
    for (const variables of [{ first: 101 }, { first: -1 }, { first: 2, after: 'junk' }]) {
      const response = await ws.gql(PAGE, { id: company, ...variables });
      expect(response.status).toBeLessThan(500);
      expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect(dataOf(await ws.gql(PAGE, { id: company, first: 100 })).company.contacts.edges).toHaveLength(4);
  });
});

describe('Company.contacts takes the arguments of contacts', () => {
  it('pages backward with last/before, filters and sorts like contacts(filter: { companyId })', async () => {
    const q = `query($id: ID!, $last: Int, $before: String, $filter: ContactFilter, $orderBy: ContactOrder) {
      company(id: $id) { contacts(last: $last, before: $before, filter: $filter, orderBy: $orderBy) { totalCount edges { node { id firstName } } pageInfo { hasPreviousPage startCursor } } } }`;
    const latest = dataOf(await ws.gql(q, { id: company, last: 2 })).company.contacts;
    expect(latest.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(ids.slice(2));
    expect(latest.pageInfo.hasPreviousPage).toBe(true);
    const earlier = dataOf(await ws.gql(q, { id: company, last: 2, before: latest.pageInfo.startCursor })).company.contacts;
    expect(earlier.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(ids.slice(0, 2));
    const filtered = dataOf(await ws.gql(q, { id: company, last: 10, filter: { search: 'c1' } })).company.contacts;
    expect(filtered.edges.map((e: { node: { firstName: string } }) => e.node.firstName)).toEqual(['C1']);
    expect(filtered.totalCount).toBe(1);
    const newestFirst = dataOf(await ws.gql(q, { id: company, last: 10, orderBy: { field: 'CREATED_AT', direction: 'DESC' } })).company.contacts;
    expect(newestFirst.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([...ids].reverse());
    const deleted = dataOf(await ws.gql(q, { id: company, last: 10, filter: { includeDeleted: true } })).company.contacts;
    expect(deleted.totalCount).toBe(5);
  });

  it('companies pages backward with last/before', async () => {
    const q = `query($last: Int, $before: String) { companies(last: $last, before: $before) { edges { node { name } } pageInfo { hasPreviousPage startCursor } } }`;
    const last = dataOf(await ws.gql(q, { last: 1 })).companies;
    expect(last.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['Other']);
    const before = dataOf(await ws.gql(q, { last: 1, before: last.pageInfo.startCursor })).companies;
    expect(before.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['Acme']);
  });
});

describe('Company.contacts under a list of companies is batched (no N+1)', () => {
  it('runs the same number of statements for 2 companies as for 12', async () => {
    const own = await t.newWorkspace();
    const QUERY = `{ companies(first: 100) { edges { node { name contacts(first: 2) { totalCount edges { node { id email connections { company { name } } } } } } } } }`;
    const counts: number[] = [];
    for (const n of [2, 12]) {
      while ((await own.gql('{ companies(first: 100) { totalCount } }')).body.data.companies.totalCount < n) {
        const id = await createCompany(own, `Co${Math.random()}`);
        for (let i = 0; i < 3; i++) await create(own, { email: `c${i}-${id.slice(-6)}@x.test`, connections: [{ company: { id } }] });
      }
      const statements = await t.statements(async () => {
        const data = dataOf(await own.gql(QUERY));
        expect(data.companies.edges).toHaveLength(n);
        for (const edge of data.companies.edges) {
          expect(edge.node.contacts.totalCount).toBe(3);
          expect(edge.node.contacts.edges).toHaveLength(2);
        }
      });
      // The API-key lookup comes and goes with the process' key cache (auth/key-cache.ts): not counted.
      counts.push(statements.filter((sql) => !sql.includes('"ApiKey"')).length);
    }
    expect(counts[0]).toBe(counts[1]);
    expect(counts[0]).toBeLessThanOrEqual(5);
  });
});
