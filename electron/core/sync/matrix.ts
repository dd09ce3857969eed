// The carriers × clusters Overview from stored facts: a row per draft (each target's state from sync/target-state.ts,
// a drifted cell with what changed on the cluster since the last sync) and a row per carrier of the pulled clusters
// that no draft is bound to. Refresh reads every pulled scope again the way pull does (pull.ts: the listing, then
// conditional GETs on the stored revisions), so a change made on the cluster shows without a separate pull.
import type { FieldChangeView, MatrixCellView, MatrixColumn, MatrixRefresh, MatrixRow, MatrixView } from '../../shared/contract/sync.ts';
import type { ErrorValue } from '../../shared/result.ts';
import type { ClusterRow } from '../db/repos/clusters-repo.ts';
import type { TargetRow } from '../db/repos/drafts-repo.ts';
import { clusterStatus } from '../../shared/cluster-status.ts';
import { publicFields } from '../drafts/canonical.ts';
import { diffDocs } from '../drafts/diff.ts';
import { toErrorValue } from '../errors.ts';
import { maskChanges } from './executor.ts';
import { pullScope } from './pull.ts';
import { isOffline } from './remote.ts';
import type { DraftFacts, SyncStore } from './store.ts';

/** Reads every scope of every cluster that was pulled or is targeted again; says which clusters could not be read. */
export async function refreshScopes(store: SyncStore): Promise<MatrixRefresh> {
  const at = store.now();
  const targets = store.drafts.targets();
  const read = await Promise.all(
    store.ctx.clusters.list().map(async (c) => {
      const scopes = new Set([...store.snapshots.pulledScopes(c.id).map((s) => s.scope), ...targets.filter((t) => t.cluster_id === c.id).map((t) => t.scope)]);
      if (scopes.size === 0) return null;
      let error: ErrorValue | undefined;
      try {
        await store.ctx.clients.use(c.id, async (client) => {
          for (const scope of scopes) {
            try {
              const r = await pullScope(store, c, client, scope);
              error ??= r.errors[0]?.error;
            } catch (e) {
              // A scope this login may not read (global without super-duper) does not stop the others.
              if (isOffline(e)) throw e;
              error ??= toErrorValue(e);
            }
          }
        });
      } catch (e) {
        error ??= toErrorValue(e);
      }
      store.ctx.events.emit('snapshots.changed', { clusterId: c.id });
      return { clusterId: c.id, clusterName: c.name, ok: !error, scopes: scopes.size, ...(error ? { error } : {}) };
    }),
  );
  return { at, clusters: read.filter((r) => r !== null) };
}

