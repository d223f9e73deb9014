// The workspace of each recently seen API key, kept briefly in this process so
// that a request does not spend a SQL statement on it (otherwise the lookup is
// one of W2's two statements).
//
// What it keeps true (API.md, Transport and auth: a revoked key gets 401):
// - In this process a revocation is immediate: revokeApiKey forgets the key,
//   and a lookup that was in flight when it did is not stored.
// - Another process serving the same database keeps answering a revoked key,
//   or using a workspace's previous settings, for at most `ttlMs` (API_KEY_CACHE_MS,
//   2 s by default; 0 turns the cache off).
// - Unknown and revoked keys are never cached: a new key works at once, and a
//   wrong key costs its lookup every time, as it did before.
import type { Workspace } from '../generated/prisma/client.js';

interface Entry {
  workspace: Workspace;
  expiresAt: number;
}

export class ApiKeyCache {
  readonly #entries = new Map<string, Entry>();
  /** Bumped by every forget: a lookup that started before it must not store what it read. */
  #generation = 0;

  constructor(
    readonly ttlMs: number,
    readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The workspace of the key with this hash, from the cache or else from `load`. */
  async workspaceFor(keyHash: string, load: () => Promise<Workspace | null>): Promise<Workspace | null> {
    if (this.ttlMs <= 0) return load();
    const cached = this.#entries.get(keyHash);
    if (cached !== undefined && cached.expiresAt > this.now()) return cached.workspace;
    const generation = this.#generation;
    const workspace = await load();
    if (workspace === null) {
      this.#entries.delete(keyHash);
    } else if (generation === this.#generation) {
      // Oldest first in a Map: drop the oldest entry when full.
      this.#entries.delete(keyHash);
      if (this.#entries.size >= this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
      this.#entries.set(keyHash, { workspace, expiresAt: this.now() + this.ttlMs });
    }
    return workspace;
  }

  /** After a revocation: the key's next request asks the database. */
  forgetKey(keyHash: string): void {
    this.#generation++;
    this.#entries.delete(keyHash);
  }

  /** After a change of the workspace's settings: every key of it is read again. */
  forgetWorkspace(workspaceId: string): void {
    this.#generation++;
    for (const [hash, entry] of this.#entries) if (entry.workspace.id === workspaceId) this.#entries.delete(hash);
  }
}
