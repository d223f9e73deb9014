// The arrows of docs/architecture.md, checked on every import in src/: a
// module imports from its own floor or the floors below it, never above.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src');

/** Floors from the bottom up; a module belongs to the first entry that names it or its folder. */
const FLOORS: { name: string; paths: string[] }[] = [
  { name: 'store', paths: ['db/', 'generated/'] },
  { name: 'domain', paths: ['contacts/', 'companies/', 'workspaces/', 'auth/'] },
  { name: 'schema', paths: ['schema/', 'context.ts', 'loaders.ts'] },
  { name: 'http', paths: ['http/', 'config.ts'] },
  { name: 'server', paths: ['server.ts', 'shutdown.ts', 'start-errors.ts', 'log.ts', 'tracing.ts'] },
  { name: 'clients', paths: ['import/', 'admin/'] },
];
/** Plain values every floor may use: the userError shape and the text rule. */
const SHARED = ['errors.ts', 'text.ts'];

function floorOf(file: string): number | 'shared' {
  if (SHARED.includes(file)) return 'shared';
  const floor = FLOORS.findIndex((f) => f.paths.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p)));
  if (floor < 0) throw new Error(`src/${file} is on no floor: add it to FLOORS (and to docs/architecture.md)`);
  return floor;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [path.relative(SRC, full).split(path.sep).join('/')] : [];
  });
}

/** The src-relative files a module imports (static imports, re-exports and import()). */
function importsOf(file: string, text: string): string[] {
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.[^'"]+)['"]/gm)].map((m) => m[1]!);
  return specifiers.map((s) => path.posix.normalize(path.posix.join(path.posix.dirname(file), s)).replace(/\.js$/, '.ts'));
}

describe('floors: imports point down only', () => {
  const files = sourceFiles(SRC);

  it('finds the modules and their imports', () => {
    // A parser that found nothing would pass every check below.
    expect(files.length).toBeGreaterThan(100);
    expect(importsOf('schema/contact.ts', fs.readFileSync(path.join(SRC, 'schema/contact.ts'), 'utf8'))).toContain('schema/builder.ts');
    expect(importsOf('a/b.ts', "import x from '../c/d.js';\nexport { y } from './e.js';\nawait import('../f.js');")).toEqual(['c/d.ts', 'a/e.ts', 'f.ts']);
  });

  it('no import goes up a floor', () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = floorOf(file);
      for (const target of importsOf(file, fs.readFileSync(path.join(SRC, file), 'utf8'))) {
        if (!target.startsWith('generated/') && !fs.existsSync(path.join(SRC, target))) throw new Error(`src/${file} imports ${target}, which does not exist`);
        const to = floorOf(target);
        if (to === 'shared') continue;
        if (from === 'shared' || to > from) upward.push(`src/${file} (${from === 'shared' ? 'shared' : FLOORS[from]!.name}) -> src/${target} (${FLOORS[to]!.name})`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('the domain and the store know no GraphQL: no graphql, Pothos or yoga import below the schema floor', () => {
    const below = files.filter((f) => {
      const floor = floorOf(f);
      return floor === 'shared' || floor <= FLOORS.findIndex((x) => x.name === 'domain');
    });
    expect(below.length).toBeGreaterThan(30);
    const graphql = below.filter((f) => /from\s*['"](graphql|graphql-yoga|@pothos\/[^'"]+)['"]/.test(fs.readFileSync(path.join(SRC, f), 'utf8')));
    expect(graphql).toEqual([]);
  });

  it("the domain names no mutation argument: its error paths start at what a rule is given, and the schema places them", () => {
    const domain = files.filter((f) => floorOf(f) === FLOORS.findIndex((x) => x.name === 'domain'));
    expect(domain.length).toBeGreaterThan(20);
    const naming = domain.filter((f) => /\[\s*'inputs?'\s*,/.test(fs.readFileSync(path.join(SRC, f), 'utf8')));
    expect(naming).toEqual([]);
    // The check finds such a path when there is one.
    expect(/\[\s*'inputs?'\s*,/.test("userError('TOO_LONG', ['input', 'name'], '')")).toBe(true);
  });

  it('the check notices an upward import', () => {
    const from = floorOf('db/store.ts');
    const to = floorOf(importsOf('db/store.ts', "import type { Config } from '../config.js';")[0]!);
    expect(typeof from === 'number' && typeof to === 'number' && to > from).toBe(true);
  });
});
