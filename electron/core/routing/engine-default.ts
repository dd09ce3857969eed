// stepswitch_resources, the default engine (routing-spec §3.3, §4, §5, §6.1; Appendix A steps 4–7): flag filter,
// classified group or plain fallback, last-matching rule with stepswitch's capture, cid_rules, one endpoint per
// enabled gateway, stable sort by weight.
import { buildEndpoint, type BuiltEndpoint } from './endpoint.ts';
import { RouteFailure } from './failure.ts';
import { isEmpty } from './kz-json.ts';
import type { Gateway, LoadedScope, Resource, Rule } from './load.ts';
import { longestGroup, run } from './regex.ts';
import type { Match, RunContext } from './run-context.ts';

interface FlagView {
  /** Flag-passing resources of each class, in visiting order. */
  groups: Map<string, Candidates>;
  /** Flag-passing plain resources, in visiting order. */
  plain: Candidates;
  /** Flag-passing derived resources (for explanations). */
  derived: Resource[];
  removed: { r: Resource; code: string; why: string }[];
}

/**
 * A visiting list with a quick index for bulk routing: per first characters of a number, the resources that have a
 * rule whose literal prefix does not rule that number out (visiting order kept). A pure shortcut: the skipped
 * resources' rules cannot match.
 */
class Candidates {
  static readonly KEY = 3;
  private readonly byKey = new Map<string, Resource[]>();
  /** The members that are tried (a class group leaves out disabled classifier entries, §3.3). */
  readonly tried: Resource[];

  constructor(readonly all: Resource[]) {
    this.tried = all.filter((r) => r.classifierEnabled);
  }

  for(n: string): Resource[] {
    const key = n.length > Candidates.KEY ? n.slice(0, Candidates.KEY) : n;
    let hit = this.byKey.get(key);
    if (!hit) {
      hit = this.tried.filter((r) => r.rules.some((rule) => {
        const p = rule.re.prefix;
        return p === '' || p.startsWith(key) || key.startsWith(p);
      }));
      if (this.byKey.size > 4096) this.byKey.clear();
      this.byKey.set(key, hit);
    }
    return hit;
  }
}

const views = new WeakMap<LoadedScope, Map<string, FlagView>>();

/**
 * §4 then §3.3's grouping, computed once per set of request flags: without flags require_flags resources go and the
 * order is kept (ascending _id); with flags a resource needs every flag (or ignore_flags) and the order is reversed.
 */
function flagView(scope: LoadedScope, flags: readonly string[]): FlagView {
  let byFlags = views.get(scope);
  if (!byFlags) views.set(scope, (byFlags = new Map()));
  const key = flags.length === 0 ? '' : JSON.stringify(flags);
  let v = byFlags.get(key);
  if (v) return v;
  const removed: FlagView['removed'] = [];
  const kept: Resource[] = [];
  for (const r of scope.resources) {
    if (flags.length === 0) {
      if (r.requireFlags) removed.push({ r, code: 'require_flags', why: 'It has require_flags and the call has no flags (routing-spec §4, §11.21).' });
      else kept.push(r);
      continue;
    }
    const missing = r.ignoreFlags ? undefined : flags.find((f) => !isEmpty(f) && !r.flags.includes(f));
    if (missing === undefined) kept.push(r);
    else removed.push({ r, code: 'flags', why: `It lacks the flag ${JSON.stringify(missing)} the call asks for, and it does not ignore flags (routing-spec §4, §11.21).` });
  }
  if (flags.length > 0) kept.reverse();
  const groups = new Map<string, Resource[]>();
  const plain: Resource[] = [];
  const derived: Resource[] = [];
  for (const r of kept) {
    if (r.classifier === undefined) plain.push(r);
    else {
      derived.push(r);
      const g = groups.get(r.classifier);
      if (g) g.push(r);
      else groups.set(r.classifier, [r]);
    }
  }
  v = { groups: new Map([...groups].map(([c, list]) => [c, new Candidates(list)])), plain: new Candidates(plain), derived, removed };
  if (byFlags.size > 64) byFlags.clear();
  byFlags.set(key, v);
  return v;
}

/**
 * §5.2/§5.3: the first of `rules` (kept rules, last-listed first) that matches decides; the number becomes its longest
 * capture. `sink` hears the patterns evaluated (or skipped) that JavaScript cannot reproduce exactly.
 */
export function lastMatch(rules: readonly Rule[], n: string, sink?: RunContext, resourceId?: string): Match | null {
  // The regex is run inline (prefix check, exec): this loop is the hot path of bulk routing.
  for (const rule of rules) {
    if (rule.uncertain && sink) sink.regexUncertain(rule.re, resourceId);
    const k = rule.re;
    if (k.re === null || (k.prefix !== '' && !n.startsWith(k.prefix))) continue;
    const m = k.re.exec(n);
    if (m !== null) return { ruleIndex: rule.index, rule: k.source, matched: longestGroup(m) };
  }
  return null;
}

export function evalRules(ctx: RunContext, r: Resource, n: string): Match | null {
  return lastMatch(r.rules, n, ctx, r.id);
}

/** The caller id cid_rules see (§1): the first Diversion's user with cid_rules_honor_diversions, else the caller id. */
export function callerForRules(ctx: RunContext): string | undefined {
  const divs = ctx.req.diversions;
  if (!ctx.world.config.cidRulesHonorDiversions || !divs || divs.length === 0) return ctx.req.callerIdNumber;
  const parts = divs[0]!.split(/[:@]/);
  if (parts.length !== 3) {
    throw new RouteFailure('diversion_malformed', `cid_rules_honor_diversions is on and the first Diversion ${JSON.stringify(divs[0])} is not of the form sip:user@host: stepswitch crashes and the call fails (routing-spec §1).`);
  }
  return parts[1];
}

