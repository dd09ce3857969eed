// CLI: `drafts create|edit|list|show|history|restore|rm|mark-delete|validate` and `targets add|rm`.
import { withCliHint } from '../../shared/hints.ts';
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { CliExit, collect, EXIT_USAGE, table, type CliRuntime } from '../runtime.ts';
import type { DraftSummary, DraftVersionView, DraftView, ExistingCarrierView, Issue, TargetNotice, TargetsAdded, ValidationReport } from '../../shared/contract/sync.ts';
import { parseValueText } from '../../core/drafts/doc-path.ts';
import { readJson } from '../../shared/json-limits.ts';
import { MISSING_SECRET_RULES } from '../../core/drafts/local-checks.ts';

/** Largest JSON file a command reads (a resource document or a saved plan is a few KB to a few MB). */
const MAX_FILE_CHARS = 64 * 1024 * 1024;

export interface ScopeOptions {
  account?: string;
  global?: boolean;
}

/** --account ID | --global → the scope string; `required` makes one of them mandatory. */
export function scopeOption(o: ScopeOptions, required: boolean): string | undefined {
  if (o.account && o.global) throw new CliExit(EXIT_USAGE, 'Use either --account ID or --global, not both.');
  if (o.global) return 'global';
  if (o.account) return o.account;
  if (required) throw new CliExit(EXIT_USAGE, 'Give the scope: --account ID or --global.');
  return undefined;
}

export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (e) {
    throw new CliExit(EXIT_USAGE, `Cannot read ${what} ${path}: ${(e as Error).message}`);
  }
  const read = readJson(text, { what: `${path === '-' ? 'Standard input' : path} (${what})`, maxChars: MAX_FILE_CHARS });
  if (!read.ok) throw new CliExit(EXIT_USAGE, read.message);
  return read.value;
}

/** 'a.b=1' → {path, value} (value parsed as JSON when it parses, else text). */
function parseSet(item: string): { path: string; value: unknown } {
  const i = item.indexOf('=');
  if (i <= 0) throw new CliExit(EXIT_USAGE, `--set needs path=value (got '${item}'), e.g. --set gateways.0.server=sip.example.com`);
  return { path: item.slice(0, i).trim(), value: parseValueText(item.slice(i + 1)) };
}

function addedText(r: TargetsAdded, scope: string): string {
  const lines = [`${r.draft.name}: ${r.added.length} target(s) added${r.added.length ? ` (${r.added.join(', ')})` : ''}.`];
  if (r.already.length) lines.push(`Already targeted, left as they are: ${r.already.join(', ')}.`);
  lines.push(targetsText(r.draft));
  for (const n of r.notices) {
    lines.push('', `${n.cluster}: ${n.notice.message}`);
    if (n.notice.kind === 'exists') lines.push(...bindHints(r.draft.name, n.cluster, scope, n.notice.existing));
  }
  return lines.join('\n');
}

function targetsText(d: DraftSummary): string {
  if (d.targets.length === 0) return '  targets: none (add one with: carrier-desk targets add DRAFT CLUSTER --global | --account ID)';
  return d.targets
    .map((t) => `  → ${t.clusterName}/${t.scope}  ${t.state.label}${t.onCluster ? `  id ${t.remoteId}` : t.remoteId ? '  (will be created)' : ''}${t.baseRevision ? `  rev ${t.baseRevision}` : ''}${t.state.detail ? `\n      ${t.state.detail}` : ''}`)
    .join('\n');
}

export function draftText(d: DraftView): string {
  return `${d.name}  (draft ${d.id}, version ${d.version}${d.markedForDelete ? ', MARKED FOR DELETION' : ''})\n${targetsText(d)}\n${JSON.stringify(d.doc, null, 2)}`;
}

/** The CLI's words for fixing an issue, where there are some (a secret to enter again: shared/hints.ts). */
export function issueHint(i: Issue, draft = 'DRAFT'): string {
  return MISSING_SECRET_RULES.has(i.rule) ? ` ${withCliHint('', 'secret_missing', { PATH: i.path, DRAFT: JSON.stringify(draft) }).trim()}` : '';
}

