// The lock keys of src/db/lock-keys.ts and those the SQL functions of the
// migrations build must be the same strings, or a writer in TypeScript and one
// in SQL would not serialize. This reads the functions of the migrated database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { contactLockKey, emailLockKey, feedLockKey, LOCK_PREFIX, phoneLockKey, refLockKey } from '../../src/db/lock-keys.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t.close());

async function source(name: string): Promise<string> {
  const rows = await t.store.prisma.$queryRaw<{ src: string }[]>`SELECT prosrc AS src FROM pg_proc WHERE proname = ${name}`;
  expect(rows, `function ${name} exists`).toHaveLength(1);
  return rows[0]!.src;
}

describe('lock keys: one form in TypeScript and in SQL', () => {
  it('lock_contact and lock_and_match lock a contact as contactLockKey does', async () => {
    for (const fn of ['lock_contact', 'lock_and_match']) {
      expect(await source(fn)).toContain(`hashtext('${LOCK_PREFIX.contact}' || `);
    }
    expect(contactLockKey('c1')).toBe(`${LOCK_PREFIX.contact}c1`);
  });

  it("the feed's position trigger locks the workspace's feed as feedLockKey does", async () => {
    expect(await source('contact_change_position')).toContain(`hashtext('${LOCK_PREFIX.feed}' || NEW."workspaceId")`);
    expect(feedLockKey('w1')).toBe(`${LOCK_PREFIX.feed}w1`);
  });

  it('the key locks of an upsert name the workspace, so two workspaces never wait on each other', () => {
    const keys = [emailLockKey('w1', 'a@x.test'), phoneLockKey('w1', '+12025550100'), refLockKey('w1', { namespace: 'crm', externalId: '7' })];
    expect(keys).toEqual(['email:w1:a@x.test', 'phone:w1:+12025550100', 'ref:w1:crm:7']);
    expect(new Set([emailLockKey('w1', 'a@x.test'), emailLockKey('w2', 'a@x.test')]).size).toBe(2);
  });
});
