// Pull: list every page of a scope, then read each resource (8 at a time) into the snapshot; a known revision
// makes the read conditional so unchanged resources cost no body. Resources gone from the listing are pruned.
// Scopes pulled together (every account) share one Limiter, so the cluster sees 8 requests in flight in all.
import type { PullScopeResult } from '../../shared/contract/sync.ts';
import type { KazooClient } from '../kazoo/index.ts';
import type { ClusterRow } from '../db/repos/clusters-repo.ts';
import { toErrorValue } from '../errors.ts';
import { fetchResource } from './remote.ts';
import { Limiter, mapLimit } from './pool.ts';
import { toScope, type SyncStore } from './store.ts';

export const PULL_CONCURRENCY = 8;
/** Snapshot rows written per transaction while a scope is read. */
const WRITE_BATCH = 100;

export async function pullScope(store: SyncStore, cluster: ClusterRow, client: KazooClient, scope: string, limiter = new Limiter(PULL_CONCURRENCY)): Promise<PullScopeResult> {
  const result: PullScopeResult = { scope, listed: 0, fetched: 0, unchanged: 0, removed: 0, errors: [] };
  const s = toScope(scope);
  // Stopped with the other scopes when one fails: a failed pull keeps no listing reading (or growing in memory).
  const listing = await limiter.run(() => client.resources.list(s, { signal: limiter.signal }));
  result.listed = listing.length;
  const known = store.snapshots.revisions(cluster.id, scope);
  const ids = new Set(listing.map((i) => i.id).filter((id) => id));
  // Rows are written in batches, each in one transaction (a commit per resource cost more than its request here).
  const pending: (() => void)[] = [];
  const flush = () => store.snapshots.transaction(() => pending.splice(0).forEach((write) => write()));
  await mapLimit([...ids], PULL_CONCURRENCY, async (id) => {
    const f = await limiter.run(() => fetchResource(client, s, id, known.get(id) ?? null));
    const now = store.now();
    if (pending.length >= WRITE_BATCH) flush();
    if (f.state === 'unchanged') {
      pending.push(() => store.snapshots.touch(cluster.id, scope, id, now));
      result.unchanged++;
    } else if (f.state === 'found') {
      const row = {
        cluster_id: cluster.id,
        scope,
        resource_id: id,
        name: typeof f.doc.name === 'string' ? f.doc.name : id,
        enabled: f.doc.enabled === undefined ? null : f.doc.enabled === false || f.doc.enabled === 'false' ? 0 : 1,
        doc_json: store.seal(f.doc),
        revision: f.revision,
        fetched_at: now,
      } as const;
      pending.push(() => store.snapshots.upsert(row));
      result.fetched++;
    } else if (f.state === 'absent') {
      ids.delete(id);
    } else {
      result.errors.push({ resourceId: id, error: f.error });
      if (f.offline) throw Object.assign(new Error(f.error.message), { errorValue: f.error });
    }
  }).catch((e: unknown) => {
    const ev = (e as { errorValue?: ReturnType<typeof toErrorValue> }).errorValue ?? toErrorValue(e);
    if (!result.errors.some((x) => x.error.message === ev.message)) result.errors.push({ error: ev });
  });
  store.snapshots.transaction(() => {
    flush();
    if (result.errors.length === 0) {
      result.removed = store.snapshots.prune(cluster.id, scope, ids);
      store.snapshots.markPulled(cluster.id, scope, store.now());
    }
  });
  return result;
}
