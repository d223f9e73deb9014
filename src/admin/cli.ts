// `npm run admin -- <command>`: workspaces and API keys, on the store that
// DATABASE_URL names, without a running gateway or the admin token
// (docs/operations.md, Keys and the admin CLI). It does what the admin token's
// GraphQL fields do, through the same functions (src/workspaces/provisioning.ts).
import crypto from 'node:crypto';
import { loadConfig, type Config } from '../config.js';
import { openStore, type Store } from '../db/store.js';
import { encodeGlobalId, idOf } from '../schema/global-id.js';
import { explainStartFailure } from '../start-errors.js';
import {
  apiKeyIdOf,
  createWorkspace,
  listApiKeys,
  listWorkspaces,
  mintApiKey,
  revokeApiKeyById,
  type ApiKeySummary,
} from '../workspaces/provisioning.js';

export const USAGE = `Usage: npm run admin -- <command>

  workspaces                    list every workspace: id, name, created, live keys
  create-workspace <name>       create a workspace and print its first API key
  mint-key <workspace id>       create another API key for the workspace and print it
  keys <workspace id>           list the workspace's keys: id, prefix, sha256, created, revoked
  revoke-key <key id | key>     revoke a key, named by its id (from keys) or by the key itself
  rotate-admin-token            print a new admin token and how to roll it out

The store is the one DATABASE_URL names, as for npm start. A key is printed in
clear only by the command that creates it.`;

export class UsageError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A workspace id as GraphQL gives it, or the bare uuid. */
function workspaceIdOf(arg: string | undefined): string {
  if (arg === undefined) throw new UsageError('This command needs a workspace id (see: npm run admin -- workspaces).');
  const id = UUID.test(arg) ? arg : idOf('Workspace', arg);
  if (id === null) throw new UsageError(`"${arg}" is not a workspace id.`);
  return id;
}

function keyLine(key: ApiKeySummary): string {
  return [key.id, key.prefix, key.hash, key.createdAt.toISOString(), key.revokedAt?.toISOString() ?? 'live'].join('\t');
}

type Print = (line: string) => void;

async function withStore<T>(config: Config, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(config.store, { poolSize: 1 });
  try {
    // As at the gateway's start: the commands need the current schema.
    await store.migrate();
    return await work(store);
  } finally {
    await store.close();
  }
}

async function run(command: string, args: string[], config: Config, print: Print): Promise<void> {
  switch (command) {
    case 'workspaces':
      return withStore(config, async ({ prisma }) => {
        print(['id', 'name', 'created', 'live keys'].join('\t'));
        for (const w of await listWorkspaces(prisma)) print([encodeGlobalId('Workspace', w.id), w.name, w.createdAt.toISOString(), w.liveKeys].join('\t'));
      });
    case 'create-workspace':
      return withStore(config, async ({ prisma }) => {
        const outcome = await createWorkspace(prisma, args.join(' '));
        if (!outcome.ok) throw new UsageError(outcome.userErrors.map((e) => e.message).join(' '));
        print(`Created workspace "${outcome.value.workspace.name}" (${encodeGlobalId('Workspace', outcome.value.workspace.id)}).`);
        print(`API key (shown once): ${outcome.value.apiKey}`);
      });
    case 'mint-key': {
      const workspaceId = workspaceIdOf(args[0]);
      return withStore(config, async ({ prisma }) => {
        const key = await mintApiKey(prisma, workspaceId);
        if (key === null) throw new UsageError('No workspace has this id.');
        print(`API key (shown once): ${key}`);
      });
    }
    case 'keys': {
      const workspaceId = workspaceIdOf(args[0]);
      return withStore(config, async ({ prisma }) => {
        const keys = await listApiKeys(prisma, workspaceId);
        if (keys === null) throw new UsageError('No workspace has this id.');
        print(['id', 'prefix', 'sha256', 'created', 'revoked'].join('\t'));
        for (const key of keys) print(keyLine(key));
      });
    }
    case 'revoke-key': {
      const keyOrId = args[0];
      if (keyOrId === undefined) throw new UsageError('revoke-key needs a key id (see: npm run admin -- keys <workspace id>) or the key.');
      return withStore(config, async ({ prisma }) => {
        const id = await apiKeyIdOf(prisma, keyOrId);
        const revoked = id === null ? null : await revokeApiKeyById(prisma, null, id);
        if (revoked === null) throw new UsageError('No live key matches.');
        print(`Revoked key ${revoked.id} (${revoked.prefix}…). Running gateways refuse it within API_KEY_CACHE_MS (2 s by default).`);
      });
    }
    case 'rotate-admin-token': {
      const token = crypto.randomBytes(32).toString('base64url');
      print(`New admin token: ${token}`);
      print('Roll it out: set ADMIN_TOKEN to it and ADMIN_TOKEN_PREVIOUS to the old token on every gateway, restart them,');
      print('move the clients to the new token, then unset ADMIN_TOKEN_PREVIOUS and restart again.');
      return;
    }
    case 'help':
    case '--help':
    case '-h':
      print(USAGE);
      return;
    default:
      throw new UsageError(`Unknown command "${command}".\n\n${USAGE}`);
  }
}

export interface CliIo {
  env?: NodeJS.ProcessEnv;
  print?: Print;
  printError?: Print;
}

/** Runs one command; returns the exit code (2: usage, 1: failure). */
export async function main(argv: string[], io: CliIo = {}): Promise<number> {
  const print = io.print ?? console.log;
  const printError = io.printError ?? console.error;
  const [command, ...args] = argv;
  if (command === undefined) {
    printError(USAGE);
    return 2;
  }
  let config: Config | null = null;
  try {
    config = loadConfig(io.env ?? process.env);
    await run(command, args, config, print);
    return 0;
  } catch (error) {
    printError(error instanceof UsageError ? error.message : explainStartFailure(error, config).replace(/^Start failed/, 'Failed'));
    return error instanceof UsageError ? 2 : 1;
  }
}
