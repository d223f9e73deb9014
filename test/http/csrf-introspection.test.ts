// CSRF prevention, introspection and GraphiQL by environment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway, type TestWorkspace } from '../support/gateway.js';

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

describe('CSRF: a request without a key is refused before parsing, 401 (API.md)', () => {
  it('refuses a form POST (what a cross-site <form> can send) with 401, before parsing or executing it', async () => {
    const response = await dev.gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      // Not even a parseable operation: nothing of the body is looked at.
      body: 'query=mutation%20%7B%20__typename&variables=%7Bbad',
    });
    expect(response.status).toBe(401);
    expect((await response.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a text/plain POST, even with a valid JSON body', async () => {
    const response = await dev.gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(401);
  });

  it('refuses a bare GET (an <img> or a link) with 401 UNAUTHENTICATED, as a missing key', async () => {
    const response = await dev.gateway.fetch(GET('{ __typename }'), { headers: { accept: 'application/json' } });
    expect(response.status).toBe(401);
    const body = await response.json();
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(body.data).toBeUndefined();
  });

  it('accepts a server-to-server JSON POST with Authorization, unchanged', async () => {
    const response = await wsDev.gql('{ __typename }');
    expect(response.status).toBe(200);
  });

  it('accepts a GET with Authorization; an unknown key gets 401 as on POST', async () => {
    const withKey = await dev.gateway.fetch(GET('{ __typename }'), { headers: { accept: 'application/json', authorization: `Bearer ${wsDev.apiKey}` } });
    expect(withKey.status).toBe(200);
    const unknown = await dev.gateway.fetch(GET('{ __typename }'), { headers: { accept: 'application/json', authorization: 'Bearer nope' } });
    expect(unknown.status).toBe(401);
    expect((await unknown.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
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

describe('introspection and GraphiQL by environment', () => {
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
