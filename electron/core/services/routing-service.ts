// Use cases of routing: the routing data kept per cluster (routing-spec §10) and, from it, the simulator's answers.
import type { CoreContext } from '../context.ts';
import type { SyncStore } from '../sync/store.ts';
import type { RoutingDataStatus } from '../../shared/contract/routing.ts';
import { clusterWorld } from '../routing-data/world.ts';

export class RoutingService {
  constructor(
    private readonly ctx: CoreContext,
    private readonly store: SyncStore,
  ) {}

  /** Where each cluster's answers come from (one cluster, or all). */
  status(cluster: string | undefined, withDrafts: boolean): RoutingDataStatus[] {
    const rows = cluster ? [this.store.cluster(cluster)] : this.ctx.clusters.list();
    return rows.map((row) => clusterWorld(this.store, row, { withDrafts }).status);
  }
}
