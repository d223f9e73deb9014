// CSRF prevention, introspection and GraphiQL by environment (issue 5).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway, type TestWorkspace } from './support/gateway.js';
import { CSRF_HEADER } from '../src/http/csrf.js';

let dev: TestGateway;
let prod: TestGateway;
let prodOpen: TestGateway;
let wsDev: TestWorkspace;
let wsProd: TestWorkspace;
let wsProdOpen: TestWorkspace;
beforeAll(async () => {
  [dev, prod, prodOpen] = await Promise.all([
    startTestGateway(),
    startTestGateway({ production: true }),
    startTestGateway({ production: true, introspection: true, graphiql: true }),
  ]);
  [wsDev, wsProd, wsProdOpen] = await Promise.all([dev.newWorkspace(), prod.newWorkspace(), prodOpen.newWorkspace()]);
});
afterAll(async () => {
  await Promise.all([dev.close(), prod.close(), prodOpen.close()]);
});

const GET = (query: string) => `http://gateway.test/graphql?query=${encodeURIComponent(query)}`;

describe('CSRF: simple browser requests are refused, other clients pass (issue 5)', () => {
  it('refuses a form POST (what a cross-site <form> can send) with 403, before authenticating', async () => {
    const response = await dev.gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=mutation%20%7B%20__typename%20%7D',
    });
    expect(response.status).toBe(403);
    expect((await response.json()).errors[0].message).toMatch(/CSRF/);
  });

  it('refuses a text/plain POST, even with a valid JSON body', async () => {
    const response = await dev.gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(403);
  });

  it('refuses a bare GET (an <img> or a link)', async () => {
    const response = await dev.gateway.fetch(GET('{ __typename }'), { headers: { accept: 'application/json' } });
    expect(response.status).toBe(403);
  });

  it('accepts a server-to-server JSON POST with Authorization, unchanged', async () => {
    const response = await wsDev.gql('{ __typename }');
    expect(response.status).toBe(200);
  });

  it('accepts a GET with Authorization, or with the CSRF header', async () => {
    const withKey = await dev.gateway.fetch(GET('{ __typename }'), { headers: { accept: 'application/json', authorization: `Bearer ${wsDev.apiKey}` } });
    expect(withKey.status).toBe(200);
    // The CSRF header lets the request through to authentication, which then asks for the key.
    const withHeader = await dev.gateway.fetch(GET('{ __typename }'), { headers: { accept: 'application/json', [CSRF_HEADER]: '1' } });
    expect(withHeader.status).toBe(401);
  });

  it('serves GraphiQL (GET text/html) and GraphiQL\'s own requests (JSON POST) work', async () => {
    const page = await dev.gateway.fetch('http://gateway.test/graphql', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const query = await dev.gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, multipart/mixed', authorization: `Bearer ${wsDev.apiKey}` },
      body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
    });
    expect(query.status).toBe(200);
  });
});

describe('introspection and GraphiQL by environment (issue 5)', () => {
  const INTROSPECT = '{ __schema { types { name } } }';

  it('outside production: introspection and GraphiQL on', async () => {
    const response = await wsDev.gql(INTROSPECT);
    expect(response.status).toBe(200);
    expect(response.body.data.__schema.types.length).toBeGreaterThan(10);
  });

  it('in production by default: introspection refused, no field suggestions, GraphiQL off', async () => {
    const response = await wsProd.gql(INTROSPECT);
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.message).toMatch(/introspection/i);
    const typed = await wsProd.gql('{ __type(name: "Contact") { name } }');
    expect(typed.status).toBe(400);
    const typo = await wsProd.gql('{ contac(id: "x") { id } }');
    expect(JSON.stringify(typo.body)).not.toMatch(/Did you mean/);
    const page = await prod.gateway.fetch('http://gateway.test/graphql', { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('<html');
    // __typename is not introspection of the schema: clients rely on it.
    expect((await wsProd.gql('{ __typename }')).status).toBe(200);
  });

  it('in production with GRAPHQL_INTROSPECTION=true and GRAPHIQL=true: both on', async () => {
    expect((await wsProdOpen.gql(INTROSPECT)).status).toBe(200);
    const page = await prodOpen.gateway.fetch('http://gateway.test/graphql', { headers: { accept: 'text/html' } });
    expect(await page.text()).toContain('<html');
  });
});
