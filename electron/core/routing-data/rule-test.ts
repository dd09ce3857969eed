// The draft editor's "Test a dialed number": one carrier document (the working copy, saved or not) routed by the
// simulator as each target cluster would store and route it — its schema defaults filled in as Crossbar inserts them
// (routing-spec §2.2, §11.7), its flavor, classifier table and stepswitch/number_manager settings as pulled (§10).
// A cluster holding only this carrier: the answer is about this document's rules, gateways and dial strings, not about
// which of the cluster's carriers wins. Targets giving the same answer are merged into one.
import { applyDefaults, type SchemaSet } from '../drafts/defaults.ts';
import { isObject, type JsonObject } from '../drafts/canonical.ts';
import { UserInputError } from '../errors.ts';
import { compileWorld, decidingRule, WorldInputError, type RouteRequest, type RoutingFlavor, type World } from '../routing/index.ts';
import type { SyncStore } from '../sync/store.ts';
import type { RuleTestAnswer } from '../../shared/contract/routing.ts';
import { storedFacts, worldOf } from './world.ts';

export interface RuleTestInput {
  doc: JsonObject;
  number: string;
  callerId?: string | undefined;
  flags: string[];
}

interface Setting {
  cluster?: string;
  world: World;
  schemas: SchemaSet;
  notes: string[];
}

const hasList = (v: unknown): boolean => Array.isArray(v) && v.length > 0;

/** Where to test: each target cluster (its stored routing data), else both flavors with their defaults. */
function settings(store: SyncStore, draftId: string): Setting[] {
  const out: Setting[] = [];
  const seen = new Set<string>();
  for (const t of store.drafts.targets(draftId)) {
    const cluster = store.ctx.clusters.find(t.cluster_id);
    if (!cluster || seen.has(cluster.id)) continue;
    seen.add(cluster.id);
    const facts = storedFacts(store, cluster.id);
    const known = facts.flavor.value?.flavor ?? (cluster.flavor === '4.3' || cluster.flavor === '5.0' ? cluster.flavor : null);
    const notes: string[] = [];
    let world = worldOf({ flavor: known, facts }, new Map());
    if (!world) {
      world = { flavor: '5.0', resources: [] };
      notes.push(`The Kazoo version of ${cluster.name} is not known yet (check or pull it): tested as Kazoo 5.x with its default classifier table (routing-spec §3.2, §9).`);
    }
    out.push({ cluster: cluster.name, world, schemas: store.schemas.forCluster(cluster).set, notes });
  }
  // By cluster name, so the answers and the clusters named in each come in the same order on every call.
  if (out.length) return out.sort((a, b) => a.cluster!.localeCompare(b.cluster!));
  return (['4.3', '5.0'] as const).map((flavor) => ({
    world: { flavor, resources: [] },
    schemas: store.schemas.forFlavor(flavor),
    notes: ['No target cluster yet: tested with the default classifier table and settings of the Kazoo version (routing-spec §3.2).'],
  }));
}

function testOne(s: Setting, draftId: string, input: RuleTestInput): Omit<RuleTestAnswer, 'clusters' | 'flavors'> {
  // As stored: Crossbar fills the schema defaults on save (routing-spec §2.2 "important", §11.7). Tested as a global
  // carrier: the scope decides which calls may reach it (§2.1), not what its rules do.
  const stored = applyDefaults(input.doc, s.schemas);
  delete stored.account_id;
  delete stored.pvt_account_id;
  delete stored._id;
  const world: World = { ...s.world, resources: [{ ...stored, id: draftId }] };
  const notes = [...s.notes];
  const req: RouteRequest = { number: input.number, flags: input.flags };
  if (input.callerId) req.callerIdNumber = input.callerId;
  else if (!hasList(stored.cid_rules)) {
    // Without cid_rules the caller id only matters on 5.x, which fails a matching call without one (routing-spec §9).
    req.callerIdNumber = input.number;
    if (world.flavor === '5.0') notes.push('No caller id given: tested with the dialled number as caller id (Kazoo 5.x fails a call without one, routing-spec §9).');
  }
  let answer;
  try {
    answer = compileWorld(world).route(req);
  } catch (e) {
    if (e instanceof WorldInputError) throw new UserInputError(e.message);
    throw e;
  }
  const out: Omit<RuleTestAnswer, 'clusters' | 'flavors'> = { answer, notes };
  if (!isObject(stored.classifiers)) {
    // The rules see the number after normalisation (§5.1), or after short-dial correction when it applied (§5.6).
    const m = decidingRule(Array.isArray(stored.rules) ? stored.rules : [], answer.correctedNumber ?? answer.number);
    out.rule = m && m.ruleIndex !== null ? { index: m.ruleIndex, text: m.rule, matched: m.matched } : null;
  }
  const caller = req.callerIdNumber;
  if (input.callerId && caller && hasList(stored.cid_rules)) {
    const c = decidingRule(stored.cid_rules as unknown[], caller);
    out.cidRule = c && c.ruleIndex !== null ? { index: c.ruleIndex, text: c.rule } : null;
  }
  return out;
}

/** One answer per distinct result among the draft's targets (or the two flavors when it has none); notes are joined. */
export function testRules(store: SyncStore, draftId: string, input: RuleTestInput): RuleTestAnswer[] {
  const merged = new Map<string, RuleTestAnswer>();
  for (const s of settings(store, draftId)) {
    const { notes, ...one } = testOne(s, draftId, input);
    const key = JSON.stringify(one);
    const hit = merged.get(key);
    const flavor: RoutingFlavor = s.world.flavor;
    if (!hit) {
      merged.set(key, { clusters: s.cluster ? [s.cluster] : [], flavors: [flavor], ...one, notes });
      continue;
    }
    if (s.cluster) hit.clusters.push(s.cluster);
    if (!hit.flavors.includes(flavor)) hit.flavors.push(flavor);
    for (const n of notes) if (!hit.notes.includes(n)) hit.notes.push(n);
  }
  return [...merged.values()];
}
