// Human output of `plan --route-sample LIST`: per draft target, how many numbers of the list route differently after
// apply (another carrier, gateway or dial string), with a few examples, or "no routing change".
import type { PlanRouteImpact, RouteBrief, TargetRouteImpact } from '../../shared/contract/routing.ts';

function briefText(b: RouteBrief): string {
  if (b.error) return `fails (${b.error})`;
  if (b.carriers.length === 0) return 'no carrier';
  return `${b.carriers.join(' → ')}${b.route ? ` ${b.route}` : ''}`;
}

function targetText(t: TargetRouteImpact): string[] {
  const where = `${t.draftName} → ${t.clusterName} ${t.scope === 'global' ? 'global' : `account ${t.scope}`} (${t.action})`;
  if (!t.applied) return [`  ${where}: not applied by this plan (${t.why ?? 'apply would not send it'}); no routing change`];
  const head = t.changed === 0
    ? `  ${where}: no routing change (${t.routed} numbers routed)`
    : `  ${where}: ${t.changed} of ${t.routed} numbers route differently: ${t.carrier} another carrier, ${t.gateway} another gateway, ${t.dialString} another dial string`;
  return [head, ...t.examples.map((e) => `    ${e.number}: ${briefText(e.before)}  →  ${briefText(e.after)}`), ...t.notes.map((n) => `    ${n}`)];
}

export function routeImpactText(r: PlanRouteImpact): string {
  const lines = [`Routing impact on number list '${r.list}' (${r.numbers} numbers):`];
  if (r.targets.length === 0) lines.push('  no routing change');
  for (const t of r.targets) lines.push(...targetText(t));
  for (const n of r.notes) lines.push(`  ${n}`);
  return lines.join('\n');
}
