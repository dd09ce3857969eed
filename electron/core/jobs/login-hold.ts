// Clusters whose login was refused, held by the job watcher: nothing more is sent to them (retrying a refused login
// only piles up failed logins on the cluster) until their profile changes. The hold is the stored login fact of the
// profile (clusters.login, migration 0004), not this process's memory, so it outlives the process that met the refusal:
// a new `watch`, or the app after a restart, sends no login to a cluster whose stored login is refused. Every request
// records that fact for the profile it was sent with (client-registry), a save of the profile drops a refusal
// (clusters-repo updateConnection) and a connection check that logs in records "accepted": each lifts the hold, also
// when done by another process, since the fact is read again at every question.
import type { ClustersRepo } from '../db/repos/clusters-repo.ts';
import type { Logger } from '../platform.ts';

export class LoginHold {
  /** Clusters this process has seen held, to log the start and the end of a hold once each. */
  private readonly seen = new Set<string>();

  constructor(
    private readonly clusters: ClustersRepo,
    private readonly logger: Logger,
  ) {}

  /** True while the cluster's stored login is refused (for its current profile). */
  holds(clusterId: string): boolean {
    const held = this.clusters.find(clusterId)?.login === 'refused';
    if (held && !this.seen.has(clusterId)) {
      this.seen.add(clusterId);
      this.logger.warn('cluster refused the login: holding its jobs until its profile changes', { cluster: clusterId });
    } else if (!held && this.seen.delete(clusterId)) {
      this.logger.info('cluster login no longer refused: sending to it again', { cluster: clusterId });
    }
    return held;
  }
}
