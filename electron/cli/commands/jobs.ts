// CLI: `jobs submit --list NAME --cluster C (--account ID | --global) --resource RID [--chunk N] [--yes]`,
// `jobs list|show|retry|resubmit-remainder|cancel|batches`.
import type { Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { CliExit, EXIT_USAGE, table, type CliRuntime } from '../runtime.ts';
import type { BatchView, JobDetail, JobView, Preflight } from '../../shared/contract/jobs.ts';
import { watchJobs } from './watch.ts';
import { count } from '../../shared/plural.ts';
import { finishedOutcome } from '../../shared/job-outcome.ts';
import { withCliHint } from '../../shared/hints.ts';

function int(v: string | undefined, what: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new CliExit(EXIT_USAGE, `${what} must be a whole number of at least 1 (got '${v}').`);
  return n;
}

export function describePreflight(p: Preflight): string {
  const lines = [
    p.summary,
    `  list: ${p.list.name} (${p.list.valid} valid, ${p.list.invalid} invalid, ${count(p.list.duplicate, 'duplicate')})`,
    `  cluster: ${p.cluster.name}, ${p.scope.label}`,
    `  resource: ${p.resource.id}${p.resource.name ? ` (${p.resource.name})` : ''}: found`,
    `  already on the cluster: ${p.alreadyPresent === null ? 'not checked' : p.alreadyPresent}${p.alreadyPresentSample.length ? ` e.g. ${p.alreadyPresentSample.slice(0, 3).join(', ')}` : ''}${p.alreadyPresent && p.willSkipPresent ? ' (skipped)' : ''}`,
    `  to send: ${count(p.toSubmit, 'number')} in ${count(p.jobs, 'job')} of up to ${p.chunkSize}`,
  ];
  for (const w of p.warnings) lines.push(`  note: ${w}`);
  if (p.skippedInvalid) lines.push(`  ${withCliHint('', 'export_invalid', { LIST: p.list.name }).trim()}`);
  return lines.join('\n');
}

export function jobRow(j: JobView): string[] {
  return [j.id.slice(0, 8), j.kind === 'chunk' ? `#${j.seq}` : `#${j.seq} ${j.kind}`, j.state, `${j.done}/${j.total}`, String(j.successes), String(j.failures), j.remoteId ?? '', j.note ?? j.lastError ?? ''];
}
const JOB_HEADER = ['ID', 'JOB', 'STATE', 'DONE', 'OK', 'FAILED', 'REMOTE ID', 'NOTE'];

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new CliExit(EXIT_USAGE, 'Nothing was sent: add --yes to submit without a question (standard input is not a terminal).');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

interface SubmitOptions {
  list: string;
  cluster: string;
  account?: string;
  global?: boolean;
  resource: string;
  chunk?: string;
  yes?: boolean;
  checkExisting: boolean;
  includePresent?: boolean;
  watch?: boolean;
}

export function registerJobCommands(program: Command, rt: CliRuntime): void {
  const jobs = program.command('jobs').description('bulk number imports: submit a list as jobs and follow them');

  jobs
    .command('submit')
    .description('check, then submit a number list to a cluster as jobs (the watcher sends and tracks them)')
    .requiredOption('--list <name>', 'number list to send')
    .requiredOption('--cluster <name>', 'cluster profile')
    .option('--account <id>', 'target account id (numbers are assigned to it; account resource)')
    .option('--global', 'global resource: numbers are imported INTO THE MASTER ACCOUNT')
    .requiredOption('--resource <id>', 'resource (carrier) id in that scope')
    .option('--chunk <n>', 'numbers per job (default: setting jobs.chunkSize or 500)')
    .option('--yes', 'do not ask for confirmation')
    .option('--no-check-existing', 'do not look up numbers already on the cluster')
    .option('--include-present', 'also send numbers already on the cluster (they fail with number_exists)')
    .option('--watch', 'keep running until the jobs are finished (like `watch --until-idle`)')
    .action(async (o: SubmitOptions) => {
      if (o.account && o.global) throw new CliExit(EXIT_USAGE, 'Use either --account ID or --global, not both.');
      if (!o.account && !o.global) throw new CliExit(EXIT_USAGE, 'Say where the numbers go: --account ID, or --global (imports into the master account).');
      const chunkSize = int(o.chunk, '--chunk');
      const target = {
        list: o.list,
        cluster: o.cluster,
        ...(o.account ? { account: o.account } : {}),
        global: o.global === true,
        resource: o.resource,
        ...(chunkSize ? { chunkSize } : {}),
        checkExisting: o.checkExisting,
        skipPresent: !o.includePresent,
      };
      if (!o.yes) {
        const pf = await rt.call('jobs.preflight', target);
        process.stderr.write(describePreflight(pf) + '\n');
        if (pf.toSubmit === 0) throw new CliExit(1, 'Nothing to send.');
        if (!(await confirm('Submit? [y/N] '))) throw new CliExit(1, 'Nothing was sent.');
      }
      const r = await rt.call('jobs.submit', target);
      rt.print(r, (v: { batch: BatchView; preflight: Preflight; jobs: JobView[] }) =>
        `${describePreflight(v.preflight)}\nBatch ${v.batch.id}: ${count(v.jobs.length, 'job')} queued.` +
        (o.watch ? '' : '\nRun `carrier-desk watch` (or keep the app open) to send and track them.'),
      );
      if (o.watch) await watchJobs(rt, { untilIdle: true });
    });

  jobs
    .command('list')
    .description('list jobs (newest first)')
    .option('--batch <id>', 'only the jobs of this batch')
    .option('--active', 'only unfinished jobs')
    .action(async (o: { batch?: string; active?: boolean }) => {
      const list = await rt.call('jobs.list', { ...(o.batch ? { batch: o.batch } : {}), active: o.active === true });
      rt.print(list, (l: JobView[]) => (l.length ? table(l.map(jobRow), JOB_HEADER) : 'No jobs.'));
    });

  jobs
    .command('batches')
    .description('list submissions with per-number totals')
    .action(async () => {
      const list = await rt.call('jobs.batches', {});
      rt.print(list, (l: BatchView[]) =>
        l.length
          ? table(
              l.map((b) => [
                b.id.slice(0, 8), b.listName, b.scope.kind === 'global' ? 'global' : (b.scope.accountId ?? ''), String(b.jobs), String(b.totalNumbers),
                String(b.succeeded), String(b.failed), String(b.cancelled), String(b.pending),
                b.pending > 0 ? 'in progress' : finishedOutcome({ imported: b.succeeded, failed: b.failed, cancelled: b.cancelled }).label,
              ]),
              ['BATCH', 'LIST', 'TARGET', 'JOBS', 'NUMBERS', 'OK', 'FAILED', 'CANCELLED', 'PENDING', 'STATUS'],
            )
          : 'No submissions yet.',
      );
    });

  jobs
    .command('show <job>')
    .description('show a job (id, tag or remote id) with its numbers')
    .option('--outcome <o>', 'only numbers with this outcome: pending, success, failed, moved, cancelled')
    .option('--offset <n>', 'first number to show', '0')
    .option('--limit <n>', 'how many numbers to show', '50')
    .action(async (job: string, o: { outcome?: string; offset: string; limit: string }) => {
      if (o.outcome && !['pending', 'success', 'failed', 'moved', 'cancelled'].includes(o.outcome)) throw new CliExit(EXIT_USAGE, '--outcome must be pending, success, failed, moved or cancelled.');
      const d = await rt.call('jobs.get', { job, offset: Number(o.offset) || 0, limit: int(o.limit, '--limit') ?? 50, ...(o.outcome ? { outcome: o.outcome as 'failed' } : {}) });
      rt.print(d, (v: JobDetail) => {
        const j = v.job;
        const head = [
          `${j.name}`,
          `  id: ${j.id}  tag: ${j.tag}  remote: ${j.remoteId ?? '(not yet)'}`,
          `  state: ${j.state}${j.remoteStatus ? ` (cluster says ${j.remoteStatus})` : ''}, ${j.scope.label}, resource ${j.resourceId}`,
          `  done ${j.done}/${j.total}: ${j.successes} ok, ${j.failures} failed${j.moved ? `, ${j.moved} moved to a remainder job` : ''}${j.cancelled ? `, ${j.cancelled} cancelled before sending` : ''}`,
          ...(j.note ? [`  note: ${j.note}`] : []),
          ...(j.lastError ? [`  last error: ${j.lastError}`] : []),
          ...v.children.map((c) => `  follow-up: ${c.kind} job ${c.id} (${c.state}, ${c.total} numbers)`),
        ];
        const rows = table(
          v.numbers.rows.map((n) => [n.number, n.outcome, n.state ?? '', n.carrierModule ?? '', n.reason ?? '', n.nextJobId ? `→ ${n.nextJobId.slice(0, 8)}` : '']),
          ['NUMBER', 'OUTCOME', 'STATE', 'MODULE', 'REASON', ''],
        );
        return `${head.join('\n')}\n\n${rows}\n(${v.numbers.offset + v.numbers.rows.length} of ${v.numbers.total})`;
      });
    });

  jobs
    .command('retry [job]')
    .description('resubmit failed numbers as new jobs (number_exists is left out unless --include-existing)')
    .option('--batch <id>', 'every finished job of this batch')
    .option('--include-existing', 'also retry numbers that failed with number_exists')
    .action(async (job: string | undefined, o: { batch?: string; includeExisting?: boolean }) => {
      if (!job && !o.batch) throw new CliExit(EXIT_USAGE, 'Give a job id, or --batch ID.');
      const created = await rt.call('jobs.retryFailed', { ...(job ? { job } : {}), ...(o.batch ? { batch: o.batch } : {}), includeExisting: o.includeExisting === true });
      rt.print(created, (l: JobView[]) => `${l.length} retry job(s) queued.\n${table(l.map(jobRow), JOB_HEADER)}`);
    });

  jobs
    .command('resubmit-remainder <job>')
    .description('send the numbers of a stalled job that have no result as a new linked job')
    .option('--force', 'also for a job that still looks alive (its numbers may then fail with number_exists)')
    .action(async (job: string, o: { force?: boolean }) => {
      const j = await rt.call('jobs.resubmitRemainder', { job, force: o.force === true });
      rt.print(j, (v: JobView) => `Remainder queued as job ${v.id} (${v.total} numbers).`);
    });

  jobs
    .command('cancel [job]')
    .description('stop sending the not-yet-submitted jobs (jobs already on the cluster stay tracked)')
    .option('--batch <id>', 'every queued job of this batch')
    .action(async (job: string | undefined, o: { batch?: string }) => {
      if (!job && !o.batch) throw new CliExit(EXIT_USAGE, 'Give a job id, or --batch ID.');
      const r = await rt.call('jobs.cancel', { ...(job ? { job } : {}), ...(o.batch ? { batch: o.batch } : {}) });
      rt.print(r, () => `Cancelled ${r.cancelled} queued job(s); ${r.stillTracked} already on the cluster are still tracked.`);
    });
}
