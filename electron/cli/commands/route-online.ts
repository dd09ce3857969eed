// CLI: the online forms of `route`: `--cluster NAME` and `--all-clusters` (one row per cluster), optionally
// `--with-drafts` (as the cluster will be after the current plan). Answers come from what each cluster served at its
// last pull (carriers, classifier table, stepswitch settings, account tree: routing-spec §10), so an offline cluster
// answers too, marked with the age of its data. `--json`: one answer object (the `route --json` object plus
// `cluster` and `data`), or an array of them with --all-clusters. Exit codes: 0 answered (also "no carrier"),
// 1 stepswitch would fail (on any cluster) or a cluster could not be asked, 2 usage.
import { CliExit, EXIT_FAILED, EXIT_USAGE, type CliRuntime } from '../runtime.ts';
import type { ClusterRouteAnswer } from '../../shared/contract/routing.ts';
import { routeText } from './route-text.ts';

export interface OnlineRouteOptions {
  cluster?: string;
  allClusters?: boolean;
  withDrafts?: boolean;
  account?: string;
  local?: boolean;
  huntAccount?: string;
  callerId?: string;
  emergencyCallerId?: string;
  flags?: string;
  bypassE164?: boolean;
  /** Repeated KEY=VALUE: the calling channel's custom channel variables / SIP headers (invite_parameters, §6.2). */
  channelVar?: string[];
  sipHeader?: string[];
  zone?: string;
}

/** KEY=VALUE pairs of a repeatable option as an object; a pair without '=' is a usage error naming it. */
export function channelValues(pairs: string[] | undefined, option: string): Record<string, string> | undefined {
  if (!pairs?.length) return undefined;
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq < 1) throw new CliExit(EXIT_USAGE, `${option} ${JSON.stringify(p)}: give NAME=VALUE, e.g. ${option} Account-ID=12345.`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

/** The per-cluster JSON: the simulator's answer with the cluster's name and what the answer is based on. */
export function answerJson(a: ClusterRouteAnswer): Record<string, unknown> {
  const data = { flavor: a.flavor, ...a.data, request: a.request };
  return a.answer ? { cluster: a.cluster, ...a.answer, data } : { cluster: a.cluster, problem: a.problem, data };
}

const when = (ms: number | null) => (ms === null ? 'never' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));

/** One line on what the answer is based on: the scope's pull time, offline or never pulled. */
export function basisText(a: ClusterRouteAnswer): string {
  const d = a.data;
  const scope = d.scope === 'global' ? 'global carriers' : `carriers of account ${a.request.huntAccountName ?? d.scope}`;
  const parts = [`${a.cluster} (Kazoo ${a.flavor ?? 'version unknown'}): ${scope} as pulled ${d.pulledAt === null ? 'never' : `at ${when(d.pulledAt)}`}`];
  if (d.offline) parts.push('the cluster did not answer at the last contact, so this is its last pulled state');
  if (a.request.accountName ?? a.request.accountId) parts.push(`calling account ${a.request.accountName ?? a.request.accountId}`);
  return parts.join('; ') + '.';
}

function draftsText(a: ClusterRouteAnswer): string[] {
  const drafts = a.data.drafts ?? [];
  if (drafts.length === 0) return ['As after the current plan: no draft changes a carrier on this cluster.'];
  return [
    'As after the current plan:',
    ...drafts.map((d) => `  ${d.draftName} (${d.scope === 'global' ? 'global' : `account ${d.scope}`}): ${d.action}${d.applied ? '' : `, not applied (${d.why ?? 'apply would not send it'})`}`),
  ];
}

export function clusterText(a: ClusterRouteAnswer, withDrafts: boolean): string {
  const lines = [basisText(a)];
  if (withDrafts) lines.push(...draftsText(a));
  if (a.problem) lines.push(`Not answered: ${a.problem.message}`);
  if (a.answer) lines.push(routeText(a.answer, { where: `${a.cluster}, Kazoo ${a.flavor}` }));
  if (a.data.notes.length) lines.push('About the data:', ...a.data.notes.map((n) => `  ${n}`));
  return lines.join('\n');
}

/** One row per cluster: the class, the first carrier and its dial string, or why not. */
export function rowsText(answers: ClusterRouteAnswer[]): string {
  const lines: string[] = [];
  for (const a of answers) {
    const r = a.answer;
    const verdict = a.problem
      ? `not answered: ${a.problem.message}`
      : r!.error
        ? `Kazoo would fail the call: ${r!.error.message}`
        : r!.onNet
          ? 'on-net (no carrier)'
          : r!.endpoints.length === 0
            ? 'no carrier'
            : `${r!.candidates.map((c) => c.name).join(' → ')}; first dial string ${r!.endpoints[0]!.route}`;
    lines.push(`${a.cluster} (${a.flavor ?? '?'}): class ${r?.classification ?? '(none)'}: ${verdict}`);
    lines.push(`  ${basisText(a)}`);
    if (r?.uncertain.length) lines.push(`  uncertain: ${r.uncertain.map((u) => u.message).join(' ')}`);
  }
  return lines.join('\n');
}

export async function routeOnline(rt: CliRuntime, number: string, o: OnlineRouteOptions): Promise<void> {
  const answers = await rt.call('routing.route', {
    ...(o.allClusters ? {} : { clusters: [o.cluster!] }),
    number,
    ...(o.account ? { account: o.account } : {}),
    local: o.local === true,
    ...(o.huntAccount ? { huntAccount: o.huntAccount } : {}),
    ...(o.callerId ? { callerId: o.callerId } : {}),
    ...(o.emergencyCallerId ? { emergencyCallerId: o.emergencyCallerId } : {}),
    flags: o.flags ? o.flags.split(',').map((f) => f.trim()).filter(Boolean) : [],
    bypassE164: o.bypassE164 === true,
    ...(o.channelVar?.length ? { channelVars: channelValues(o.channelVar, '--channel-var') } : {}),
    ...(o.sipHeader?.length ? { sipHeaders: channelValues(o.sipHeader, '--sip-header') } : {}),
    ...(o.zone ? { zone: o.zone } : {}),
    withDrafts: o.withDrafts === true,
  });
  if (o.allClusters) {
    if (answers.length === 0) throw new CliExit(EXIT_USAGE, 'No clusters yet. Add one with: carrier-desk clusters add NAME --url URL --api-key KEY');
    rt.print(answers.map(answerJson), () => answers.map((a) => (o.withDrafts ? clusterText(a, true) : rowsText([a]))).join('\n\n'));
    if (answers.some((a) => a.problem || a.answer?.error)) process.exitCode = EXIT_FAILED;
    return;
  }
  const a = answers[0]!;
  if (a.problem?.code === 'unknown_account') throw new CliExit(EXIT_USAGE, a.problem.message);
  rt.print(answerJson(a), () => clusterText(a, o.withDrafts === true));
  if (a.problem || a.answer?.error) process.exitCode = EXIT_FAILED;
}
