// CLI: `matrix [--refresh]`: the carriers × clusters Overview with the same states as the app; --refresh reads every
// pulled scope again first and says which clusters could not be read; --json gives each cell, a drifted one with its
// `changes` (last applied → the cluster now).
import type { Command } from 'commander';
import { EXIT_FAILED, table, type CliRuntime } from '../runtime.ts';
import type { MatrixView } from '../../shared/contract/sync.ts';
import { changeLines } from './sync.ts';

const when = (ms: number | undefined) => (ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : 'never');
const scopeShort = (s: string) => (s === 'global' ? 'global' : s.slice(0, 8));

export function matrixText(v: MatrixView): string {
  const out: string[] = [];
  if (v.refresh) {
    const ok = v.refresh.clusters.filter((c) => c.ok);
    if (ok.length) out.push(`Read again: ${ok.map((c) => `${c.clusterName} (${c.scopes} scope${c.scopes === 1 ? '' : 's'})`).join(', ')}.`);
    for (const c of v.refresh.clusters.filter((x) => !x.ok)) out.push(`Could not read ${c.clusterName}: ${c.error?.message ?? 'no answer'} Its cells show what was stored before (see "as of").`);
  }
  if (v.rows.length === 0) return [...out, 'No drafts and no pulled carriers yet: pull a cluster or create a draft.'].join('\n');
  const header = ['CARRIER', ...v.columns.map((c) => `${c.clusterName}/${scopeShort(c.scope)}${c.unreadable ? ` (${c.unreadable})` : ''}`)];
  out.push(table(v.rows.map((r) => [r.draftId ? r.name : `${r.name} (no draft)`, ...v.columns.map((c) => `${r.cells[c.key]!.label}${r.cells[c.key]!.stale ? '*' : ''}`)]), header));
  const unread = v.columns.filter((c) => c.unreadable);
  if (unread.length) out.push(`* as of the last read of a cluster that cannot be read now: ${unread.map((c) => `${c.clusterName}/${scopeShort(c.scope)} as of ${when(c.readAt)}`).join(', ')}.`);
  // What a table cell cannot hold: what drifted, and carriers a target would meet instead of creating them.
  for (const r of v.rows) {
    for (const c of v.columns) {
      const cell = r.cells[c.key]!;
      const where = `${r.name} on ${c.clusterName} ${c.scope === 'global' ? 'global' : `account ${c.scope}`}`;
      if (cell.changes?.length) {
        out.push('', `${where}: ${cell.label} (as of ${when(cell.asOf)})`);
        for (const ch of cell.changes) out.push(...changeLines(ch));
      } else if (cell.state === 'exists-unbound') {
        const at = `"${r.name}" ${c.clusterName} ${c.scope === 'global' ? '--global' : `--account ${c.scope}`}`;
        out.push('', `${where}: ${cell.detail}`, `    Bind it: carrier-desk targets add ${at} --resource-id ${cell.resourceId}    (or make a second one: --create-anyway)`);
      }
    }
  }
  return out.join('\n');
}

export function registerMatrixCommand(program: Command, rt: CliRuntime): void {
  program
    .command('matrix')
    .description('carriers × clusters overview: every draft and every pulled carrier, per cluster and scope')
    .option('--refresh', 'read every pulled scope from the clusters again first (conditional reads, as pull)')
    .action(async (o: { refresh?: boolean }) => {
      const m = await rt.call('sync.matrix', { refresh: o.refresh === true });
      rt.print(m, matrixText);
      if (m.refresh?.clusters.some((c) => !c.ok)) process.exitCode = EXIT_FAILED;
    });
}
