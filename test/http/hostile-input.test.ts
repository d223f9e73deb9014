// Hostile input a black-box client tries: each gets a 4xx or a userError,
// never an HTTP 500, and writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, startTestGateway, type TestGateway, type TestWorkspace } from '../support/gateway.js';
import { create, update } from '../support/contacts.js';
import { bracketDepth, MAX_NESTING } from '../../src/http/nesting-limit.js';

let t: TestGateway;
let ws: TestWorkspace;
beforeAll(async () => {
  t = await startTestGateway();
  ws = await t.newWorkspace();
});
afterAll(async () => {
  await t.close();
});

const nestedSelection = (levels: number) => `{${'a{'.repeat(levels)}id${'}'.repeat(levels)}}`;
const nestedList = (levels: number) => `{ contacts(filter: { search: ${'['.repeat(levels)}"x"${']'.repeat(levels)} }) { totalCount } }`;

function expectClientError(response: { status: number; body: { errors?: { extensions?: Record<string, unknown> }[] } }) {
  expect(response.status, JSON.stringify(response.body).slice(0, 300)).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  expect(JSON.stringify(response.body)).not.toMatch(/at .*\.(js|ts):\d+|Maximum call stack/);
}

describe('documents nested too deeply for the parser', () => {
  it('counts brackets outside strings, block strings and comments', () => {
    expect(bracketDepth('{ a { b(x: [1, [2]]) } }')).toBe(5);
    expect(bracketDepth('{ a(s: "{{{[[[(((") # {{{{\n }')).toBe(2);
    expect(bracketDepth('{ a(s: "\\"{{") }')).toBe(2);
    expect(bracketDepth('{ a(s: """ {{{ \\""" {{{ """) }')).toBe(2);
  });

  it(`refuse more than ${MAX_NESTING} levels with 400 OPERATION_LIMIT, at 5,000 levels too (was a stack overflow, 500)`, async () => {
    for (const query of [nestedSelection(5000), nestedList(2000), nestedList(MAX_NESTING)]) {
      const response = await ws.gql(query);
      expectClientError(response);
      expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'OPERATION_LIMIT', limit: 'nesting' });
    }
  });

  it(`leave ${MAX_NESTING} levels to the other rules`, async () => {
    const query = nestedList(MAX_NESTING - 3); // three more: the query's braces, the arguments and the filter's object
    expect(bracketDepth(query)).toBe(MAX_NESTING);
    const response = await ws.gql(query);
    expectClientError(response);
    expect(response.body.errors?.[0]?.extensions?.limit).not.toBe('nesting');
  });
});

describe('malformed parameters of a GET or a form POST', () => {
  it('variables that are not JSON get 400 BAD_REQUEST (was a SyntaxError, 500)', async () => {
    const query = encodeURIComponent('query($n: Int) { contacts(first: $n) { totalCount } }');
    const get = await t.gateway.fetch(`http://gateway.test/graphql?query=${query}&variables=%7Bbad`, {
      headers: { accept: 'application/json', authorization: `Bearer ${ws.apiKey}` },
    });
    expect(get.status).toBe(400);
    expect((await get.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
    const form = await t.gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${ws.apiKey}` },
      body: `query=${query}&extensions=%5B`,
    });
    expect(form.status).toBe(400);
  });
});

describe('DateTime outside the years PostgreSQL stores', () => {
  const since = '{ contacts(filter: { updatedSince: $since }) { totalCount } }';
  it('year 0000 gets 400 (was PostgreSQL 22008, 500); year 0001 is answered', async () => {
    expectClientError(await ws.gql(`query($since: DateTime) ${since}`, { since: '0000-01-01T00:00:00Z' }));
    expectClientError(await ws.gql('{ contacts(filter: { updatedSince: "0000-12-31T23:59:59Z" }) { totalCount } }'));
    const ok = await ws.gql(`query($since: DateTime) ${since}`, { since: '0001-01-01T00:00:00Z' });
    expect(dataOf(ok).contacts.totalCount).toBeGreaterThanOrEqual(0);
  });
});

describe('customFields', () => {
  const UPDATE = 'mutation($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { contact { id } userErrors { code field message } } }';
  const nest = (levels: number): unknown => {
    let value: unknown = 1;
    for (let i = 0; i < levels; i++) value = { a: value };
    return value;
  };

  it('nested deeper than 32 levels is INVALID at its path and writes nothing, at 3,000 levels too (was a stack overflow, 500)', async () => {
    const contact = (await create(ws, { firstName: 'Deep' })).contact;
    expect((await update(ws, contact.id, { customFields: nest(32) })).userErrors).toEqual([]);
    for (const levels of [33, 3000, 100_000]) {
      // Written out by hand: JSON.stringify itself overflows at a few thousand levels.
      const customFields = `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
      const response = await t.gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.apiKey}` },
        body: `{"query": ${JSON.stringify(UPDATE)}, "variables": {"id": ${JSON.stringify(contact.id)}, "input": {"firstName": "Changed", "customFields": ${customFields}}}}`,
      });
      expect(response.status).toBe(200);
      const payload = (await response.json()).data.updateContact;
      expect(payload.userErrors).toEqual([expect.objectContaining({ code: 'INVALID', field: ['input', 'customFields'] })]);
      expect(payload.contact).toBeNull();
    }
    const stored = dataOf(await ws.gql('query($id: ID!) { contact(id: $id) { firstName version } }', { id: contact.id })).contact;
    expect(stored).toEqual({ firstName: 'Deep', version: 2 });
  });

  it('sent again with its keys in another order is no change: same version, no change-feed entry', async () => {
    const fields = { zeta: 1, alpha: { y: [1, { b: 2, a: 1 }], x: 'x' }, mid: null };
    const contact = (await create(ws, { firstName: 'Keys', customFields: fields })).contact;
    const reordered = { mid: null, alpha: { x: 'x', y: [1, { a: 1, b: 2 }] }, zeta: 1 };
    for (const customFields of [fields, reordered]) {
      const payload = await update(ws, contact.id, { customFields });
      expect(payload.userErrors).toEqual([]);
      expect(payload.contact.version).toBe(contact.version);
    }
    // A real change still counts.
    expect((await update(ws, contact.id, { customFields: { ...reordered, zeta: 2 } })).contact.version).toBe(contact.version + 1);
    const feed = dataOf(await ws.gql('{ contactChanges(first: 100) { edges { node { contactId kind changedFields } } } }')).contactChanges.edges;
    const mine = feed.map((edge: { node: { contactId: string; kind: string; changedFields: string[] } }) => edge.node).filter((c: { contactId: string }) => c.contactId === contact.id);
    expect(mine.map((c: { kind: string; changedFields: string[] }) => [c.kind, c.changedFields])).toEqual([
      ['CREATED', expect.any(Array)],
      ['UPDATED', ['customFields']],
    ]);
  });
});