/** Whether some cid_rule matches the caller (§5.4); undefined caller with cid_rules is left to the caller to decide. */
export function cidMatches(ctx: RunContext, r: Resource, caller: string): boolean {
  for (const rule of r.cidRules) {
    if (rule.uncertain) ctx.regexUncertain(rule.re, r.id);
    if (rule.re.re && run(rule.re, caller)) return true;
  }
  return false;
}

/** The resource's gateways in dialling order: get_resrc_gateways/1 accepts only sequential and random (§2.3). */
export function gatewaysFor(ctx: RunContext, r: Resource): Gateway[] {
  if (r.gatewayStrategy === 'sequential') return r.gateways;
  if (r.gatewayStrategy === 'random') {
    if (r.gateways.length > 1) ctx.uncertain('random_gateways', `${r.name} has gateway_strategy random: Kazoo shuffles its gateways on every call; they are shown in document order (routing-spec §2.3, §10).`, r.id);
    return r.gateways;
  }
  throw new RouteFailure('gateway_strategy_invalid', `${r.name} (${r.id}) has gateway_strategy ${JSON.stringify(r.gatewayStrategy)}: stepswitch knows only sequential and random, crashes on it and the call fails (routing-spec §2.3, §11.20).`, r.id);
}

function byWeight(a: BuiltEndpoint, b: BuiltEndpoint): number {
  return a.resource.weight - b.resource.weight;
}

/** `classify` gives the number's class (§3.2); it throws when Kazoo's classifier would crash. */
export function selectDefault(ctx: RunContext, scope: LoadedScope, n: string, classify: () => string | null): BuiltEndpoint[] {
  const flags = ctx.req.flags ?? [];
  const view = flagView(scope, flags);
  if (ctx.explain) for (const x of view.removed) ctx.exclude(x.r, x.code, x.why);
  const k = classify();
  const group = k === null ? undefined : view.groups.get(k);
  let visit: Resource[];
  if (group) {
    visit = ctx.explain ? group.tried : group.for(n);
    if (ctx.explain) {
      for (const r of group.all) if (!r.classifierEnabled) ctx.exclude(r, 'classifier_disabled', `Its classifier entry ${k} is disabled; it still takes the class ${k}, so plain carriers are not tried either (routing-spec §3.3, §11.4).`);
      for (const r of view.plain.all) ctx.exclude(r, 'class_group', `The number is class ${k} and a carrier is set up for that classifier, so plain carriers are not considered (routing-spec §3.3, §11.3).`);
      for (const r of view.derived) if (r.classifier !== k) ctx.exclude(r, 'other_class', `It serves classifier ${r.classifier}; the number is class ${k} (routing-spec §3.3).`);
    }
  } else {
    visit = ctx.explain ? view.plain.tried : view.plain.for(n);
    if (ctx.explain) for (const r of view.derived) ctx.exclude(r, 'other_class', `It serves classifier ${r.classifier}; the number is class ${k ?? '(none)'} and no carrier serves that class, so only plain carriers are tried (routing-spec §3.3).`);
  }
  const endpoints: BuiltEndpoint[] = [];
  let caller: string | undefined;
  let callerRead = false;
  for (const r of visit) {
    if (!callerRead) {
      caller = callerForRules(ctx);
      callerRead = true;
    }
    const m = evalRules(ctx, r, n);
    if (!m) {
      if (ctx.explain) ctx.exclude(r, 'no_rule', r.rules.length === 0 ? 'It has no rules, so it never matches (routing-spec §5.5).' : `None of its rules matches ${n} (routing-spec §5.2).`);
      continue;
    }
    if (r.cidRules.length > 0) {
      if (caller === undefined) {
        throw new RouteFailure('cid_rules_no_caller_id', `${r.name} (${r.id}) has cid_rules and the call has no caller id number: stepswitch crashes and the call fails (routing-spec §5.4, §11.13).`, r.id);
      }
      if (!cidMatches(ctx, r, caller)) {
        ctx.exclude(r, 'cid_rules', `The caller id ${caller} matches none of its cid_rules (routing-spec §5.4).`);
        continue;
      }
    }
    if (ctx.world.flavor === '5.0' && caller === undefined) {
      throw new RouteFailure('caller_id_missing', `${r.name} (${r.id}) matches but the call has no caller id number: Kazoo 5.x computes E164-Origination from it, crashes and the call fails (routing-spec §9, §11.13).`, r.id);
    }
    const gws = gatewaysFor(ctx, r);
    if (gws.length === 0) ctx.exclude(r, 'no_gateway', `Rule ${m.ruleIndex === null ? `(classifier ${r.classifier})` : m.ruleIndex + 1} matches, but it has no enabled gateway, so it adds no endpoint (routing-spec §2.3).`);
    for (const g of gws) endpoints.push(buildEndpoint(r, g, m));
  }
  // §6.1: a stable sort by weight, ascending (Array.prototype.sort is stable); most lists are already in order.
  for (let i = 1; i < endpoints.length; i++) {
    if (endpoints[i - 1]!.resource.weight > endpoints[i]!.resource.weight) return endpoints.sort(byWeight);
  }
  return endpoints;
}
