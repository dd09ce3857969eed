// CLI: `pull`, `resources`, `plan` (with `--route-sample LIST`: the routing impact), `apply`, `resolve`, `matrix`, `outbox`, `audit`, `export`, `import`, `migrate`.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { writeOutputFile } from '../output-file.ts';
import { createInterface } from 'node:readline/promises';
import { CliExit, collect, EXIT_USAGE, table, type CliRuntime } from '../runtime.ts';
import type { EventMessage, Events } from '../../shared/contract.ts';
import {
  SAVED_PLAN_FORMAT,
  type ApplyResult, type AuditEntry, type FieldChangeView, type MigrateResult, type OutboxItemView, type PlanTargetView, type PlanView, type PullResult,
  type SavedPlan, type SnapshotItem,
} from '../../shared/contract/sync.ts';
import { bindHints, issueHint, readJsonFile, registerDraftCommands, scopeOption, type ScopeOptions } from './drafts.ts';
import { routeImpactText } from './route-impact-text.ts';

const show = (v: unknown): string => (v === undefined ? '(none)' : JSON.stringify(v));
const scopeText = (s: string): string => (s === 'global' ? 'global' : `account ${s}`);
const SIGN: Record<string, string> = { create: '+', update: '~', delete: '-', noop: '=', conflict: '!', blocked: 'x' };

const SIGN_OF_CHANGE: Record<FieldChangeView['kind'], string> = { added: '+', removed: '-', changed: '~', moved: '↕' };

/** A JSON value as indented `key: value` lines (a new carrier or gateway reads as its fields, not one JSON line). */
function treeLines(v: unknown, indent: string): string[] {
  const kids = Array.isArray(v) ? v.map((x, i) => [`[${i}]`, x] as const) : v && typeof v === 'object' ? Object.entries(v).sort(([a], [b]) => a.localeCompare(b)) : [];
  const out: string[] = [];
  for (const [k, x] of kids) {
    const nested = x !== null && typeof x === 'object' && (Array.isArray(x) ? x.length > 0 : Object.keys(x).length > 0);
    out.push(nested ? `${indent}${k}:` : `${indent}${k}: ${show(x)}`);
    if (nested) out.push(...treeLines(x, indent + '  '));
  }
  return out;
}

/** One field change of a plan or of a drifted carrier (values already masked): moves as moves, whole objects as field trees. */
export function changeLines(c: FieldChangeView): string[] {
  const head = `    ${SIGN_OF_CHANGE[c.kind]} ${c.path || '(resource)'}${c.identity ? ` (${c.identity})` : ''}`;
  const value = c.kind === 'removed' ? c.before : c.after;
  if (c.kind === 'moved') return [`${head}: moved from position ${Number(c.from?.split('.').pop() ?? 0) + 1} to ${Number(c.path.split('.').pop() ?? 0) + 1}`];
  if (c.kind === 'changed') return [`${head}: ${show(c.before)} → ${show(c.after)}`];
  const tree = value !== null && typeof value === 'object' ? treeLines(value, '        ') : [];
  if (tree.length === 0) return [c.kind === 'added' ? `${head} = ${show(value)}` : head];
  return [`${head}:`, ...tree];
}

function targetText(t: PlanTargetView, verbose: boolean): string {
  const head = `${SIGN[t.action] ?? '?'} ${t.action.padEnd(8)} ${t.draftName} → ${t.clusterName} ${scopeText(t.scope)}${t.remoteId && t.action !== 'create' && !t.deferred ? ` (${t.remoteId})` : ''}`;
  const lines = [head];
  if (t.action === 'noop' && !verbose) return t.drifted ? `${head}  [changed on the cluster, kept]` : head;
  for (const b of t.blockedReasons) {
    if (b.code !== 'validation' || t.errors.length === 0) {
      lines.push(`    × ${b.message}`);
      continue;
    }
    lines.push(`    × ${t.errors.length} validation error(s) against ${t.clusterName}'s schema and the local checks:`);
    for (const e of t.errors.slice(0, 20)) lines.push(`        ${e.path || '(document)'}: ${e.message}${issueHint(e, t.draftName)}`);
    if (t.errors.length > 20) lines.push(`        ... and ${t.errors.length - 20} more (carrier-desk plan --json lists them all)`);
  }
  if (t.existing?.length) lines.push(...bindHints(t.draftName, t.clusterName, t.scope, t.existing).map((l) => `  ${l}`));
  if (t.deferred) lines.push(`    will be queued: ${t.deferred}`);
  if (t.expectedRevision && t.action !== 'noop') lines.push(`    against revision ${t.expectedRevision}`);
  for (const c of t.changes.slice(0, 60)) lines.push(...changeLines(c));
  if (t.changes.length > 60) lines.push(`    ... and ${t.changes.length - 60} more changes`);
  if (t.merged.length) lines.push(`    merged from the cluster (kept): ${t.merged.join(', ')}`);
  for (const c of t.conflicts) lines.push(`    ! ${c.path || '(whole resource)'}: base ${show(c.base)} | mine ${show(c.mine)} | theirs ${show(c.theirs)}`);
  for (const w of t.warnings) lines.push(`    warn ${w.path || '(document)'}: ${w.message}`);
  return lines.join('\n');
}

