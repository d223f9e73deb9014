// Statement names (src/db/store.ts): one name per SQL text, the same name for
// the same text however the string was built, and none past the bound.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { statementNames } from '../../src/db/store.js';

const sha1Name = (sql: string) => `p${crypto.createHash('sha1').update(sql).digest('base64url')}`;

describe('statementNames', () => {
  it('names a text by its hash, and a text built again from pieces by the same name', () => {
    const names = statementNames();
    const sql = 'SELECT "id" FROM "Contact" WHERE "workspaceId" = $1';
    expect(names({ sql })).toBe(sha1Name(sql));
    const rebuilt = ['SELECT "id" ', 'FROM "Contact" ', 'WHERE "workspaceId" = $1'].join('');
    expect(names({ sql: rebuilt })).toBe(sha1Name(sql));
  });

  it('gives two texts of the same length two names', () => {
    const names = statementNames();
    const a = 'SELECT $1 FROM "Email"';
    const b = 'SELECT $1 FROM "Phone"';
    expect(a.length).toBe(b.length);
    expect(names({ sql: a })).toBe(sha1Name(a));
    expect(names({ sql: b })).toBe(sha1Name(b));
    expect(names({ sql: a })).toBe(sha1Name(a));
  });

  it('leaves texts past the bound unnamed and keeps the names it gave', () => {
    const names = statementNames(2);
    expect(names({ sql: 'SELECT 1' })).toBe(sha1Name('SELECT 1'));
    expect(names({ sql: 'SELECT 22' })).toBe(sha1Name('SELECT 22'));
    expect(names({ sql: 'SELECT 3' })).toBe('');
    expect(names({ sql: 'SELECT 1' })).toBe(sha1Name('SELECT 1'));
  });
});
