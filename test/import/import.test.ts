// `npm run import` end to end (API.md, Import; docs/import.md): files through
// the CLI's main into a gateway listening on a real socket (--url), on the
// test store; and once without --url, on an embedded store of its own.
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/import/cli.js';
import { upsertInProcess } from '../../src/import/in-process.js';
import type { PendingRow, RowResult } from '../../src/import/send.js';
import { remoteTarget } from '../../src/import/target.js';
import { dataOf, startTestGateway, type TestGateway, type TestWorkspace } from '../support/gateway.js';

let t: TestGateway;
let server: Server;
let url: string;
/** Set by a test: how the socket server treats the next requests. */
let fault: ((n: number) => 'pass' | 'drop-response' | 'refuse') | null = null;
let requests = 0;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-test-'));

beforeAll(async () => {
  t = await startTestGateway();
  server = createServer((request, response) => {
    const n = ++requests;
    const mode = fault?.(n) ?? 'pass';
    if (mode === 'refuse') {
      request.socket.destroy();
      return;
    }
    if (mode === 'drop-response') {
      // The gateway does the work; the client never hears back.
      const end = response.end.bind(response);
      response.end = ((..._args: unknown[]) => {
        request.socket.destroy();
        return response;
      }) as typeof response.end;
      void end;
    }
    void t.gateway(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  out: string[];
  err: string[];
}

async function runImport(args: string[], extra: Partial<CliIo> = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    print: (l) => out.push(l),
    printError: (l) => err.push(l),
    terminal: null,
    send: { attempts: 2, backoffMs: 1, sleep: async () => {} },
    ...extra,
  });
  return { code, out, err };
}

function file(name: string, content: string): string {
  const where = path.join(dir, name);
  fs.writeFileSync(where, content);
  return where;
}

function summaryOf(run: Run) {
  const line = run.out.find((l) => l.startsWith('Summary: '));
  expect(line, run.out.concat(run.err).join('\n')).toBeDefined();
  const [, created, updated, unchanged, failed] = /created (\d+), updated (\d+), unchanged (\d+), failed (\d+)/.exec(line!)!.map(Number);
  return { created, updated, unchanged, failed };
}

async function contactCount(ws: TestWorkspace): Promise<number> {
  return dataOf(await ws.gql('{ contacts { totalCount } }')).contacts.totalCount;
}

const CONTACT_FIELDS = `firstName lastName email phone tags source dateOfBirth customFields
  phones { e164 type } emails { address type } addresses { street1 city state postalCode country type }
  connections { company { name } jobTitle primary } externalRefs { namespace externalId remoteCreatedAt remoteUpdatedAt remoteDeleted }
  gender website timeZone doNotDisturb assignedTo lastActivityAt blocked`;

async function byRef(ws: TestWorkspace, namespace: string, externalId: string) {
  return dataOf(await ws.gql(`query ($n: String!, $e: String!) { contactByExternalRef(namespace: $n, externalId: $e) { ${CONTACT_FIELDS} } }`, { n: namespace, e: externalId }))
    .contactByExternalRef;
}

describe('npm run import: CSV', () => {
  it('creates contacts from matched columns, reports failed rows beside the file, and a rerun updates instead of duplicating', async () => {
    const ws = await t.newWorkspace('import-csv');
    const csv = file(
      'people.csv',
      [
        'First Name,last_name,E-mail Address,Phone,Company Name,Title,Tags,Birthday,Favourite Colour',
        'Ada,Lovelace,ADA@example.com,+44 20 7946 0018,Analytical Engines,Mathematician,"math; history",1815-12-10,green',
        'Bad,Row,not-an-email,,,,,,',
        'Grace,Hopper,grace@example.com,+1 202 555 0143,US Navy,Rear Admiral,navy,1906-12-09,',
        'Alan,Turing,alan@example.com,,,,,1912-13-45,',
      ].join('\n'),
    );
    const first = await runImport([csv, '--url', url, '--key', ws.apiKey]);
    expect(first.code, first.err.join('\n')).toBe(0);
    expect(summaryOf(first)).toEqual({ created: 2, updated: 0, unchanged: 0, failed: 2 });
    expect(first.out).toContain(`Failed rows: ${csv}.errors.csv`);
    expect(fs.readFileSync(`${csv}.errors.csv`, 'utf8').trim().split('\n')).toEqual([
      'row,field,code,message',
      '2,E-mail Address,INVALID_EMAIL,"""not-an-email"" is not a valid email address."',
      '4,Birthday,INVALID_DATE,"""1912-13-45"" is not a date (YYYY-MM-DD)."',
    ]);
    expect(await contactCount(ws)).toBe(2);

    const ada = await byRef(ws, 'csv-import', 'people.csv:1');
    expect(ada).toMatchObject({
      firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', phone: '+442079460018', tags: ['history', 'math'], source: 'IMPORT',
      dateOfBirth: '1815-12-10', customFields: { 'Favourite Colour': 'green' },
      connections: [{ company: { name: 'Analytical Engines' }, jobTitle: 'Mathematician', primary: true }],
    });
    expect((await byRef(ws, 'csv-import', 'people.csv:3')).firstName).toBe('Grace');

    const again = await runImport([csv, '--url', url, '--key', ws.apiKey]);
    expect(summaryOf(again)).toEqual({ created: 0, updated: 0, unchanged: 2, failed: 2 });
    expect(await contactCount(ws)).toBe(2);

    fs.writeFileSync(csv, fs.readFileSync(csv, 'utf8').replace('Rear Admiral', 'Commodore').replace('not-an-email', 'bad@example.com'));
    const edited = await runImport([csv, '--url', url, '--key', ws.apiKey]);
    expect(summaryOf(edited)).toEqual({ created: 1, updated: 1, unchanged: 1, failed: 1 });
    expect((await byRef(ws, 'csv-import', 'people.csv:3')).connections[0].jobTitle).toBe('Commodore');
  });

  it('an id column is the external id; --map fills a field from any column, or keeps it out', async () => {
    const ws = await t.newWorkspace('import-map');
    const csv = file('mapped.csv', 'Record ID,Nom,Courriel,Secret\nr-1,Curie,marie@example.com,xyz\n');
    const run = await runImport([csv, '--url', url, '--key', ws.apiKey, '--map', 'Nom=lastName', '--map', 'courriel=email', '--map', 'Secret=-']);
    expect(summaryOf(run)).toEqual({ created: 1, updated: 0, unchanged: 0, failed: 0 });
    const marie = await byRef(ws, 'csv-import', 'r-1');
    expect(marie).toMatchObject({ lastName: 'Curie', email: 'marie@example.com', customFields: null });
  });

  it('a malformed file stops with one line before anything is written', async () => {
    const ws = await t.newWorkspace('import-malformed');
    const rows = ['First Name,Email', ...Array.from({ length: 250 }, (_, i) => `P${i},p${i}@example.com`), 'Broken,"unclosed@example.com'];
    const csv = file('broken.csv', rows.join('\n'));
    const run = await runImport([csv, '--url', url, '--key', ws.apiKey]);
    expect(run.code).toBe(1);
    expect(run.err).toHaveLength(1);
    expect(run.err[0]).toMatch(/^Import stopped: the file is not valid CSV: .*Nothing was written\.$/);
    expect(await contactCount(ws)).toBe(0);
    expect(fs.existsSync(`${csv}.errors.csv`)).toBe(false);

    const json = file('broken.json', '[{"firstName": "A"}, {"firstName": ');
    const jsonRun = await runImport([json, '--format', 'investor-crm', '--url', url, '--key', ws.apiKey]);
    expect(jsonRun.code).toBe(1);
    expect(jsonRun.err[0]).toMatch(/^Import stopped: the file is not a valid JSON array: .*Nothing was written\.$/);
    const ndjson = file('broken.ndjson', '{"first_name": "A"}\n{"first_name": \n');
    const ndRun = await runImport([ndjson, '--format', 'voip', '--url', url, '--key', ws.apiKey]);
    expect(ndRun.err[0]).toMatch(/^Import stopped: line 2 is not a JSON value/);
    const latin1 = file('latin1.csv', Buffer.concat([Buffer.from('First Name\n'), Buffer.from([0x52, 0xe9, 0x6d, 0x79, 0x0a])]).toString('latin1'));
    fs.writeFileSync(latin1, Buffer.concat([Buffer.from('First Name\n'), Buffer.from([0x52, 0xe9, 0x6d, 0x79, 0x0a])]));
    expect((await runImport([latin1, '--url', url, '--key', ws.apiKey])).err[0]).toMatch(/not UTF-8 text/);
    expect(await contactCount(ws)).toBe(0);
  });

  it('refuses bad options with a usage error (exit 2) and a refused key with exit 1', async () => {
    const csv = file('small.csv', 'Email\na@example.com\n');
    expect((await runImport([])).code).toBe(2);
    expect((await runImport([csv, '--format', 'xml'])).code).toBe(2);
    expect((await runImport([csv, '--url', url])).code).toBe(2);
    expect((await runImport([csv, '--batch-size', '101'])).code).toBe(2);
    const refused = await runImport([csv, '--url', url, '--key', 'cgw_not-a-key']);
    expect(refused.code).toBe(1);
    expect(refused.err[0]).toContain('refused the API key');
  });
});

describe('npm run import: interrupted and resumed', () => {
  it('--resume continues after the last acknowledged batch, and a batch whose answer was lost is written once', async () => {
    const ws = await t.newWorkspace('import-resume');
    const csv = file('resume.csv', ['Email,First Name', ...Array.from({ length: 10 }, (_, i) => `r${i}@example.com,R${i}`), 'bad,Bad', 'r11@example.com,R11'].join('\n'));
    // Batches of 3: the third batch is written but its answer is lost, and
    // nothing gets through after it.
    const base = requests;
    fault = (n) => (n - base === 3 ? 'drop-response' : n - base > 3 ? 'refuse' : 'pass');
    const stopped = await runImport([csv, '--url', url, '--key', ws.apiKey, '--batch-size', '3', '--concurrency', '1']);
    fault = null;
    expect(stopped.code).toBe(1);
    expect(stopped.err[0]).toMatch(/did not take rows 7-9/);
    expect(JSON.parse(fs.readFileSync(`${csv}.import.json`, 'utf8')).rowsDone).toBe(6);
    expect(await contactCount(ws)).toBe(9);

    const resumed = await runImport([csv, '--url', url, '--key', ws.apiKey, '--batch-size', '3', '--resume']);
    expect(resumed.code, resumed.err.join('\n')).toBe(0);
    expect(summaryOf(resumed)).toEqual({ created: 11, updated: 0, unchanged: 0, failed: 1 });
    expect(await contactCount(ws)).toBe(11);
    expect(fs.existsSync(`${csv}.import.json`)).toBe(false);
    expect(fs.readFileSync(`${csv}.errors.csv`, 'utf8').trim().split('\n')).toHaveLength(2);

    const nothing = await runImport([csv, '--url', url, '--key', ws.apiKey, '--resume']);
    expect(nothing.code).toBe(1);
    expect(nothing.err[0]).toMatch(/no interrupted import/);
  });
});

describe('npm run import: batches in flight together', () => {
  it('rows that name one contact are written in file order, the others side by side', async () => {
    const ws = await t.newWorkspace('import-order');
    const rows = ['Id,Email,First Name'];
    for (let i = 0; i < 40; i++) rows.push(`same,same@example.com,V${i}`, `o-${i},other${i}@example.com,O${i}`, `p-${i},p${i}@example.com,P${i}`);
    const csv = file('order.csv', rows.join('\n'));
    const run = await runImport([csv, '--url', url, '--key', ws.apiKey, '--batch-size', '1', '--concurrency', '8']);
    expect(run.code, run.err.join('\n')).toBe(0);
    expect(summaryOf(run)).toEqual({ created: 81, updated: 39, unchanged: 0, failed: 0 });
    expect((await byRef(ws, 'csv-import', 'same')).firstName).toBe('V39');
    expect(await contactCount(ws)).toBe(81);
  });
});

describe('npm run import: presets', () => {
  it('ghl: GoHighLevel upsert bodies, with name, address, dnd, custom fields and company by name', async () => {
    const ws = await t.newWorkspace('import-ghl');
    const json = file('ghl.json', JSON.stringify([
      {
        name: 'Rosan Deo', email: 'rosan@deos.com', locationId: 've9EPM428h8vShlRW1KT', gender: 'male', phone: '+1 888-888-8888',
        address1: '3535 1st St N', city: 'Dolomite', state: 'AL', postalCode: '35061', website: 'https://www.tesla.com', timezone: 'america/chihuahua',
        dnd: false, dndSettings: { Call: { status: 'active', message: 'x', code: 'y' }, SMS: { status: 'inactive' }, FB: { status: 'permanent' } },
        tags: ['nisi sint commodo amet', 'consequat'], customFields: [{ id: '6dvNaf7VhkQ9snc5vnjJ', key: 'my_custom_field', field_value: '9039160788' }],
        source: 'public api', country: 'US', companyName: 'DGS VolMAX', assignedTo: 'y0BeYjuRIlDwsDcOHOJo', dateOfBirth: '1990-09-25',
      },
      { id: 'ghl-2', firstName: 'Second', email: 'second@example.com', dnd: true },
    ]));
    const run = await runImport([json, '--url', url, '--key', ws.apiKey]);
    expect(run.out).toContain(`${json}: 2 rows, read as ghl.`);
    expect(summaryOf(run)).toEqual({ created: 2, updated: 0, unchanged: 0, failed: 0 });
    expect(await byRef(ws, 'ghl', 'ghl.json:1')).toMatchObject({
      firstName: 'Rosan', lastName: 'Deo', email: 'rosan@deos.com', phone: '+18888888888', gender: 'male', website: 'https://www.tesla.com',
      timeZone: 'America/Chihuahua', dateOfBirth: '1990-09-25', doNotDisturb: ['CALL', 'FACEBOOK'], assignedTo: 'y0BeYjuRIlDwsDcOHOJo',
      tags: ['consequat', 'nisi sint commodo amet'], source: 'IMPORT',
      addresses: [{ street1: '3535 1st St N', city: 'Dolomite', state: 'AL', postalCode: '35061', country: 'US' }],
      connections: [{ company: { name: 'DGS VolMAX' }, primary: true }],
      customFields: { my_custom_field: '9039160788', locationId: 've9EPM428h8vShlRW1KT', source: 'public api' },
    });
    expect((await byRef(ws, 'ghl', 'ghl-2')).doNotDisturb).toEqual(['CALL', 'EMAIL', 'FACEBOOK', 'GOOGLE_BUSINESS', 'SMS', 'WHATSAPP']);
  });

  it('unified-crm: contacts with emailAddresses, phoneNumbers, account, owner, remote timestamps and remoteFields (NDJSON)', async () => {
    const ws = await t.newWorkspace('import-unified');
    const record = {
      id: 'c3d3f3a1-0000-4000-8000-000000000001', remoteId: '19202938', firstName: 'Gil', lastName: 'Feig', account: 'Merge Inc', owner: 'user-42',
      addresses: [{ street1: '50 Bowling Green Dr', street2: null, city: 'San Francisco', state: 'CA', postalCode: '94122', country: 'US', addressType: 'SHIPPING' }],
      emailAddresses: [{ emailAddress: 'merge_is_hiring@merge.dev', emailAddressType: 'WORK' }],
      phoneNumbers: [{ phoneNumber: '+3198675309', phoneNumberType: 'MOBILE' }],
      lastActivityAt: '2022-02-10T00:00:00Z', remoteCreatedAt: '2021-09-10T00:00:00Z', remoteUpdatedAt: '2021-10-10T00:00:00Z', remoteWasDeleted: true,
      remoteFields: [{ remoteFieldClass: { name: 'Hobby' }, value: 'Chess' }],
    };
    const ndjson = file('unified.ndjson', `${JSON.stringify(record)}\n`);
    const run = await runImport([ndjson, '--url', url, '--key', ws.apiKey]);
    expect(run.out).toContain(`${ndjson}: 1 rows, read as unified-crm.`);
    expect(summaryOf(run)).toEqual({ created: 1, updated: 0, unchanged: 0, failed: 0 });
    expect(await byRef(ws, 'unified-crm', '19202938')).toMatchObject({
      firstName: 'Gil', lastName: 'Feig', email: 'merge_is_hiring@merge.dev', emails: [{ address: 'merge_is_hiring@merge.dev', type: 'WORK' }],
      phones: [{ e164: '+3198675309', type: 'MOBILE' }], assignedTo: 'user-42', lastActivityAt: '2022-02-10T00:00:00.000Z',
      addresses: [{ street1: '50 Bowling Green Dr', city: 'San Francisco', type: 'SHIPPING' }],
      connections: [{ company: { name: 'Merge Inc' }, primary: true }],
      externalRefs: [{ namespace: 'unified-crm', externalId: '19202938', remoteCreatedAt: '2021-09-10T00:00:00.000Z', remoteUpdatedAt: '2021-10-10T00:00:00.000Z', remoteDeleted: true }],
      customFields: { Hobby: 'Chess', id: 'c3d3f3a1-0000-4000-8000-000000000001' },
    });
  });

  it('voip and investor-crm records', async () => {
    const ws = await t.newWorkspace('import-voip');
    const voip = file('voip.json', JSON.stringify([{
      id: 'v-1', external_id: 'crm-9', first_name: 'Vic', last_name: 'Oip', company: 'Phones Ltd', job_title: 'CTO',
      emails: [{ email: 'vic@phones.example', type: 'work' }], phone_numbers: [{ number: '+1 202 555 0188', label: 'mobile' }],
      tm_created: 1700000000, tm_updated: '2024-01-02T03:04:05Z', tm_last_call: 1700000500,
    }]));
    expect(summaryOf(await runImport([voip, '--url', url, '--key', ws.apiKey]))).toEqual({ created: 1, updated: 0, unchanged: 0, failed: 0 });
    expect(await byRef(ws, 'voip', 'v-1')).toMatchObject({
      firstName: 'Vic', lastName: 'Oip', email: 'vic@phones.example', phones: [{ e164: '+12025550188', type: 'MOBILE' }],
      connections: [{ company: { name: 'Phones Ltd' }, jobTitle: 'CTO', primary: true }],
      externalRefs: [{ namespace: 'voip', externalId: 'v-1', remoteCreatedAt: '2023-11-14T22:13:20.000Z', remoteUpdatedAt: '2024-01-02T03:04:05.000Z' }],
      customFields: { external_id: 'crm-9', tm_last_call: 1700000500 },
    });

    const investor = file('investor.json', JSON.stringify([{
      firstName: 'Ivy', lastName: 'Vest', email: 'ivy@fund.example', emails: [{ address: 'ivy@fund.example', type: 'work' }, { address: 'ivy@home.example', type: 'personal' }],
      phones: [{ number: '+1 202 555 0199', type: 'mobile' }], connections: [{ company: { kind: 'new', name: 'Fund One' }, jobTitle: 'Partner', primary: true }],
      tags: ['lp'], strategy: 'Seed', source: 'sync', blocked: false, linkedInUrl: 'linkedin.com/in/ivy-vest/',
    }]));
    const run = await runImport([investor, '--url', url, '--key', ws.apiKey]);
    expect(run.out).toContain(`${investor}: 1 rows, read as investor-crm.`);
    expect(await byRef(ws, 'investor-crm', 'investor.json:1')).toMatchObject({
      emails: [{ address: 'ivy@fund.example', type: 'WORK' }, { address: 'ivy@home.example', type: 'PERSONAL' }],
      phones: [{ e164: '+12025550199', type: 'MOBILE' }], connections: [{ company: { name: 'Fund One' }, jobTitle: 'Partner', primary: true }],
      source: 'SYNC', tags: ['lp'],
    });
  });
});

describe('npm run import without --url', () => {
  it('runs in-process on the embedded store, names the workspace it used, and the store is locked while it runs', async () => {
    const storeDir = path.join(dir, 'embedded');
    const csv = file('local.csv', 'Email,First Name\nlocal@example.com,Local\n');
    const run = await runImport([csv], { env: { DATABASE_URL: `pglite:${storeDir}` } });
    expect(run.code, run.err.join('\n')).toBe(0);
    expect(run.out.join('\n')).toMatch(/Created workspace "default"\. Its API key \(shown once\): cgw_/);
    expect(run.out.join('\n')).toMatch(/Importing into workspace "default" \(\S+\) in the embedded store/);
    expect(summaryOf(run)).toEqual({ created: 1, updated: 0, unchanged: 0, failed: 0 });
    const again = await runImport([csv], { env: { DATABASE_URL: `pglite:${storeDir}` } });
    expect(summaryOf(again)).toEqual({ created: 0, updated: 0, unchanged: 1, failed: 0 });
    expect(again.out.join('\n')).not.toMatch(/Created workspace/);
  });
});

describe('the in-process write against the gateway over HTTP', () => {
  // The same rows, one workspace each: upsertContacts over HTTP (with
  // Idempotency-Key), and the in-process write the import uses without --url.
  const rows: PendingRow[] = [
    { firstName: 'Ada', email: 'ada@same.test', phone: '+44 20 7946 0018', connections: [{ company: { name: 'Engines' }, primary: true }], externalRef: { namespace: 'csv-import', externalId: 'a-1' } },
    { firstName: 'Bad', email: 'not-an-email', externalRef: { namespace: 'csv-import', externalId: 'a-2' } },
    { firstName: 'Big', profilePictureId: 99_999_999_999, externalRef: { namespace: 'csv-import', externalId: 'a-3' } },
    { firstName: 'Odd', source: 'NOT_A_SOURCE', externalRef: { namespace: 'csv-import', externalId: 'a-4' } },
    { firstName: 'Grace', email: 'grace@same.test', connections: [{ company: { name: ' engines ' }, primary: true }], externalRef: { namespace: 'csv-import', externalId: 'a-5' } },
    { firstName: 'Ada Again', externalRef: { namespace: 'csv-import', externalId: 'a-1' } },
    { firstName: 'Twin', email: 'ADA@same.test', externalRef: { namespace: 'csv-import', externalId: 'a-6' } },
    { firstName: 'Nowhere', connections: [{ company: { id: 'Q29tcGFueTpub3RoaW5n' } }], externalRef: { namespace: 'csv-import', externalId: 'a-7' } },
    { firstName: 'Grace', email: 'grace@same.test', connections: [{ company: { name: 'Engines' }, primary: true }], externalRef: { namespace: 'csv-import', externalId: 'a-5' } },
  ].map((input, index) => ({ row: index + 1, input, origins: { email: 'E-mail', source: 'Source' } }));

  /** The workspace's contacts, by their import ref (contacts created together have one creation time). */
  const contactsOf = async (ws: TestWorkspace) =>
    dataOf(await ws.gql(`{ contacts(first: 50) { edges { node { ${CONTACT_FIELDS} } } } }`))
      .contacts.edges.map((e: { node: { externalRefs: { externalId: string }[] } }) => e.node)
      .sort((a: { externalRefs: { externalId: string }[] }, b: { externalRefs: { externalId: string }[] }) => a.externalRefs[0]!.externalId.localeCompare(b.externalRefs[0]!.externalId));

  it('gives every row the same result and writes the same contacts', async () => {
    const [overHttp, inProcess] = [await t.newWorkspace('import-http'), await t.newWorkspace('import-in-process')];
    const sent = await remoteTarget(url, overHttp.apiKey).upsert(rows, `compare-${Date.now()}`);
    const written = await upsertInProcess(t.store.prisma, inProcess.id, rows);
    expect(written.map((r) => r.kind)).toEqual(['created', 'failed', 'failed', 'failed', 'created', 'updated', 'created', 'failed', 'unchanged']);
    // The coercion messages are worded by each path; the rest is the same.
    const withoutMessage = (results: RowResult[]) => results.map((r) => (r.kind === 'failed' ? { ...r, message: r.code === 'BAD_USER_INPUT' ? '' : r.message } : r));
    expect(withoutMessage(written)).toEqual(withoutMessage(sent));
    expect(written.filter((r) => r.kind === 'failed').map((r) => r.kind === 'failed' && [r.field, r.code])).toEqual([
      ['E-mail', 'INVALID_EMAIL'],
      ['profilePictureId', 'BAD_USER_INPUT'],
      ['Source', 'BAD_USER_INPUT'],
      ['connections.0.company.id', 'NOT_FOUND'],
    ]);
    expect(await contactsOf(inProcess)).toEqual(await contactsOf(overHttp));
    expect(await contactsOf(inProcess)).toHaveLength(3);
  });
});
