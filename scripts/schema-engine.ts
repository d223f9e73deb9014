// Prisma's schema engine, compiled to WASM (@prisma/schema-engine-wasm, a dev
// dependency pinned to the engines version of Prisma 7.10), driven over a
// throw-away in-memory PGlite. Prisma's CLI cannot download its native engine
// on this network; this is how migrations are authored and drift is checked.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_EXTENSIONS } from '../src/db/extensions.js';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { MIGRATIONS_DIR, readMigrations } from '../src/db/migrate.js';

export const SCHEMA_PATH = path.resolve(MIGRATIONS_DIR, '../schema.prisma');

type WasmEngineModule = typeof import('@prisma/schema-engine-wasm');

let engineModule: Promise<WasmEngineModule> | undefined;

/** The WASM module is instantiated once per process: its JS glue holds one instance. */
function loadEngineModule(): Promise<WasmEngineModule> {
  engineModule ??= instantiateEngineModule();
  return engineModule;
}

async function instantiateEngineModule(): Promise<WasmEngineModule> {
  // The package imports its .wasm as an ES module, which Node 20 does not do
  // without a flag; instantiate it by hand instead.
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
  const bindings = (await import(path.join(dir, 'schema_engine_bg.js'))) as WasmEngineModule & {
    __wbg_set_wasm(exports: WebAssembly.Exports): void;
  };
  const module = new WebAssembly.Module(fs.readFileSync(path.join(dir, 'schema_engine_bg.wasm')));
  const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': bindings as never });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return bindings;
}

/** A driver adapter whose scripts are awaited: pglite-prisma-adapter's own executeScript does not await its work. */
function pgliteConnector(db: PGlite) {
  return async () => {
    const adapter = await new PrismaPGlite(db).connect();
    return new Proxy(adapter, {
      get(target, key) {
        if (key === 'executeScript') return async (script: string) => void (await db.exec(script));
        const value = Reflect.get(target, key) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
}

function readLockfile(): string | null {
  const file = path.join(MIGRATIONS_DIR, 'migration_lock.toml');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
}

function migrationList() {
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: { path: 'migration_lock.toml', content: readLockfile() },
    shadowDbInitScript: '',
    migrationDirectories: readMigrations().map((m) => ({
      path: m.name,
      migrationFile: { path: 'migration.sql', content: { tag: 'ok' as const, value: m.sql } },
    })),
  };
}

/**
 * The SQL that takes a database with every committed migration applied to the
 * state `prisma/schema.prisma` describes. Empty when they agree.
 */
export async function diffMigrationsToSchema(schema: string = fs.readFileSync(SCHEMA_PATH, 'utf8')): Promise<string> {
  const engineModule = await loadEngineModule();
  const main = new PGlite({ extensions: PGLITE_EXTENSIONS });
  const shadow = new PGlite({ extensions: PGLITE_EXTENSIONS });
  try {
    const factory = bindMigrationAwareSqlAdapterFactory({
      provider: 'postgres',
      adapterName: '@prisma/adapter-pglite',
      connect: pgliteConnector(main),
      connectToShadowDb: pgliteConnector(shadow),
    });
    const engine = await engineModule.SchemaEngine.new({ datamodels: [['schema.prisma', schema]] }, () => {}, factory);
    const migrations = readMigrations();
    const result = await engine.diff({
      from: migrations.length === 0 ? { tag: 'empty' } : { tag: 'migrations', ...migrationList() },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schema }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    engine.free();
    const script = result.stdout ?? '';
    return isEmptyMigration(script) ? '' : script;
  } finally {
    await main.close();
    await shadow.close();
  }
}

function isEmptyMigration(script: string): boolean {
  return script
    .split('\n')
    .map((line) => line.trim())
    .every((line) => line === '' || line.startsWith('--'));
}
