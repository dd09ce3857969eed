// Clusters whose login was refused, held by the job watcher: nothing more is sent to them (retrying a refused login
// only piles up failed logins on the cluster) until their profile changes, which a fingerprint of the stored profile
// row tells (edited name, login, URL or TLS; the secret is re-sealed with a fresh nonce on every edit). In memory: a new
// process tries once, and holds again at the first refusal.
import type { ClustersRepo } from '../db/repos/clusters-repo.ts';
import type { Logger } from '../platform.ts';
import { connectionKey } from '../services/client-registry.ts';

export class LoginHold {
  private readonly held = new Map<string, string>();

  constructor(
    private readonly clusters: ClustersRepo,
    private readonly logger: Logger,
  ) {}

  /** The same fingerprint the client registry rebuilds a client on (a changed profile means a new client). */
  private stamp(clusterId: string): string {
    const r = this.clusters.find(clusterId);
    return r ? connectionKey(r) : '';
  }

  /** True while the cluster's login stays refused and its profile is unchanged since; a changed profile lifts it. */
  holds(clusterId: string): boolean {
    const stamp = this.held.get(clusterId);
    if (stamp === undefined) return false;
    if (stamp === this.stamp(clusterId)) return true;
    this.held.delete(clusterId);
    this.logger.info('cluster profile changed: sending to it again', { cluster: clusterId });
    return false;
  }

  refuse(clusterId: string): void {
    if (!this.held.has(clusterId)) this.logger.warn('cluster refused the login: holding its jobs until its profile changes', { cluster: clusterId });
    this.held.set(clusterId, this.stamp(clusterId));
  }
}
