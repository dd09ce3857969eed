// The plan's routing impact: for each draft target, the numbers of a sample that Kazoo would route differently once
// apply has run — a different carrier (or carrier order, or none, or a failing call), else a different gateway, else a
// different dial string — with a few examples. World before = the pulled snapshots; after = the same with only this
// target's document as apply would send it (routing-spec Appendix A). Each target is routed in its own scope: a global
// carrier through offnet calls, an account carrier through that account's use_local_resources calls (§2.1).
import { compileWorld, type CompiledWorld, type RouteRequest, type RouteResult } from '../routing/index.ts';
import type { ClusterRow } from '../db/repos/clusters-repo.ts';
import type { SyncStore } from '../sync/store.ts';
import type { RouteBrief, TargetRouteImpact } from '../../shared/contract/routing.ts';
import { clusterBase, draftChanges, worldOf, withChanges, type ClusterBase, type DraftChange } from './world.ts';

/** Numbers are routed in slices; the caller yields to the event loop between them (a host stays responsive). */
export type NumberSource = (each: (n: string) => void) => Promise<number>;

export interface ImpactOptions {
  callerId: string | null;
  flags: string[];
  examples: number;
}

/** What distinguishes two answers: carriers in order, gateways in order, dial strings in order (or the failure). */
interface Signature {
  carriers: string;
  gateways: string;
  routes: string;
}

function signature(r: RouteResult): Signature {
  if (r.error) return { carriers: `error:${r.error.code}`, gateways: '', routes: '' };
  if (r.onNet) return { carriers: 'on-net', gateways: '', routes: '' };
  let gateways = '';
  let routes = '';
  for (const e of r.endpoints) {
    gateways += `${e.resourceId}#${e.gatewayIndex};`;
    routes += `${e.route};`;
  }
  return { carriers: r.candidates.map((c) => c.resourceId).join(';'), gateways, routes };
}

export function brief(r: RouteResult): RouteBrief {
  if (r.error) return { carriers: [], error: r.error.message };
  return { carriers: r.candidates.map((c) => c.name), ...(r.endpoints[0] ? { route: r.endpoints[0].route } : {}) };
}

function requestFor(scope: string, o: ImpactOptions): RouteRequest {
  const req: RouteRequest = { number: '', flags: o.flags };
  if (scope !== 'global') {
    req.accountId = scope;
    req.huntAccountId = scope;
  }
  return req;
}

/** The impact of each change of one cluster on the numbers `source` yields. */
export async function clusterImpact(
  store: SyncStore,
  cluster: ClusterRow,
  changes: DraftChange[],
  source: NumberSource,
  o: ImpactOptions,
): Promise<TargetRouteImpact[]> {
  const base = clusterBase(store, cluster);
  const before = worldOf(base, base.docs);
  const out: TargetRouteImpact[] = [];
  let compiledBefore: CompiledWorld | null = null;
  for (const c of changes) {
    const t: TargetRouteImpact = {
      targetId: c.targetId, draftName: c.draftName, clusterId: cluster.id, clusterName: cluster.name, scope: c.scope, action: c.action,
      applied: c.applied, ...(c.why ? { why: c.why } : {}), routed: 0, changed: 0, carrier: 0, gateway: 0, dialString: 0, examples: [], notes: [],
    };
    out.push(t);
    if (!c.applied) continue;
    if (!before) {
      t.notes.push(`The Kazoo version of ${cluster.name} is unknown: check the cluster, then plan again.`);
      continue;
    }
    const after = worldOf(base, withChanges(base.docs, [c]))!;
    compiledBefore ??= compileWorld(before);
    await compareOn(compiledBefore, compileWorld(after), requestFor(c.scope, o), source, o, t);
    notesFor(base, c, t);
  }
  return out;
}

async function compareOn(a: CompiledWorld, b: CompiledWorld, req: RouteRequest, source: NumberSource, o: ImpactOptions, t: TargetRouteImpact): Promise<void> {
  t.routed = await source((n) => {
    req.number = n;
    // §9: without a caller id Kazoo 5.x fails every matched call, so a caller id is always given (the number itself
    // unless the person chose one).
    req.callerIdNumber = o.callerId ?? n;
    const x = a.route(req, { explain: false });
    const y = b.route(req, { explain: false });
    const sx = signature(x);
    const sy = signature(y);
    if (sx.carriers !== sy.carriers) t.carrier++;
    else if (sx.gateways !== sy.gateways) t.gateway++;
    else if (sx.routes !== sy.routes) t.dialString++;
    else return;
    t.changed++;
    if (t.examples.length < o.examples) t.examples.push({ number: n, before: brief(x), after: brief(y) });
  });
}

function notesFor(base: ClusterBase, c: DraftChange, t: TargetRouteImpact): void {
  if (!base.status.scopes.some((s) => s.scope === c.scope)) {
    t.notes.push(`${c.scope === 'global' ? 'The global carriers' : `The carriers of account ${c.scope}`} of ${t.clusterName} were never pulled: "before" knows none of them.`);
  }
  if (c.idChosenAtApply) t.notes.push('A new carrier: its id is chosen at apply, so its place among carriers of equal weight may differ (routing-spec §6.1).');
}

/** The changes the plan makes on a cluster, limited to one draft when asked. */
export function changesFor(store: SyncStore, cluster: ClusterRow, draftId?: string): DraftChange[] {
  const all = draftChanges(store, cluster);
  if (!draftId) return all;
  const targets = new Set(store.drafts.targets(draftId).map((t) => t.id));
  return all.filter((c) => targets.has(c.targetId));
}
