// stepswitch_resource_selectors with Kazoo's default selector rules (routing-spec Appendix B): no classification,
// flags must match exactly, any rule keeps a resource, the full number is dialled, no weight sort; resources come out
// in ascending _id with each one's gateways last-to-first. Custom or database-backed selector rules are not simulated.
import { buildEndpoint, type BuiltEndpoint } from './endpoint.ts';
import { cidMatches, gatewaysFor } from './engine-default.ts';
import type { LoadedScope, Resource, Rule } from './load.ts';
import { run } from './regex.ts';
import type { RunContext } from './run-context.ts';

/** A rule of the resource that matches the number anywhere (filter_regex); null when none does. */
function anyRule(ctx: RunContext, r: Resource, n: string): Rule | null {
  for (const rule of r.rules) {
    if (rule.uncertain) ctx.regexUncertain(rule.re, r.id);
    if (rule.re.re && run(rule.re, n)) return rule;
  }
  return null;
}

export function selectWithSelectors(ctx: RunContext, scope: LoadedScope, n: string): BuiltEndpoint[] {
  ctx.uncertain('selectors', 'route_by is stepswitch_resource_selectors: the answer follows Kazoo\'s default selector rules; custom resource_selector_rules or database selectors of the account would change it (routing-spec Appendix B).');
  const flags = ctx.req.flags ?? [];
  // Step 1: the cached order, descending _id (the reverse of the view-order expansion).
  let list = [...scope.resources].reverse();
  // Step 2: filter_list, mode ne_subset_or_exact.
  list = list.filter((r) => {
    const ok = flags.length > 0 ? flags.every((f) => r.flags.includes(f)) : r.flags.length === 0;
    if (!ok) ctx.exclude(r, 'flags', flags.length > 0 ? 'It lacks a flag the call asks for (resource selectors, routing-spec Appendix B).' : 'It has flags and the call has none: the selectors keep only carriers without flags (routing-spec Appendix B).');
    return ok;
  });
  // Step 3: filter_regex on the number, any rule (no classification: every class competes).
  const matched = new Map<Resource, Rule>();
  list = list.filter((r) => {
    const rule = anyRule(ctx, r, n);
    if (rule) matched.set(r, rule);
    else ctx.exclude(r, 'no_rule', r.rules.length === 0 ? 'It has no rules (resource selectors, routing-spec Appendix B).' : `None of its rules matches ${n} (resource selectors, routing-spec Appendix B).`);
    return rule !== null;
  });
  // Step 4: filter_regex on the caller id; without one the pipeline stops with no resources.
  const caller = ctx.req.callerIdNumber;
  if (list.length > 0 && caller === undefined) {
    for (const r of list) ctx.exclude(r, 'no_caller_id', 'The call has no caller id number: the selectors\' caller id step fails and returns no carriers (routing-spec Appendix B).');
    return [];
  }
  list = list.filter((r) => {
    const ok = r.cidRules.length === 0 || cidMatches(ctx, r, caller!);
    if (!ok) ctx.exclude(r, 'cid_rules', `The caller id ${caller} matches none of its cid_rules (resource selectors, routing-spec Appendix B).`);
    return ok;
  });
  // Step 5 (order by weight) is a no-op with the default rules. Endpoints: ascending _id, gateways last-to-first.
  const out: BuiltEndpoint[] = [];
  for (const r of list.reverse()) {
    const rule = matched.get(r)!;
    const m = { ruleIndex: rule.index, rule: rule.re.source, matched: n };
    const gws = gatewaysFor(ctx, r);
    if (gws.length === 0) ctx.exclude(r, 'no_gateway', 'It matches but has no enabled gateway (routing-spec §2.3).');
    for (let i = gws.length - 1; i >= 0; i--) out.push(buildEndpoint(r, gws[i]!, m));
  }
  return out;
}
