// Account trees per cluster, fetched on demand and cached for the session (pickers and the accounts view).
import type { AccountNode } from '../../../../electron/shared/contract/clusters.ts';
import type { ErrorValue } from '../../../../electron/shared/result.ts';
import { untrack } from 'svelte';
import { call } from '../api.ts';

export interface TreeEntry {
  loading: boolean;
  nodes: AccountNode[];
  error: ErrorValue | null;
}

class AccountsState {
  trees = $state.raw<Record<string, TreeEntry>>({});

  entry(cluster: string): TreeEntry {
    return this.trees[cluster] ?? { loading: false, nodes: [], error: null };
  }

  /** Loads the tree once (force reloads); safe to call from an effect: it reads nothing reactively. */
  async load(cluster: string, force = false): Promise<void> {
    const cur = untrack(() => this.trees[cluster]);
    if (cur && (cur.loading || !force)) return;
    untrack(() => (this.trees = { ...this.trees, [cluster]: { loading: true, nodes: cur?.nodes ?? [], error: null } }));
    const r = await call('accounts.tree', { cluster });
    this.trees = { ...untrack(() => this.trees), [cluster]: r.ok ? { loading: false, nodes: r.value, error: null } : { loading: false, nodes: cur?.nodes ?? [], error: r.error } };
  }

  /** The account's name; the cluster's tree is fetched the first time it is asked for (the id meanwhile). */
  accountName(cluster: string, id: string): string {
    const entry = this.trees[cluster];
    // Asked while rendering: the fetch starts after the render (state must not change during one).
    if (!entry && cluster) queueMicrotask(() => void this.load(cluster));
    return entry?.nodes.find((n) => n.id === id)?.name ?? id;
  }
}

export const accounts = new AccountsState();

/** Kept here too: other screens import the tree helpers from this module. */
export { filterTree, treeOrder } from '../../../../electron/shared/account-tree.ts';