export function buildMatrix(store: SyncStore): MatrixView {
  const clusters = new Map(store.ctx.clusters.list().map((c) => [c.id, c]));
  const readAt = new Map<string, number>();
  const held = new Map<string, ReturnType<SyncStore['snapshots']['summaries']>>();
  for (const c of clusters.values()) {
    for (const s of store.snapshots.pulledScopes(c.id)) readAt.set(`${c.id}/${s.scope}`, s.pulled_at);
    for (const r of store.snapshots.summaries(c.id)) {
      const k = `${c.id}/${r.scope}`;
      const list = held.get(k);
      if (list) list.push(r);
      else held.set(k, [r]);
    }
  }
  const columns = new Map<string, MatrixColumn>();
  const column = (c: ClusterRow, scope: string): MatrixColumn => {
    const key = `${c.id}/${scope}`;
    let col = columns.get(key);
    if (!col) {
      const status = clusterStatus(c.reachability, c.login);
      const at = readAt.get(key);
      col = { key, clusterId: c.id, clusterName: c.name, scope, ...(at ? { readAt: at } : {}), ...(status.usable ? {} : { unreadable: status.kind === 'unreachable' ? 'unreachable' : 'login refused' }) };
      columns.set(key, col);
    }
    return col;
  };
  // Carriers a draft's target stands for (bound, or met by id or name), with the draft's name: not listed again as
  // "no draft".
  const claimed = new Map<string, string>();
  const rows: MatrixRow[] = [];
  for (const d of store.drafts.list()) {
    const cells: Record<string, MatrixCellView> = {};
    const facts = store.draftFacts(d);
    for (const t of store.drafts.targets(d.id)) {
      const c = clusters.get(t.cluster_id);
      if (!c) continue;
      const col = column(c, t.scope);
      cells[col.key] = stale(col, targetCell(store, t, c, facts, readAt.has(col.key), (id) => claimed.set(`${col.key}/${id}`, d.name)));
    }
    rows.push({ key: `draft:${d.id}`, draftId: d.id, name: d.name, markedForDelete: d.deleted_mark === 1, cells });
  }
  // Every other carrier of the pulled clusters, one row per resource id (the same carrier copied with its id to
  // several clusters shares a row).
  const free = new Map<string, MatrixRow>();
  for (const [key, list] of held) {
    for (const r of list) {
      if (claimed.has(`${key}/${r.resource_id}`)) continue;
      const col = column(clusters.get(r.cluster_id)!, r.scope);
      let row = free.get(r.resource_id);
      if (!row) free.set(r.resource_id, (row = { key: `resource:${r.resource_id}`, draftId: null, name: r.name, markedForDelete: false, cells: {} }));
      row.cells[col.key] = stale(col, { state: 'no-draft', label: 'no draft', resourceId: r.resource_id, asOf: r.fetched_at, detail: 'On the cluster; no draft is bound to it. Make a draft to edit or copy it.' });
    }
  }
  rows.push(...[...free.values()].sort((a, b) => a.name.localeCompare(b.name) || a.key.localeCompare(b.key)));
  const cols = [...columns.values()].sort((a, b) => a.clusterName.localeCompare(b.clusterName) || (a.scope === 'global' ? -1 : b.scope === 'global' ? 1 : a.scope.localeCompare(b.scope)));
  for (const row of rows) {
    for (const col of cols) {
      if (row.cells[col.key]) continue;
      const owner = row.draftId ? undefined : claimed.get(`${col.key}/${row.key.slice('resource:'.length)}`);
      row.cells[col.key] = row.draftId
        ? { state: 'untargeted', label: 'not targeted' }
        : owner !== undefined
          ? { state: 'in-draft', label: "in a draft's row", detail: `On this cluster the carrier is the target of the draft ${owner}: its cell is in that draft's row.` }
          : { state: 'absent', label: col.readAt ? 'not there' : 'not read', ...(col.readAt ? { asOf: col.readAt } : {}) };
    }
  }
  return { columns: cols, rows };
}

/** The cell of one target: its state, with 'missing' for one not applied yet whose scope was read without it. */
function targetCell(store: SyncStore, t: TargetRow, c: ClusterRow, facts: DraftFacts, scopeRead: boolean, claim: (resourceId: string) => void): MatrixCellView {
  const st = store.targetState(t, facts, c);
  const resourceId = t.remote_id ?? (st.kind === 'exists-unbound' ? store.existingFor(t, facts)?.resourceId : undefined);
  if (resourceId) claim(resourceId);
  const cell: MatrixCellView = {
    state: st.kind,
    label: st.label,
    targetId: t.id,
    ...(st.detail ? { detail: st.detail } : {}),
    ...(st.asOf ? { asOf: st.asOf } : {}),
    ...(resourceId ? { resourceId } : {}),
  };
  if (st.kind === 'not-applied' && !t.remote_id && !facts.deleting) {
    return scopeRead
      ? { ...cell, state: 'missing', label: 'missing', detail: `Not on ${c.name} as last read: applying creates it.` }
      : { ...cell, detail: `${c.name} was never read for this scope: Refresh reads it.` };
  }
  if ((st.kind === 'drifted' || st.kind === 'diverged') && t.remote_id && t.base_doc_json) {
    const changes = driftOf(store, t);
    if (changes) cell.changes = changes;
  }
  return cell;
}

/** What changed on the cluster since the last sync: the last applied document against the cluster's as last read. */
function driftOf(store: SyncStore, t: TargetRow): FieldChangeView[] | null {
  const snap = store.snapshots.get(t.cluster_id, t.scope, t.remote_id!);
  if (!snap || !t.base_doc_json) return null;
  return maskChanges(diffDocs(publicFields(store.open(t.base_doc_json)), publicFields(store.open(snap.doc_json))));
}

/** A cell of a cluster that cannot be read now shows its stored state, marked with when that was read. */
function stale(col: MatrixColumn, cell: MatrixCellView): MatrixCellView {
  if (!col.unreadable) return cell;
  const asOf = cell.asOf ?? col.readAt;
  return { ...cell, stale: true, ...(asOf ? { asOf } : {}) };
}
