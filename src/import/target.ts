// Where an import's batches go: a running gateway (`--url`, `--key`), through
// its HTTP surface, or the store of DATABASE_URL (the embedded one by default)
// in this process, through the upsertContacts mutation's own code
// (in-process.ts).
import { loadConfig } from '../config.js';
import { openStore, type Store } from '../db/store.js';
import { releaseOrphanedKeys } from '../http/idempotency.js';
import { listWorkspaces } from '../workspaces/provisioning.js';
import { DEFAULT_WORKSPACE_NAME, ensureDevWorkspace, firstKeyLine } from '../workspaces/bootstrap.js';
import { encodeGlobalId, idOf } from '../schema/global-id.js';
import { upsertInProcess } from './in-process.js';
import { sendBatch, type PendingRow, type RowResult, type SendOptions } from './send.js';

export interface Target {
  /** Where the rows go, for the lines the import prints. */
  readonly description: string;
  /** Writes one batch: the results of its rows, in order. `key` is its Idempotency-Key where it is sent over HTTP. */
  upsert(rows: PendingRow[], key: string): Promise<RowResult[]>;
  close(): Promise<void>;
}

/** A problem with the target that stops the import before it starts. */
export class TargetError extends Error {}

/** The gateway at `url` ("http://host:4000" or ".../graphql"), as the key's workspace. */
export function remoteTarget(url: string, key: string, send: SendOptions = {}): Target {
  let endpoint: URL;
  try {
    endpoint = new URL(url);
  } catch {
    throw new TargetError(`--url ${url} is not a URL (e.g. http://localhost:4000).`);
  }
  if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') throw new TargetError(`--url ${url} is not an http(s) URL.`);
  if (!endpoint.pathname.replace(/\/+$/, '').endsWith('/graphql')) endpoint.pathname = `${endpoint.pathname.replace(/\/+$/, '')}/graphql`;
  const post = (body: string, headers: Record<string, string>) =>
    fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}`, ...headers }, body });
  return {
    description: endpoint.toString(),
    upsert: (rows, batchKey) => sendBatch(post, rows, batchKey, send),
    close: async () => {},
  };
}

/**
 * The embedded store (or whatever DATABASE_URL names), in this process. The
 * workspace is the one named or given by id, else the only one, else
 * "default" (created, and its key printed once, when there is none, as a
 * first start of the gateway does).
 */
export async function embeddedTarget(workspaceArg: string | undefined, print: (line: string) => void, env: NodeJS.ProcessEnv = process.env, send: SendOptions = {}): Promise<Target> {
  const config = loadConfig(env, false);
  const store = await openStore(config.store, { poolSize: 4 });
  try {
    await store.migrate();
    if (store.kind === 'pglite') await releaseOrphanedKeys(store.prisma);
    const workspace = await chooseWorkspace(store, workspaceArg, config.production, print);
    const where = config.store.kind === 'pglite' ? `the embedded store ${config.store.dataDir ?? 'in memory'}` : 'the PostgreSQL database of DATABASE_URL';
    return {
      description: `workspace "${workspace.name}" (${encodeGlobalId('Workspace', workspace.id)}) in ${where}`,
      // A batch that met the store's failure (or came after it) fails as that failure, not as the query that met it.
      upsert: (rows) => upsertInProcess(store.prisma, workspace.id, rows, send).catch((error: unknown) => {
        throw store.failure() ?? error;
      }),
      close: () => store.close(),
    };
  } catch (error) {
    await store.close();
    throw store.failure() ?? error;
  }
}

async function chooseWorkspace(store: Store, arg: string | undefined, production: boolean, print: (line: string) => void) {
  const workspaces = await listWorkspaces(store.prisma);
  if (arg !== undefined) {
    const id = idOf('Workspace', arg) ?? arg;
    const found = workspaces.find((w) => w.id === id || w.name === arg) ?? workspaces.find((w) => w.name.toLowerCase() === arg.toLowerCase());
    if (found === undefined) throw new TargetError(`no workspace is named or has the id "${arg}" (list them: npm run admin -- workspaces).`);
    return found;
  }
  if (workspaces.length === 0) {
    if (production) throw new TargetError('the store has no workspace: create one with npm run admin -- create-workspace <name>.');
    const created = await ensureDevWorkspace(store.prisma);
    if (created !== null) print(firstKeyLine(created.apiKey));
    return (await listWorkspaces(store.prisma))[0]!;
  }
  if (workspaces.length === 1) return workspaces[0]!;
  const named = workspaces.find((w) => w.name === DEFAULT_WORKSPACE_NAME);
  if (named !== undefined) return named;
  throw new TargetError(`the store has ${workspaces.length} workspaces: name one with --workspace <name or id> (list them: npm run admin -- workspaces).`);
}
