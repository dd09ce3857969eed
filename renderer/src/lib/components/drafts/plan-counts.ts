// What an apply of a plan would do, counted per cluster: the numbers the confirmation asks about.
import type { PlanTargetView, PlanView } from '../../../../../electron/shared/contract/sync.ts';

export interface ClusterCounts {
  clusterName: string;
  create: number;
  update: number;
  delete: number;
  /** Blocked targets that will be queued for a cluster that does not answer (sent when it does). */
  queued: number;
  /** Blocked (not queued) and in conflict: nothing is sent for them. */
  blocked: number;
  conflict: number;
}

/** Per cluster, in plan order; clusters where nothing happens (only unchanged targets) are left out. */
export function countsByCluster(plan: PlanView): ClusterCounts[] {
  const rows = new Map<string, ClusterCounts>();
  const row = (t: PlanTargetView) => {
    let r = rows.get(t.clusterId);
    if (!r) rows.set(t.clusterId, (r = { clusterName: t.clusterName, create: 0, update: 0, delete: 0, queued: 0, blocked: 0, conflict: 0 }));
    return r;
  };
  for (const t of plan.targets) {
    if (t.action === 'noop') continue;
    const r = row(t);
    if (t.action === 'blocked') {
      if (t.deferred) r.queued++;
      else r.blocked++;
    } else r[t.action]++;
  }
  return [...rows.values()];
}

/** How many changes an apply sends now or queues (what the Apply button counts). */
export function changesToSend(plan: PlanView): number {
  return plan.summary.create + plan.summary.update + plan.summary.delete + plan.targets.filter((t) => t.deferred).length;
}
