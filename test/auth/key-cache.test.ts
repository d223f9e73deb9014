// The API-key cache (src/auth/key-cache.ts): what it keeps, and for how long.
import { describe, expect, it } from 'vitest';
import { ApiKeyCache } from '../../src/auth/key-cache.js';
import type { Workspace } from '../../src/generated/prisma/client.js';

const workspace = (id: string) => ({ id, name: id, duplicateMatching: ['EMAIL', 'PHONE'], defaultCountry: null, createdAt: new Date(0) }) as Workspace;

function counted(result: Workspace | null) {
  const load = async () => {
    load.calls++;
    return result;
  };
  load.calls = 0;
  return load;
}

describe('the API-key cache', () => {
  it('reuses a live key for ttlMs, then asks again', async () => {
    let now = 1_000;
    const cache = new ApiKeyCache(2_000, 100, () => now);
    const load = counted(workspace('w1'));
    await cache.workspaceFor('h1', load);
    now += 1_999;
    expect((await cache.workspaceFor('h1', load))?.id).toBe('w1');
    expect(load.calls).toBe(1);
    now += 1;
    await cache.workspaceFor('h1', load);
    expect(load.calls).toBe(2);
  });

  it('never keeps an unknown or revoked key', async () => {
    const cache = new ApiKeyCache(2_000);
    const load = counted(null);
    expect(await cache.workspaceFor('h1', load)).toBeNull();
    expect(await cache.workspaceFor('h1', load)).toBeNull();
    expect(load.calls).toBe(2);
  });

  it('forgets a revoked key at once, and a lookup in flight during the revocation is not stored', async () => {
    const cache = new ApiKeyCache(60_000);
    await cache.workspaceFor('h1', counted(workspace('w1')));
    cache.forgetKey('h1');
    const after = counted(null);
    expect(await cache.workspaceFor('h1', after)).toBeNull();

    let release!: () => void;
    const slow = async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return workspace('w2'); // read before the revocation committed
    };
    const inFlight = cache.workspaceFor('h2', slow);
    cache.forgetKey('h2');
    release();
    await inFlight;
    const next = counted(null);
    expect(await cache.workspaceFor('h2', next)).toBeNull();
    expect(next.calls).toBe(1);
  });

  it('forgets every key of a workspace whose settings changed', async () => {
    const cache = new ApiKeyCache(60_000);
    await cache.workspaceFor('a', counted(workspace('w1')));
    await cache.workspaceFor('b', counted(workspace('w1')));
    await cache.workspaceFor('c', counted(workspace('w2')));
    cache.forgetWorkspace('w1');
    const reload = counted(workspace('w1'));
    await cache.workspaceFor('a', reload);
    await cache.workspaceFor('b', reload);
    const kept = counted(workspace('w2'));
    await cache.workspaceFor('c', kept);
    expect([reload.calls, kept.calls]).toEqual([2, 0]);
  });

  it('holds at most maxEntries keys, dropping the oldest', async () => {
    const cache = new ApiKeyCache(60_000, 2);
    for (const hash of ['a', 'b', 'c']) await cache.workspaceFor(hash, counted(workspace(hash)));
    const a = counted(workspace('a'));
    const c = counted(workspace('c'));
    await cache.workspaceFor('a', a);
    await cache.workspaceFor('c', c);
    expect([a.calls, c.calls]).toEqual([1, 0]);
  });

  it('with ttlMs 0 asks every time', async () => {
    const cache = new ApiKeyCache(0);
    const load = counted(workspace('w1'));
    await cache.workspaceFor('h1', load);
    await cache.workspaceFor('h1', load);
    expect(load.calls).toBe(2);
  });
});