function issueLine(i: Issue, draft?: string): string {
  return `  ${i.severity === 'error' ? 'ERROR' : 'warn '} ${i.path || '(document)'}: ${i.message}${issueHint(i, draft)}`;
}

export function validationText(r: ValidationReport, draft?: string): string {
  const line = (i: Issue) => issueLine(i, draft);
  const lines = [r.ok ? 'Valid.' : 'Not valid.'];
  if (r.local.length) lines.push('Local checks:', ...r.local.map(line));
  for (const t of r.targets) {
    lines.push(`${t.clusterName}/${t.scope} (schema: ${t.schemaSource}): ${t.errors.length ? `${t.errors.length} error(s)` : 'ok'}`);
    lines.push(...t.errors.map(line), ...t.warnings.map(line));
    if (t.online) lines.push('skipped' in t.online ? `  online check skipped: ${t.online.skipped}` : t.online.ok ? '  online check: ok' : '  online check:', ...('errors' in t.online ? t.online.errors.map(line) : []));
  }
  return lines.join('\n');
}

export function registerDraftCommands(program: Command, rt: CliRuntime): void {
  const drafts = program.command('drafts').description('offline drafts of carriers (resources)');

  drafts
    .command('create')
    .description('create a draft: blank, from a JSON file, or from a pulled resource (CLUSTER:SCOPE:ID, then bound to it)')
    .option('--name <name>', 'draft name (default: the resource name)')
    .option('--file <file>', 'JSON document of the resource ("-" for standard input)')
    .option('--from <cluster:scope:id>', 'copy a pulled resource (SCOPE is an account id or global)')
    .option('--no-bind', 'with --from: do not bind the draft to that resource (a copy for another cluster)')
    .action(async (o: { name?: string; file?: string; from?: string; bind: boolean }) => {
      if (o.file && o.from) throw new CliExit(EXIT_USAGE, 'Use either --file or --from, not both.');
      let from: { kind: 'blank' } | { kind: 'json'; doc: Record<string, unknown> } | { kind: 'snapshot'; cluster: string; scope: string; id: string; bind: boolean } = { kind: 'blank' };
      if (o.file) {
        const doc = readJsonFile(o.file, 'resource document');
        const body = doc && typeof doc === 'object' && !Array.isArray(doc) && 'data' in doc && typeof (doc as { data: unknown }).data === 'object' ? (doc as { data: unknown }).data : doc;
        if (!body || typeof body !== 'object' || Array.isArray(body)) throw new CliExit(EXIT_USAGE, `${o.file} must hold one JSON object (a resource).`);
        from = { kind: 'json', doc: body as Record<string, unknown> };
      } else if (o.from) {
        const [cluster, scope, id] = o.from.split(':');
        if (!cluster || !scope || !id) throw new CliExit(EXIT_USAGE, `--from needs CLUSTER:SCOPE:ID (got '${o.from}').`);
        from = { kind: 'snapshot', cluster, scope, id, bind: o.bind };
      }
      const d = await rt.call('drafts.create', { ...(o.name ? { name: o.name } : {}), from });
      rt.print(d, (v: DraftView) => `Created draft ${v.name} (${v.id}).\n${targetsText(v)}`);
    });

  drafts
    .command('edit <draft>')
    .description('save a new version: the whole document from --file, or fields with --set path=value / --unset path')
    .option('--file <file>', 'the whole document ("-" for standard input)')
    .option('--set <path=value>', 'set a field, e.g. gateways.1.server=sip2.example.com (repeatable; JSON values allowed)', collect)
    .option('--unset <path>', 'remove a field (repeatable)', collect)
    .option('--note <text>', 'note kept with the version')
    .action(async (draft: string, o: { file?: string; set?: string[]; unset?: string[]; note?: string }) => {
      if (o.file && (o.set?.length || o.unset?.length)) throw new CliExit(EXIT_USAGE, 'Use either --file or --set/--unset, not both.');
      let d: DraftView;
      if (o.file) {
        const doc = readJsonFile(o.file, 'resource document');
        if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new CliExit(EXIT_USAGE, `${o.file} must hold one JSON object.`);
        d = await rt.call('drafts.save', { draft, doc: doc as Record<string, unknown>, ...(o.note ? { note: o.note } : {}) });
      } else {
        if (!o.set?.length && !o.unset?.length) throw new CliExit(EXIT_USAGE, 'Give --file FILE, or --set path=value / --unset path.');
        d = await rt.call('drafts.edit', { draft, set: (o.set ?? []).map(parseSet), unset: o.unset ?? [], ...(o.note ? { note: o.note } : {}) });
      }
      rt.print(d, (v: DraftView) => `Saved ${v.name} as version ${v.version}.`);
    });

  drafts
    .command('list')
    .description('list drafts with their targets')
    .action(async () => {
      const list = await rt.call('drafts.list', {});
      rt.print(list, (l: DraftSummary[]) =>
        l.length === 0
          ? 'No drafts yet. Create one with: carrier-desk drafts create --name NAME (or --file FILE, or --from CLUSTER:SCOPE:ID)'
          : table(
              l.map((d) => [d.name, String(d.version), d.markedForDelete ? 'delete' : '', d.targets.map((t) => `${t.clusterName}/${t.scope === 'global' ? 'global' : t.scope.slice(0, 8)}: ${t.state.label}`).join('; '), d.id]),
              ['NAME', 'VERSION', 'MARK', 'TARGETS', 'ID'],
            ),
      );
    });

  drafts
    .command('show <draft>')
    .description("show a draft (secrets as '***' unless --show-secrets; saving a masked copy back keeps them)")
    .option('--version <n>', 'an older version', (v) => Number.parseInt(v, 10))
    .option('--show-secrets', 'print gateway passwords in clear')
    .action(async (draft: string, o: { version?: number; showSecrets?: boolean }) => {
      const d = await rt.call('drafts.get', { draft, ...(o.version ? { version: o.version } : {}), showSecrets: o.showSecrets === true });
      rt.print(d, draftText);
    });

  drafts
    .command('history <draft>')
    .description('list the saved versions of a draft')
    .action(async (draft: string) => {
      const h = await rt.call('drafts.history', { draft });
      rt.print(h, (l: DraftVersionView[]) => table(l.map((v) => [String(v.version), new Date(v.savedAt).toISOString(), v.hash.slice(0, 12), v.note]), ['VERSION', 'SAVED', 'HASH', 'NOTE']));
    });

  drafts
    .command('restore <draft> <version>')
    .description('save an older version as the newest one')
    .action(async (draft: string, version: string) => {
      const n = Number.parseInt(version, 10);
      if (!Number.isInteger(n) || n < 1) throw new CliExit(EXIT_USAGE, `VERSION must be a positive number (got '${version}').`);
      const d = await rt.call('drafts.restore', { draft, version: n });
      rt.print(d, (v: DraftView) => `Restored version ${n} of ${v.name} as version ${v.version}.`);
    });

  drafts
    .command('rm <draft>')
    .description('remove a draft and its targets from this machine (nothing is deleted on the clusters)')
    .action(async (draft: string) => {
      const r = await rt.call('drafts.remove', { draft });
      rt.print(r, () => `Removed draft ${r.removed}.`);
    });

  drafts
    .command('mark-delete <draft>')
    .description('mark a draft so the next apply deletes its resource on every target')
    .option('--undo', 'remove the mark')
    .action(async (draft: string, o: { undo?: boolean }) => {
      const d = await rt.call('drafts.markDelete', { draft, deleted: !o.undo });
      rt.print(d, (v: DraftView) => (v.markedForDelete ? `${v.name} will be deleted on its targets at the next apply.` : `${v.name} is no longer marked for deletion.`));
    });

  drafts
    .command('validate <draft>')
    .description("check a draft against each target cluster's schema and the local rules checks")
    .option('--online', "also ask each cluster (PUT /v2/schemas/resources/validation)")
    .action(async (draft: string, o: { online?: boolean }) => {
      const r = await rt.call('drafts.validate', { draft, online: o.online === true });
      rt.print(r, (v: ValidationReport) => validationText(v, draft));
      if (!r.ok) process.exitCode = 1;
    });

  const targets = program.command('targets').description('where a draft is applied: cluster + account, or cluster + global');
  targets
    .command('add <draft> [clusters...]')
    .description('add a target to a draft: one cluster, several (same scope on each), or --all-clusters')
    .option('--account <id>', 'the account (32-hex id)')
    .option('--global', 'the global (offnet) resources (super-duper admin only)')
    .option('--resource-id <id>', 'bind to the carrier with this id that is already there (also on a target added before: it then updates that carrier; one cluster only)')
    .option('--create-anyway', 'create a second carrier even where one of the same name already is')
    .option('--all-clusters', 'on every cluster (those the draft already targets there are left as they are)')
    .action(async (draft: string, names: string[], o: ScopeOptions & { resourceId?: string; createAnyway?: boolean; allClusters?: boolean }) => {
      const scope = scopeOption(o, true)!;
      if (o.resourceId && o.createAnyway) throw new CliExit(EXIT_USAGE, 'Use either --resource-id (update the carrier that is there) or --create-anyway (make a second one).');
      if (o.allClusters && names.length > 0) throw new CliExit(EXIT_USAGE, 'Name clusters or use --all-clusters, not both.');
      if (!o.allClusters && names.length === 0) throw new CliExit(EXIT_USAGE, 'Name a cluster (or several), or use --all-clusters.');
      if (o.allClusters || names.length > 1) {
        if (o.resourceId) throw new CliExit(EXIT_USAGE, '--resource-id binds one target: name one cluster.');
        const r = await rt.call('targets.addMany', {
          draft, scope, ...(o.allClusters ? { allClusters: true as const } : { clusters: names }), ...(o.createAnyway ? { createAnyway: true } : {}),
        });
        rt.print(r, (v: TargetsAdded) => addedText(v, scope));
        return;
      }
      const cluster = names[0]!;
      const d = await rt.call('targets.add', { draft, cluster, scope, ...(o.resourceId ? { resourceId: o.resourceId } : {}), ...(o.createAnyway ? { createAnyway: true } : {}) });
      rt.print(d, (v: DraftView & { notice?: TargetNotice }) => {
        const lines = [`${v.name}:`, targetsText(v)];
        if (v.notice) lines.push('', v.notice.message);
        if (v.notice?.kind === 'exists') lines.push(...bindHints(v.name, cluster, scope, v.notice.existing));
        return lines.join('\n');
      });
    });
  targets
    .command('rm <draft> <cluster>')
    .description('remove a target (nothing is deleted on the cluster)')
    .option('--account <id>', 'the account (32-hex id)')
    .option('--global', 'the global resources')
    .action(async (draft: string, cluster: string, o: ScopeOptions) => {
      const d = await rt.call('targets.remove', { draft, cluster, scope: scopeOption(o, true)! });
      rt.print(d, (v: DraftView) => `${v.name}:\n${targetsText(v)}`);
    });
}

/** The commands that settle a target held back because its scope already has a carrier of the same name. */
export function bindHints(draft: string, cluster: string, scope: string, existing: ExistingCarrierView[]): string[] {
  const where = `${JSON.stringify(draft)} ${cluster} ${scope === 'global' ? '--global' : `--account ${scope}`}`;
  return [
    ...existing.filter((e) => !e.boundTo).map((e) => `  update '${e.name}' instead:  carrier-desk targets add ${where} --resource-id ${e.id}`),
    `  or create a second carrier:  carrier-desk targets add ${where} --create-anyway`,
  ];
}