export function planText(p: PlanView, verbose = false): string {
  const s = p.summary;
  // A target whose cluster did not answer counts as blocked, but it is queued on apply, not refused: say how many.
  const queued = p.targets.filter((t) => t.deferred).length;
  const head = `Plan: ${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.noop} unchanged, ${s.conflict} conflict(s), ${s.blocked} blocked${queued ? ` (${queued} of them queued on apply, sent when their cluster answers)` : ''}.`;
  if (p.targets.length === 0) return 'Nothing to plan: no draft has a target. Add one with: carrier-desk targets add DRAFT CLUSTER --global | --account ID';
  return [head, '', ...p.targets.map((t) => targetText(t, verbose))].join('\n');
}

/** A create the cluster has not confirmed: its id was chosen here (kept for retries) and names no carrier yet. */
function createNotMade(t: ApplyResult['targets'][number]): boolean {
  return (t.action === 'create' || t.action === 'blocked') && (t.outcome === 'joined' ? t.joinedOutcome : t.outcome) !== 'done';
}

function applyText(r: ApplyResult): string {
  const lines = r.targets.map(
    (t) => `${t.outcome.toUpperCase().padEnd(8)} ${t.action.padEnd(8)} ${t.draftName} → ${t.clusterName} ${scopeText(t.scope)}${t.remoteId && !createNotMade(t) ? ` (${t.remoteId})` : ''}${t.reason ? `\n         ${t.reason}` : ''}`,
  );
  const count = (o: string) => r.targets.filter((t) => t.outcome === o).length;
  // A target another run was already sending is counted once, as joined: this run sent nothing for it.
  const joined = count('joined');
  lines.push('', `${count('done')} done, ${joined ? `${joined} joined another run, ` : ''}${count('noop')} unchanged, ${count('queued')} queued, ${count('failed') + count('stale')} failed, ${count('refused')} refused${count('skipped') ? `, ${count('skipped')} skipped` : ''}.`);
  if (count('queued')) lines.push('Queued operations run when the cluster answers: keep `carrier-desk watch` (or the app) running, or run `carrier-desk outbox --drain`.');
  return lines.join('\n');
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

function savedPlanOf(value: unknown, file: string): SavedPlan {
  const v = value as { format?: string; saved?: SavedPlan };
  if (v?.format === SAVED_PLAN_FORMAT) return value as SavedPlan;
  if (v?.saved?.format === SAVED_PLAN_FORMAT) return v.saved;
  const format = v?.format ?? v?.saved?.format;
  if (typeof format === 'string' && format.startsWith('carrier-desk-plan/')) {
    // Its content hashes are not the ones this version computes: every target would be refused as changed.
    throw new CliExit(EXIT_USAGE, `${file} was saved by another version of Carrier Desk (${format}; this one reads ${SAVED_PLAN_FORMAT}). Make the plan again: carrier-desk plan --out ${file}`);
  }
  throw new CliExit(EXIT_USAGE, `${file} is not a saved plan (make one with: carrier-desk plan --out ${file}).`);
}

const ROUTING_KIND_TEXT: Record<string, string> = {
  flavor: 'version', classifiers: 'classifier table', stepswitch: 'stepswitch settings', number_manager: 'number_manager settings', accounts: 'account tree',
};

/** One line on the routing data read beside the resources (routing-spec §10). */
function routingPullText(cluster: string, r: NonNullable<PullResult['routing']>): string {
  const words = (kinds: string[]) => kinds.map((k) => ROUTING_KIND_TEXT[k] ?? k).join(', ');
  const parts = [`${cluster} routing data: ${r.read.length ? `read ${words(r.read)}` : 'nothing read'}`];
  if (r.notReadable.length) parts.push(`not readable by this login: ${words(r.notReadable)} (routes assume Kazoo's defaults)`);
  for (const f of r.failed) parts.push(`${ROUTING_KIND_TEXT[f.kind] ?? f.kind} failed: ${f.error.message}`);
  return parts.join('; ');
}

/**
 * Progress of a pull over several scopes on stderr: one line rewritten in place on a terminal, else a line each
 * tenth of the way (a log stays short whatever the number of accounts).
 */
function pullProgressPrinter(): (m: EventMessage) => void {
  let shown = -1;
  return (m) => {
    if (m.event !== 'pull.progress') return;
    const p = m.payload as Events['pull.progress'];
    if (p.total < 2) return;
    const line = `pull: ${p.done} of ${p.total} scopes done (global and accounts)`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}${p.done === p.total ? '\n' : ''}`);
    else if (Math.floor((p.done * 10) / p.total) !== shown) {
      shown = Math.floor((p.done * 10) / p.total);
      process.stderr.write(`${line}\n`);
    }
  };
}

/** Registers the sync area's commands, the draft/target ones included. */
export function registerSyncCommands(program: Command, rt: CliRuntime): void {
  registerDraftCommands(program, rt);
  program
    .command('pull <cluster>')
    .description("read the cluster's resources (full documents) into the local snapshot")
    .option('--account <id>', 'one account')
    .option('--global', 'the global resources')
    .option('--all', 'global (when allowed) and every account the login sees')
    .action(async (cluster: string, o: ScopeOptions & { all?: boolean }) => {
      const scope = scopeOption(o, false);
      if (scope && o.all) throw new CliExit(EXIT_USAGE, 'Use --all alone, or --account/--global.');
      const off = rt.json ? () => {} : rt.getCore().events.subscribe(pullProgressPrinter());
      const r = await rt.call('pull.run', { cluster, ...(scope ? { scope } : {}), all: o.all === true }).finally(off);
      rt.print(r, (p: PullResult) =>
        [
          ...p.scopes.map((s) => `${p.cluster} ${scopeText(s.scope)}: ${s.listed} listed, ${s.fetched} read, ${s.unchanged} unchanged, ${s.removed} removed${s.errors.length ? `, ${s.errors.length} error(s): ${s.errors[0]!.error.message}` : ''}`),
          ...(p.routing ? [routingPullText(p.cluster, p.routing)] : []),
        ].join('\n'),
      );
      if (r.scopes.some((s) => s.errors.length)) process.exitCode = 1;
    });

  program
    .command('resources <cluster>')
    .description('list pulled resources (or show one with --show ID)')
    .option('--account <id>', 'one account')
    .option('--global', 'the global resources')
    .option('--show <id>', "print one resource document (secrets as '***' unless --show-secrets)")
    .option('--show-secrets', 'with --show: print gateway passwords in clear')
    .action(async (cluster: string, o: ScopeOptions & { show?: string; showSecrets?: boolean }) => {
      const scope = scopeOption(o, !!o.show);
      if (o.show) {
        const r = await rt.call('resources.get', { cluster, scope: scope!, id: o.show, showSecrets: o.showSecrets === true });
        rt.print(r, (v: { doc: Record<string, unknown> }) => JSON.stringify(v.doc, null, 2));
        return;
      }
      if (o.showSecrets) throw new CliExit(EXIT_USAGE, '--show-secrets goes with --show ID.');
      const list = await rt.call('resources.list', { cluster, ...(scope ? { scope } : {}) });
      rt.print(list, (l: SnapshotItem[]) =>
        l.length === 0
          ? `Nothing pulled yet for ${cluster}. Run: carrier-desk pull ${cluster}`
          : table(
              l.map((i) => [i.scopeName ?? (i.scope === 'global' ? 'global' : `account ${i.scope}`), i.resourceId, i.name, i.enabled === false ? 'disabled' : '', i.revision, i.draftIds.length ? 'draft' : '']),
              ['SCOPE', 'ID', 'NAME', '', 'REVISION', 'DRAFT'],
            ),
      );
    });

  program
    .command('plan')
    .description('show what apply would do on every target (create / update / delete / conflict / blocked)')
    .option('--draft <draft>', 'only this draft')
    .option('--cluster <cluster>', 'only targets on this cluster')
    .option('--out <file>', 'save the plan, to apply exactly it later with: carrier-desk apply FILE')
    .option('-v, --verbose', 'show unchanged targets in full')
    .option('--route-sample <list>', 'also route the numbers of this number list before and after apply, per target (routing-spec)')
    .option('--caller-id <number>', 'with --route-sample: the caller id of the simulated calls (default: each number itself)')
    .option('--flags <a,b>', 'with --route-sample: the flags of the simulated calls')
    .action(async (o: { draft?: string; cluster?: string; out?: string; verbose?: boolean; routeSample?: string; callerId?: string; flags?: string }) => {
      const filter = { ...(o.draft ? { draft: o.draft } : {}), ...(o.cluster ? { cluster: o.cluster } : {}) };
      if (!o.routeSample && (o.callerId || o.flags)) throw new CliExit(EXIT_USAGE, '--caller-id and --flags go with --route-sample LIST.');
      const p = await rt.call('sync.plan', filter);
      if (o.out) writeOutputFile(o.out, JSON.stringify(p.saved, null, 2) + '\n');
      const impact = o.routeSample
        ? await rt.call('routing.planImpact', { list: o.routeSample, ...filter, ...(o.callerId ? { callerId: o.callerId } : {}), flags: o.flags ? o.flags.split(',').map((f) => f.trim()).filter(Boolean) : [] })
        : undefined;
      rt.print(impact ? { ...p, routeImpact: impact } : p, (v: PlanView) =>
        planText(v, o.verbose) + (impact ? `\n\n${routeImpactText(impact)}` : '') + (o.out ? `\n\nSaved to ${o.out}. Apply it with: carrier-desk apply ${o.out}` : ''),
      );
      // Like apply, 0 only when every target can go ahead: a conflict or a blocked target needs a person first.
      if (p.summary.conflict + p.summary.blocked > 0) process.exitCode = 1;
    });

  program
    .command('apply [file]')
    .description('apply the plan (or the saved plan FILE, refusing targets that changed since); asks first unless --yes')
    .option('--draft <draft>', 'only this draft')
    .option('--cluster <cluster>', 'only targets on this cluster')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (file: string | undefined, o: { draft?: string; cluster?: string; yes?: boolean }) => {
      const filter = { ...(o.draft ? { draft: o.draft } : {}), ...(o.cluster ? { cluster: o.cluster } : {}) };
      let saved: SavedPlan | undefined = file ? savedPlanOf(readJsonFile(file, 'saved plan'), file) : undefined;
      if (!o.yes) {
        if (!process.stdin.isTTY) throw new CliExit(EXIT_USAGE, 'Refusing to apply without confirmation: no terminal to ask on. Review with `carrier-desk plan`, then run apply with --yes.');
        if (!saved) {
          const p = await rt.call('sync.plan', filter);
          process.stderr.write(planText(p) + '\n\n');
          const todo = p.summary.create + p.summary.update + p.summary.delete + p.targets.filter((t) => t.deferred).length;
          if (todo === 0) {
            rt.print({ ok: p.summary.conflict + p.summary.blocked === 0, targets: [] }, () => 'Nothing to apply.');
            if (p.summary.conflict + p.summary.blocked > 0) process.exitCode = 1;
            return;
          }
          saved = p.saved;
        } else process.stderr.write(`Saved plan ${file}: ${saved.targets.length} target(s).\n`);
        if (!(await confirm('Apply these changes? Type yes to continue: '))) throw new CliExit(EXIT_USAGE, 'Not applied.');
      }
      const r = await rt.call('sync.apply', { ...filter, ...(saved ? { plan: saved } : {}) });
      rt.print(r, applyText);
      if (!r.ok) process.exitCode = 1;
    });

  program
    .command('resolve <draft> <cluster>')
    .description('resolve a conflict field by field; saves a new draft version based on the cluster revision')
    .option('--account <id>', 'the account of the target')
    .option('--global', 'the global target')
    .option('--mine <path>', 'keep the draft value of this field (repeatable)', collect)
    .option('--theirs <path>', "take the cluster's value of this field (repeatable)", collect)
    .option('--all-mine', 'keep the draft value for every other conflicting field')
    .option('--all-theirs', "take the cluster's value for every other conflicting field")
    .action(async (draft: string, cluster: string, o: ScopeOptions & { mine?: string[]; theirs?: string[]; allMine?: boolean; allTheirs?: boolean }) => {
      if (o.allMine && o.allTheirs) throw new CliExit(EXIT_USAGE, 'Use either --all-mine or --all-theirs.');
      const choices: Record<string, 'mine' | 'theirs'> = {};
      for (const p of o.mine ?? []) choices[p === '.' ? '' : p] = 'mine';
      for (const p of o.theirs ?? []) choices[p === '.' ? '' : p] = 'theirs';
      const d = await rt.call('sync.resolve', {
        draft, cluster, scope: scopeOption(o, true)!, choices, ...(o.allMine ? { default: 'mine' as const } : o.allTheirs ? { default: 'theirs' as const } : {}),
      });
      rt.print(d, () => `Resolved. ${d.name} is now version ${d.version}; run plan to see what apply will send.`);
    });

  program
    .command('outbox')
    .description('operations queued for clusters that did not answer')
    .option('--all', 'include finished operations')
    .option('--drain', 'run the due operations now')
    .action(async (o: { all?: boolean; drain?: boolean }) => {
      if (o.drain) {
        const r = await rt.call('outbox.drain', {});
        if (!rt.json) process.stdout.write(`Ran ${r.attempted}: ${r.done} done, ${r.failed} failed; ${r.queued} still queued.\n`);
        if (r.failed || r.queued) process.exitCode = 1;
      }
      const list = await rt.call('outbox.list', { all: o.all === true });
      rt.print(list, (l: OutboxItemView[]) =>
        l.length === 0 ? 'The outbox is empty.' : table(l.map((i) => [String(i.id), i.state, i.op, i.draftName, `${i.clusterName}/${i.scope === 'global' ? 'global' : i.scope.slice(0, 8)}`, String(i.attempts), i.state === 'queued' ? new Date(i.nextAttemptAt).toISOString() : '', i.reason ?? '']), ['ID', 'STATE', 'OP', 'DRAFT', 'TARGET', 'TRIES', 'NEXT', 'REASON']),
      );
    });

  program
    .command('audit')
    .description('changes applied to clusters (newest first); --export FILE writes every entry as JSON lines')
    .option('--cluster <cluster>', 'only this cluster')
    .option('--draft <draft>', 'only this draft')
    .option('--limit <n>', 'how many entries', (v) => Number.parseInt(v, 10), 50)
    .option('--export <file>', 'write all entries as JSON lines ("-" for standard output)')
    .action(async (o: { cluster?: string; draft?: string; limit: number; export?: string }) => {
      if (o.export) {
        const r = await rt.call('audit.export', {});
        if (o.export === '-') process.stdout.write(r.text);
        else {
          writeOutputFile(o.export, r.text);
          process.stderr.write(`Wrote ${r.count} audit entries to ${o.export}.\n`);
        }
        return;
      }
      const list = await rt.call('audit.list', { ...(o.cluster ? { cluster: o.cluster } : {}), ...(o.draft ? { draft: o.draft } : {}), limit: o.limit });
      rt.print(list, (l: AuditEntry[]) =>
        l.length === 0 ? 'No changes recorded yet.' : table(
              l.map((e) => [
                new Date(e.at).toISOString(), e.result, e.action, `${e.clusterName}/${e.scopeName ?? (e.scope === 'global' ? 'global' : e.scope.slice(0, 8))}`,
                e.resourceName ? `${e.resourceName} (${e.resourceId.slice(0, 8)})` : e.resourceId, `${e.diff.length} field(s)`, e.error ?? '',
              ]),
              ['TIME', 'RESULT', 'ACTION', 'TARGET', 'RESOURCE', 'DIFF', 'ERROR'],
            ),
      );
    });

  program
    .command('export <file>')
    .description('write drafts as a deterministic JSON bundle (secrets left out unless --include-secrets)')
    .option('--draft <draft>', 'only this draft (repeatable)', collect)
    .option('--include-secrets', 'include gateway passwords in clear text')
    .action(async (file: string, o: { draft?: string[]; includeSecrets?: boolean }) => {
      const r = await rt.call('bundle.export', { ...(o.draft ? { drafts: o.draft } : {}), includeSecrets: o.includeSecrets === true });
      if (file === '-') process.stdout.write(r.text);
      // With secrets the file is private (0600) even if it existed with another mode; without, it is written as usual.
      else writeOutputFile(file, r.text, { secret: o.includeSecrets === true });
      if (file !== '-') rt.print({ file, count: r.count }, () => `Exported ${r.count} draft(s) to ${file}${o.includeSecrets ? ' (WITH secrets: keep this file safe)' : ''}.`);
    });

  program
    .command('import <file>')
    .description('import drafts from a bundle (matching drafts get a new version)')
    .action(async (file: string) => {
      let text: string;
      try {
        text = readFileSync(file === '-' ? 0 : file, 'utf8');
      } catch (e) {
        throw new CliExit(EXIT_USAGE, `Cannot read ${file}: ${(e as Error).message}`);
      }
      const r = await rt.call('bundle.import', { text });
      rt.print(r, () =>
        [
          `Imported: ${r.created.length} created, ${r.updated.length} updated, ${r.unchanged.length} unchanged.`,
          ...(r.skippedTargets.length ? [`${r.skippedTargets.length} target(s) not added:`, ...r.skippedTargets.map((t) => `  ${t.draft} → ${t.cluster} ${t.scope}: ${t.reason}`)] : []),
        ].join('\n'),
      );
      // The drafts are in; a target left out still needs a person (exit 1, like a blocked plan).
      if (r.skippedTargets.length) process.exitCode = 1;
    });

  program
    .command('migrate')
    .description('copy a resource to another cluster/scope as a draft bound there, and list the numbers that used it')
    .requiredOption('--from <cluster:scope:id>', 'source resource (SCOPE is an account id or global)')
    .requiredOption('--to <cluster:scope>', 'destination')
    .option('--dry-run', 'only show the plan; create nothing')
    .option('--name <name>', 'name of the new draft (and resource)')
    .option('--make-list <name>', 'also make a number list of the numbers that used the resource')
    .action(async (o: { from: string; to: string; dryRun?: boolean; name?: string; makeList?: string }) => {
      const [fc, fs, fid] = o.from.split(':');
      const [tc, ts] = o.to.split(':');
      if (!fc || !fs || !fid) throw new CliExit(EXIT_USAGE, `--from needs CLUSTER:SCOPE:ID (got '${o.from}').`);
      if (!tc || !ts) throw new CliExit(EXIT_USAGE, `--to needs CLUSTER:SCOPE (got '${o.to}').`);
      const r = await rt.call('migrate.run', {
        from: { cluster: fc, scope: fs, id: fid }, to: { cluster: tc, scope: ts }, dryRun: o.dryRun === true,
        ...(o.name ? { name: o.name } : {}), ...(o.makeList ? { makeList: o.makeList } : {}),
      });
      rt.print(r, (m: MigrateResult) =>
        [
          m.dryRun ? `Dry run: nothing was created. Source: ${m.source.name} (${m.source.cluster} ${scopeText(m.source.scope)}).` : `Created draft ${m.draft?.name} (${m.draft?.id}) targeting ${tc} ${scopeText(ts)}. Apply it with: carrier-desk apply --draft "${m.draft?.name}"`,
          m.plan ? planText(m.plan, true) : '',
          `Numbers using it on the source: ${m.numbers.length}${m.numbers.length ? '\n  ' + m.numbers.join('\n  ') : ''}`,
          m.unreadNumbers?.length ? `Could not read ${m.unreadNumbers.length} number(s), so whether they use it is unknown; run migrate again when the cluster answers:\n  ${m.unreadNumbers.join('\n  ')}` : '',
          m.numberList ? ('error' in m.numberList ? `Number list not made: ${m.numberList.error}` : `Number list ${m.numberList.name}: ${m.numberList.count} number(s).`) : '',
        ].filter(Boolean).join('\n\n'),
      );
      if (planBlocked(r) || r.unreadNumbers?.length) process.exitCode = 1;
    });
}

function planBlocked(r: MigrateResult): boolean {
  return !!r.plan && (r.plan.summary.blocked > 0 || r.plan.summary.conflict > 0);
}
