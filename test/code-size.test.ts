// Sizes that keep the code readable (docs/architecture.md): no function in
// src/ or bench/ longer than 60 lines, no resolver longer than 20. A function
// is counted from its first line to its last, closures it holds included.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAX_FUNCTION_LINES = 60;
const MAX_RESOLVER_LINES = 20;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

interface Measured { where: string; lines: number; resolver: boolean }

function nameOf(node: ts.Node): string {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name) return node.name.getText();
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) return parent.name.getText();
  return 'function';
}

/** Every function of a module with its length in lines. */
function functionsOf(file: string, text: string): Measured[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Measured[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node)) {
      const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const resolver = ts.isPropertyAssignment(node.parent) && node.parent.name.getText() === 'resolve';
      found.push({ where: `${path.relative(ROOT, file)}:${first + 1} ${nameOf(node)}`, lines: last - first + 1, resolver });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('code size', () => {
  const measured = ['src', 'bench'].flatMap((dir) => sourceFiles(path.join(ROOT, dir))).flatMap((file) => functionsOf(file, fs.readFileSync(file, 'utf8')));

  it('measures every function and resolver', () => {
    expect(measured.length).toBeGreaterThan(500);
    expect(measured.filter((m) => m.resolver).length).toBeGreaterThan(50);
    const sample = functionsOf('x.ts', 'function a() {\n  return 1;\n}\nconst f = { resolve: () =>\n  2 };');
    expect(sample.map((m) => [m.where.split(' ')[1], m.lines, m.resolver])).toEqual([['a', 3, false], ['resolve', 2, true]]);
  });

  it(`no function is longer than ${MAX_FUNCTION_LINES} lines`, () => {
    expect(measured.filter((m) => m.lines > MAX_FUNCTION_LINES).map((m) => `${m.where}: ${m.lines} lines`)).toEqual([]);
  });

  it(`no resolver is longer than ${MAX_RESOLVER_LINES} lines`, () => {
    expect(measured.filter((m) => m.resolver && m.lines > MAX_RESOLVER_LINES).map((m) => `${m.where}: ${m.lines} lines`)).toEqual([]);
  });
});
