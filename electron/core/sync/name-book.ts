// Names for the ids the app and the CLI show, from stored facts only (no cluster needed): an account's name from
// the account tree the last pull read (routing facts), a carrier's from the pulled carriers (snapshots). One
// book per request: it remembers what it read, so a list of 500 audit entries reads each cluster's tree once.
import type { ScopeId } from '../../shared/contract/sync.ts';
import type { SyncStore } from './store.ts';

export class NameBook {
  private readonly accounts = new Map<string, Map<string, string>>();

  constructor(private readonly store: SyncStore) {}

  /** The account's name as the cluster last listed it, or undefined when never read. */
  accountName(clusterId: string, accountId: string): string | undefined {
    let names = this.accounts.get(clusterId);
    if (!names) {
      names = new Map();
      const row = this.store.routing.list(clusterId).find((r) => r.kind === 'accounts' && r.data_json);
      try {
        const nodes: unknown = row?.data_json ? JSON.parse(row.data_json) : [];
        if (Array.isArray(nodes)) {
          for (const n of nodes as { id?: unknown; name?: unknown }[]) if (typeof n.id === 'string' && typeof n.name === 'string') names.set(n.id, n.name);
        }
      } catch {
        // Stored by this app as JSON; a damaged row only means no names, never a failed request.
      }
      this.accounts.set(clusterId, names);
    }
    return names.get(accountId);
  }

  /** 'global', else the account's name when known (undefined when not). */
  scopeName(clusterId: string, scope: ScopeId): string | undefined {
    return scope === 'global' ? 'global' : this.accountName(clusterId, scope);
  }

  /** Where a carrier lives, in words: "lab-5, global" or "lab-5, account Acme Corp" (the id when the name is unknown). */
  where(clusterName: string, clusterId: string, scope: ScopeId): string {
    return `${clusterName}, ${scope === 'global' ? 'global' : `account ${this.accountName(clusterId, scope) ?? scope}`}`;
  }

  /** The carrier's name from the last pull of that scope, or undefined when it was never pulled. */
  carrierName(clusterId: string, scope: ScopeId, resourceId: string): string | undefined {
    return this.store.snapshots.get(clusterId, scope, resourceId)?.name;
  }
}
