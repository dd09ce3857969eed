// Human output of `carrier-desk route`: the class, the carriers in the order Kazoo tries them, the endpoints with
// their dial strings (and the emergency dialling order), every carrier left out with its reason, then warnings and
// what the simulator cannot settle. Kept apart from data gathering so the online forms can reuse it.
import type { RouteResult } from '../../core/routing/index.ts';

export interface RouteHeading {
  /** e.g. "Kazoo 5.0, offline file carriers.json" or a cluster name. */
  where: string;
}

function ruleText(r: RouteResult['candidates'][number]): string {
  if (r.ruleSource === 'rules') return `rule ${r.ruleIndex === null ? '?' : r.ruleIndex + 1} ${r.rule}`;
  return `classifier ${r.classifier} (${r.ruleSource === 'classifier_entry' ? 'its own regex' : "the table's regex"} ${r.rule})`;
}

export function routeText(r: RouteResult, heading: RouteHeading): string {
  const lines: string[] = [];
  const number = r.number === r.dialed ? r.number : `${r.number} (dialled ${r.dialed})`;
  const scope = r.scope.kind === 'global' ? 'global carriers' : `carriers of account ${r.scope.accountId}`;
  lines.push(`${number}: class ${r.classification ?? '(none)'}. ${heading.where}, ${scope}${r.engine === 'stepswitch_resources' ? '' : `, route_by ${r.engine}`}.`);
  if (r.correctedNumber) lines.push(`Short-dial correction: routed as ${r.correctedNumber} (routing-spec §5.6).`);
  if (r.error) {
    lines.push(`Kazoo would fail this call: ${r.error.message}`);
  } else if (r.onNet) {
    lines.push('On-net: the number is hosted on this cluster, so the call stays on the cluster and no carrier is used (routing-spec §1).');
  } else if (r.endpoints.length === 0) {
    lines.push('No carrier: stepswitch finds no endpoint and the caller hears "no resources".');
  } else {
    lines.push('Carriers, in the order Kazoo tries them:');
    r.candidates.forEach((c, i) => lines.push(`  ${i + 1}. ${c.name} (${c.resourceId})  weight ${c.weight}${c.emergency ? '  EMERGENCY' : ''}  ${ruleText(c)} → sends ${c.matchedNumber === '' ? '(nothing)' : c.matchedNumber}`));
    lines.push(r.emergencyBridge ? 'Endpoints, as stepswitch hands them to the bridge:' : 'Endpoints, in dialling order:');
    r.endpoints.forEach((e, i) => {
      lines.push(`  ${i + 1}. ${e.name}, gateway ${e.gatewayIndex + 1}: ${e.route}${e.toDid !== e.matchedNumber ? `  (To-DID ${e.toDid})` : ''}${e.emergency ? '  [emergency]' : ''}`);
      if (e.inviteParameters?.length) lines.push(`     INVITE parameters: ${e.inviteParameters.join(';')}`);
      for (const n of e.notes ?? []) lines.push(`     ${n}`);
    });
    if (r.bridgeOrder) {
      lines.push('Emergency bridge: dialled in reverse, highest weight first (routing-spec §8):');
      r.bridgeOrder.forEach((b, i) => lines.push(`  ${i + 1}. ${b.route}  (${b.resourceId}, gateway ${b.gatewayIndex + 1})`));
    }
  }
  if (r.excluded.length) {
    lines.push('Not used:');
    for (const x of r.excluded) lines.push(`  ${x.name ? `${x.name} (${x.resourceId})` : x.resourceId}: ${x.why}`);
  }
  if (r.warnings.length) {
    lines.push('Warnings:');
    for (const w of r.warnings) lines.push(`  ${w.message}`);
  }
  if (r.uncertain.length) {
    lines.push('Uncertain (the cluster may differ):');
    for (const u of r.uncertain) lines.push(`  ${u.message}`);
  }
  return lines.join('\n');
}
