// Per-request dataloaders: created with the request's context, so nothing is
// shared or cached across requests or workspaces.
import DataLoader from 'dataloader';

export class RequestLoaders {
  private readonly loaders = new Map<string, DataLoader<string, unknown>>();

  /**
   * The loader for `key`, made on first use. Fields that repeat under a list
   * (one per parent) ask for the same key and so share one batch.
   */
  get<V>(key: string, batch: (ids: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
    let loader = this.loaders.get(key);
    if (loader === undefined) {
      loader = new DataLoader<string, unknown>(batch as (ids: readonly string[]) => Promise<unknown[]>);
      this.loaders.set(key, loader);
    }
    return loader as DataLoader<string, V>;
  }
}
