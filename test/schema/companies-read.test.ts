// companies(first, after, filter: { search }) (API.md, Queries).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, startTestGateway, type TestGateway, type TestWorkspace } from '../support/gateway.js';
import { seedCompany, seedContact } from '../support/seed.js';

let t: TestGateway;
let ws: TestWorkspace;
let other: TestWorkspace;
beforeAll(async () => {
  t = await startTestGateway();
  ws = await t.newWorkspace('companies');
  other = await t.newWorkspace('companies-other');
  const p = t.store.prisma;
  for (const [name, domain] of [['Initech', 'initech.test'], ['Acme', 'acme.test'], ['Globex', 'globex.com'], ['Acme Co', undefined], ['Acme Labs', 'labs.example'], ['Umbrella', 'umbrella_corp.test']] as const) {
    await seedCompany(p, ws.id, { name, ...(domain ? { domain } : {}) });
  }
  await seedCompany(p, other.id, { name: 'Acme', domain: 'acme.test' });
});
afterAll(() => t.close());

const LIST = `query($first: Int, $after: String, $filter: CompanyFilter) {
  companies(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id name domain } }
  }
}`;

async function list(workspace: TestWorkspace, variables: Record<string, unknown>) {
  return dataOf(await workspace.gql(LIST, variables)).companies;
}

describe('companies are listed by name, then id, page by page', () => {
  it('walks every company once with first: 2', async () => {
    const seen: { id: string; name: string }[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page: any = await list(ws, { first: 2, after });
      seen.push(...page.edges.map((e: any) => e.node));
      expect(page.totalCount).toBe(6);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen.map((c) => c.name)).toEqual(['Acme', 'Acme Co', 'Acme Labs', 'Globex', 'Initech', 'Umbrella']);
    expect(new Set(seen.map((c) => c.id)).size).toBe(6);
  });

  it('refuses first above 100, a negative first and a malformed cursor', async () => {
    for (const variables of [{ first: 101 }, { first: -1 }, { first: 1, after: 'nope' }]) {
      const response = await ws.gql(LIST, variables);
      expect(response.status).toBeLessThan(500);
      expect(response.body.errors?.[0]?.message).toMatch(/`(first|after)`/);
    }
  });

  it('refuses a contacts cursor', async () => {
    await seedContact(t.store.prisma, ws.id, { firstName: 'C' });
    const { endCursor } = dataOf(await ws.gql('{ contacts(first: 1) { pageInfo { endCursor } } }')).contacts.pageInfo;
    const response = await ws.gql(LIST, { first: 1, after: endCursor });
    expect(response.body.errors?.[0]?.message).toMatch(/not a cursor of this connection/);
  });
});

describe('companies search is a case-insensitive part of the name or domain', () => {
  const names = async (search: string) => (await list(ws, { first: 100, filter: { search } })).edges.map((e: any) => e.node.name);

  it('matches the name', async () => {
    expect(await names('aCMe')).toEqual(['Acme', 'Acme Co', 'Acme Labs']);
  });

  it('matches the domain', async () => {
    expect(await names('GLOBEX.COM')).toEqual(['Globex']);
    expect(await names('example')).toEqual(['Acme Labs']);
  });

  it('takes "_" literally', async () => {
    expect(await names('m_')).toEqual([]);
    expect(await names('a_c')).toEqual(['Umbrella']);
  });

  it('counts what it matches', async () => {
    expect((await list(ws, { first: 1, filter: { search: 'acme' } })).totalCount).toBe(3);
  });
});

describe("companies of another workspace are never listed (API.md, Transport and auth)", () => {
  it('lists and counts only the viewer workspace', async () => {
    const page = await list(other, { first: 100 });
    expect(page.edges.map((e: any) => e.node.domain)).toEqual(['acme.test']);
    expect(page.totalCount).toBe(1);
  });
});
