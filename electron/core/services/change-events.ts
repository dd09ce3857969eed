// What a change written by another process means here, per area: drop what this process cached about it and emit
// the event a change made here emits, so every open view (and the background tasks) use what is stored now.
import type { ChangeHandlers } from '../change-feed.ts';
import type { CoreContext } from '../context.ts';
import type { Services } from '../services.ts';
import { clusterView } from './clusters-service.ts';
import { jobViewWithCounts } from '../jobs/views.ts';

export function changeHandlers(ctx: CoreContext, services: Services): ChangeHandlers {
  const { events, background } = ctx;
  const store = services.sync.store;
  return {
    clusters: (ids) => {
      for (const id of ids) {
        const row = ctx.clusters.find(id);
        if (row) events.emit('clusters.changed', { cluster: clusterView(row) });
        else {
          void ctx.clients.forget(id);
          events.emit('clusters.removed', { clusterId: id });
        }
      }
    },
    settings: (keys) => {
      events.emit('settings.changed', { keys });
      // The watcher and the outbox read settings on every round: let them run one now.
      background.wake('jobs');
      background.wake('outbox');
    },
    drafts: (ids) => {
      for (const id of ids) store.changed(id);
    },
    outbox: (targetIds) => {
      const drafts = new Set<string>();
      for (const id of targetIds) {
        const t = store.drafts.target(id);
        if (t) drafts.add(t.draft_id);
      }
      for (const id of drafts) store.changed(id);
      store.outboxChanged();
      background.wake('outbox');
    },
    snapshots: (clusterIds) => {
      for (const id of clusterIds) events.emit('snapshots.changed', { clusterId: id });
    },
    jobs: (ids) => {
      const repo = services.jobs.repo;
      for (const id of ids) {
        const row = repo.job(id);
        if (row) events.emit('jobs.changed', { job: jobViewWithCounts(repo, row) });
      }
      background.wake('jobs');
    },
    lists: (ids) => events.emit('numbers.listsChanged', { listIds: ids }),
  };
}
