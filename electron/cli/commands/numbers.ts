// CLI: `numbers import FILE --list NAME [--country US] [--column N]`, `numbers list|show|export|rm|edit`.
import type { Command } from 'commander';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliExit, EXIT_USAGE, table, type CliRuntime } from '../runtime.ts';
import type { NumberListView, NumberRowsPage } from '../../shared/contract/numbers.ts';

function intOpt(v: string | undefined, what: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new CliExit(EXIT_USAGE, `${what} must be a whole number (got '${v}').`);
  return n;
}

export function describeList(l: NumberListView): string {
  return [
    `${l.name}  (${l.state}${l.error ? `: ${l.error}` : ''})`,
    `  source: ${l.source}${l.column ? `, column ${l.column}` : ''}${l.hasHeader ? ', with header' : ''}`,
    `  default country: ${l.defaultCountry}`,
    `  rows: ${l.total}  valid: ${l.valid}  invalid: ${l.invalid}  duplicates: ${l.duplicate}`,
  ].join('\n');
}

export function registerNumberCommands(program: Command, rt: CliRuntime): void {
  const numbers = program.command('numbers').description('number lists: import, inspect, export, remove');

  numbers
    .command('import <file>')
    .description('import a CSV/TSV/text file of phone numbers as a new list ("-" reads standard input)')
    .requiredOption('--list <name>', 'name of the new list')
    .option('--country <cc>', 'default country for numbers without +country code', 'US')
    .option('--column <n>', 'column holding the numbers (1-based; detected when omitted)')
    .option('--header', 'the first row is a header')
    .option('--no-header', 'the first row is data')
    .action(async (file: string, o: { list: string; country: string; column?: string; header?: boolean }) => {
      const column = intOpt(o.column, '--column');
      if (column === 0) throw new CliExit(EXIT_USAGE, '--column counts from 1.');
      const source = file === '-' ? { text: readFileSync(0, 'utf8') } : { path: file };
      let lastLine = 0;
      const off = rt.getCore().events.subscribe((m) => {
        if (m.event !== 'numbers.importProgress' || rt.json || !process.stderr.isTTY) return;
        const p = m.payload as { total: number; bytes?: number; totalBytes?: number };
        const now = Date.now();
        if (now - lastLine < 500) return;
        lastLine = now;
        const pct = p.totalBytes ? ` (${Math.round(((p.bytes ?? 0) * 100) / p.totalBytes)}%)` : '';
        process.stderr.write(`\rimporting: ${p.total} rows${pct}   `);
      });
      try {
        const h = await rt.call('numbers.import', {
          name: o.list,
          ...source,
          country: o.country,
          ...(column !== undefined ? { column } : {}),
          ...(o.header !== undefined ? { hasHeader: o.header } : {}),
          wait: true,
        });
        if (!rt.json && process.stderr.isTTY) process.stderr.write('\n');
        rt.print(h.list, (l: NumberListView) => `Imported list ${l.name}.\n${describeList(l)}`);
        if (h.list?.state !== 'ready') process.exitCode = 1;
      } finally {
        off();
      }
    });

  numbers
    .command('list')
    .description('list the number lists')
    .action(async () => {
      const lists = await rt.call('numbers.lists', {});
      rt.print(lists, (l: NumberListView[]) =>
        l.length === 0
          ? 'No number lists yet. Import one with: carrier-desk numbers import FILE --list NAME'
          : table(
              l.map((x) => [x.name, x.state, String(x.total), String(x.valid), String(x.invalid), String(x.duplicate), x.defaultCountry]),
              ['NAME', 'STATE', 'ROWS', 'VALID', 'INVALID', 'DUPLICATES', 'COUNTRY'],
            ),
      );
    });

  numbers
    .command('show <list>')
    .description('show a list and its rows')
    .option('--verdict <v>', 'only rows with this verdict: valid, invalid or duplicate')
    .option('--offset <n>', 'first row to show', '0')
    .option('--limit <n>', 'how many rows to show', '50')
    .action(async (list: string, o: { verdict?: string; offset: string; limit: string }) => {
      if (o.verdict && !['valid', 'invalid', 'duplicate'].includes(o.verdict)) throw new CliExit(EXIT_USAGE, '--verdict must be valid, invalid or duplicate.');
      const view = await rt.call('numbers.get', { list });
      const page = await rt.call('numbers.rows', {
        list,
        offset: intOpt(o.offset, '--offset') ?? 0,
        limit: Math.max(1, intOpt(o.limit, '--limit') ?? 50),
        ...(o.verdict ? { verdict: o.verdict as 'valid' } : {}),
      });
      rt.print({ list: view, rows: page }, (v: { list: NumberListView; rows: NumberRowsPage }) =>
        `${describeList(v.list)}\n\n` +
        table(
          v.rows.rows.map((r) => [String(r.line), r.raw, r.e164 ?? '', r.verdict, r.reason ?? (r.duplicateOfLine ? `duplicate of line ${r.duplicateOfLine}` : '')]),
          ['LINE', 'RAW', 'E164', 'VERDICT', 'WHY'],
        ) +
        `\n(${v.rows.offset + v.rows.rows.length} of ${v.rows.total})`,
      );
    });

  numbers
    .command('export <list>')
    .description('write the list as CSV (all rows, or only the invalid ones)')
    .option('--invalid', 'only the invalid rows')
    .option('-o, --output <file>', 'file to write (default: standard output)')
    .action(async (list: string, o: { invalid?: boolean; output?: string }) => {
      const only = o.invalid ? 'invalid' : 'all';
      if (o.output) {
        const r = await rt.call('numbers.export', { list, path: o.output, only });
        rt.print(r, () => `Wrote ${r.rows} rows to ${r.path}.`);
        return;
      }
      const dir = mkdtempSync(join(tmpdir(), 'carrier-desk-export-'));
      try {
        const path = join(dir, 'export.csv');
        await rt.call('numbers.export', { list, path, only });
        process.stdout.write(readFileSync(path));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

  numbers
    .command('edit <list>')
    .description('add or remove rows, or change the default country (verdicts are recomputed)')
    .option('--add <numbers...>', 'raw values to add')
    .option('--remove-line <lines...>', 'source line numbers to remove')
    .option('--country <cc>', 'new default country')
    .action(async (list: string, o: { add?: string[]; removeLine?: string[]; country?: string }) => {
      const removeLines = (o.removeLine ?? []).map((l) => intOpt(l, '--remove-line') ?? 0);
      const view = await rt.call('numbers.editRows', { list, add: o.add ?? [], removeLines, ...(o.country ? { country: o.country } : {}) });
      rt.print(view, describeList);
    });

  numbers
    .command('rm <list>')
    .description('remove a list')
    .action(async (list: string) => {
      const r = await rt.call('numbers.remove', { list });
      rt.print(r, () => `Removed list ${r.removed}.`);
    });
}
