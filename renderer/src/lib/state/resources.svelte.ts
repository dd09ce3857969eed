// Pulled carriers (the local snapshot) per cluster and scope: listing, pull and filters.
import type { JsonDoc, PullResult, SnapshotItem } from '../../../../electron/shared/contract/sync.ts';
import type { ErrorValue } from '../../../../electron/shared/result.ts';
import { untrack } from 'svelte';
import { call, on } from '../api.ts';
import { coalesce } from '../coalesce.ts';
import { carrierNames } from './carrier-names.svelte.ts';

export type TriFilter = 'any' | 'yes' | 'no';

class ResourcesState {
  cluster = $state('');
  scope = $state('global');
  items = $state.raw<SnapshotItem[]>([]);
  loading = $state(false);
  loadedKey = $state('');
  error = $state<ErrorValue | null>(null);
  pulling = $state(false);
  pullResult = $state.raw<PullResult | null>(null);
  pullError = $state<ErrorValue | null>(null);
  /** Scopes of the running pull done so far (live from 'pull.progress'); null when no pull runs. */
  pullProgress = $state.raw<{ done: number; total: number } | null>(null);
  search = $state('');
  enabled = $state<TriFilter>('any');
  emergency = $state<TriFilter>('any');
  hasDrafts = $state(false);

  constructor() {
    const reload = coalesce(() => (this.loadedKey ? this.load() : undefined));
    on('drafts.changed', reload);
    on('snapshots.changed', ({ clusterId }) => {
      if (clusterId === this.cluster) reload();
    });
    on('pull.progress', (p) => {
      if (this.pulling && p.clusterId === this.cluster) this.pullProgress = { done: p.done, total: p.total };
    });
  }

  get filtered(): SnapshotItem[] {
    const q = this.search.trim().toLowerCase();
    return this.items.filter((i) => {
      if (q && !i.name.toLowerCase().includes(q) && !i.resourceId.toLowerCase().includes(q)) return false;
      if (this.enabled !== 'any' && (i.enabled !== false) !== (this.enabled === 'yes')) return false;
      if (this.hasDrafts && i.draftIds.length === 0) return false;
      if (this.emergency !== 'any' && i.emergency !== (this.emergency === 'yes')) return false;
      return true;
    });
  }

  /** Reloads the listing of the selected cluster and scope (reads them reactively, nothing else). */
  async load(): Promise<void> {
    if (!this.cluster) return;
    const k = `${this.cluster}/${this.scope}`;
    untrack(() => (this.loading = true));
    const r = await call('resources.list', { cluster: this.cluster, scope: this.scope });
    if (`${this.cluster}/${this.scope}` !== k) return;
    this.loading = false;
    this.loadedKey = k;
    if (r.ok) {
      this.items = r.value;
      this.error = null;
    } else {
      this.items = [];
      this.error = r.error;
    }
  }

  /** Pulls the selected scope, or with `every` global (when the login may) and every account the login sees. */
  async pull(every = false): Promise<void> {
    if (!this.cluster || this.pulling) return;
    this.pulling = true;
    this.pullError = null;
    this.pullProgress = null;
    const r = await call('pull.run', every ? { cluster: this.cluster, all: true } : { cluster: this.cluster, scope: this.scope });
    this.pulling = false;
    this.pullProgress = null;
    carrierNames.refresh(this.cluster);
    if (r.ok) this.pullResult = r.value;
    else this.pullError = r.error;
    await this.load();
  }

  async getDoc(i: SnapshotItem): Promise<{ doc: JsonDoc } | { error: ErrorValue }> {
    const r = await call('resources.get', { cluster: i.clusterId, scope: i.scope, id: i.resourceId });
    return r.ok ? { doc: r.value.doc } : { error: r.error };
  }
}

export const resources = new ResourcesState();

/** 'global' or the account's name when the tree is known. */
export function scopeLabel(scope: string, accountName: (id: string) => string): string {
  return scope === 'global' ? 'global (master)' : accountName(scope);
}
