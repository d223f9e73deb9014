// One structured line per request (docs/operations.md, Logs).
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, useTestWorkspace } from '../support/gateway.js';
import { startServer } from '../support/process.js';
import type { RequestLogLine } from '../../src/http/request-log.js';

const lines: RequestLogLine[] = [];
const { t, ws } = useTestWorkspace({ requestLog: (line) => lines.push(line) }, 'logged');

async function loggedLine(send: () => Promise<{ headers: Headers }> | { headers: Headers }): Promise<RequestLogLine> {
  lines.length = 0;
  const response = await send();
  expect(lines).toHaveLength(1);
  expect(lines[0]!.requestId).toBe(response.headers.get('x-request-id'));
  return lines[0]!;
}

describe('the request log line', () => {
  it('names the request id, workspace, operation, status, duration and SQL statement count', async () => {
    const line = await loggedLine(() => ws.gql('query ListContacts { contacts(first: 5) { totalCount edges { node { id } } } }'));
    expect(line).toMatchObject({
      method: 'POST',
      path: '/graphql',
      status: 200,
      workspaceId: ws.id,
      admin: false,
      operation: 'ListContacts',
      operationType: 'query',
    });
    expect(line.durationMs).toBeGreaterThan(0);
    expect(line.sqlStatements).toBeGreaterThan(0);
  });

  it('counts the statements of the request itself, the same as the store saw', async () => {
    lines.length = 0;
    const seen = await t.statements(() => ws.gql('mutation Add { createContact(input: { firstName: "Log" }) { contact { id } userErrors { code } } }'));
    expect(lines[0]!.sqlStatements).toBe(seen.length);
    expect(lines[0]!.operationType).toBe('mutation');
  });

  it('logs a refused request with its 401 and no workspace', async () => {
    const line = await loggedLine(() => t.gql('Bearer cgw_unknown', '{ contacts(first: 1) { totalCount } }'));
    expect(line).toMatchObject({ status: 401, workspaceId: null, admin: false });
  });

  it('marks the admin token, which has no workspace', async () => {
    const line = await loggedLine(() => t.gql(`Bearer ${ADMIN_TOKEN}`, 'query Who { __typename }'));
    expect(line).toMatchObject({ status: 200, workspaceId: null, admin: true, operation: 'Who' });
  });

  it('logs probes too', async () => {
    const line = await loggedLine(() => t.gateway.fetch('http://gateway.test/health'));
    expect(line).toMatchObject({ path: '/health', status: 200, operation: null });
  });
});

describe('LOG_FORMAT in the server process', { timeout: 120_000 }, () => {
  it('json: one JSON object per line, a request line per request, the key line still plain on stdout', async () => {
    const server = await startServer({ DATABASE_URL: 'pglite:memory', LOG_FORMAT: 'json' });
    try {
      const key = /API key \(shown once\): (cgw_\S+)/.exec(server.output())![1]!;
      await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'x-request-id': 'req-from-proxy-1' },
        body: JSON.stringify({ query: 'query Ping { __typename }' }),
      });
      await expect.poll(() => server.output()).toContain('req-from-proxy-1');
      const logLines = server.output().trim().split('\n').filter((l) => !l.startsWith('Created workspace'));
      const parsed = logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const request = parsed.find((l) => l['requestId'] === 'req-from-proxy-1')!;
      expect(request).toMatchObject({ msg: 'request', level: 30, operation: 'Ping', status: 200, path: '/graphql' });
      expect(typeof request['workspaceId']).toBe('string');
      expect(typeof request['sqlStatements']).toBe('number');
      expect(server.output().match(/API key \(shown once\)/g)).toHaveLength(1);
    } finally {
      server.child.kill('SIGTERM');
      await server.exit;
    }
  });

  it('off: nothing but the key line', async () => {
    const { runServer } = await import('../support/process.js');
    const run = runServer({ DATABASE_URL: 'pglite:memory', LOG_FORMAT: 'off' });
    await expect.poll(() => run.output(), { timeout: 60_000 }).toMatch(/API key \(shown once\)/);
    await new Promise((r) => setTimeout(r, 500));
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.output().trim().split('\n')).toEqual([expect.stringMatching(/^Created workspace "default"\. Its API key \(shown once\): cgw_/)]);
  });
});
