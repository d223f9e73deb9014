import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printedSchema } from '../../src/schema/print.js';
import { diffMigrationsToSchema, SCHEMA_PATH } from '../../scripts/schema-engine.js';

describe('checked-in files agree with the code', () => {
  it('schema.graphql is the printed schema (run `npm run schema:print` when this fails)', () => {
    const checkedIn = fs.readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');
    expect(checkedIn).toBe(printedSchema());
  });

  it('every custom scalar names its specification (specifiedByURL)', () => {
    const scalars = printedSchema().split('\n').filter((line) => line.startsWith('scalar '));
    expect(scalars.length).toBeGreaterThanOrEqual(3);
    expect(scalars.filter((line) => !line.includes('@specifiedBy(url: "https://') && !line.includes('@specifiedBy(url: "http://'))).toEqual([]);
  });

  it('every public type and field has a description', () => {
    const printed = printedSchema();
    // A field or type line not preceded by a description line.
    const lines = printed.split('\n');
    const undocumented: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const isDefinition = /^(type|interface|enum|input|scalar) \w+/.test(line) && !/^type (Query|Mutation)\b/.test(line);
      const isField = /^ {2}\w+(\(.*\))?: /.test(line) || /^ {2}\w+\($/.test(line);
      if ((isDefinition || isField) && !/"""$|"$/.test(lines[i - 1] ?? '')) undocumented.push(line.trim());
    }
    expect(undocumented).toEqual([]);
  });

  it('the migrations produce exactly prisma/schema.prisma (run `npm run migration:new -- <name>` when this fails)', async () => {
    expect(await diffMigrationsToSchema()).toBe('');
  });

  it('the drift check notices a schema change that has no migration', async () => {
    const changed = fs.readFileSync(SCHEMA_PATH, 'utf8').replace('  strategy         String?', '  strategy         String?\n  nickname         String?');
    expect(changed).toContain('nickname');
    expect(await diffMigrationsToSchema(changed)).toMatch(/ALTER TABLE "Contact" ADD COLUMN\s+"nickname" TEXT/);
  });
});
