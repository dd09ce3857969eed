// CLI: `watch [--until-idle] [--timeout S]`: runs the core's background loop (the job watcher) in this
// process, printing progress (or `--json` lines of events) until idle (no job to follow and nothing left in the
// apply outbox), a timeout, or Ctrl-C.
import type { Command } from 'commander';
import { CliExit, EXIT_USAGE, type CliRuntime } from '../runtime.ts';
import type { JobView } from '../../shared/contract/jobs.ts';
import { count } from '../../shared/plural.ts';

export interface WatchOptions {
  untilIdle: boolean;
  timeoutS?: number;
}

export async function watchJobs(rt: CliRuntime, o: WatchOptions): Promise<void> {
  const core = rt.getCore();
  const watcher = core.services.jobs.watcher;
  const started = core.ctx.clock.now();
  const failedIds = new Set<string>();
  let lastSummary = 0;
  let lastLine = '';
  // Every job followed in this run, seeded with those already active so that the summary's total counts the
  // jobs still queued, not only those that have reported progress.
  const progress = new Map<string, { done: number; total: number; ok: number; failed: number; rate: number | null }>();
  for (const j of watcher.activeJobs()) progress.set(j.id, { done: j.done, total: j.total, ok: j.successes, failed: j.failures, rate: null });
  const off = core.events.subscribe((m) => {
    if (m.event !== 'jobs.progress' && m.event !== 'jobs.changed') return;
    if (rt.json) {
      process.stdout.write(JSON.stringify({ event: m.event, at: new Date().toISOString(), payload: m.payload }) + '\n');
      if (m.event === 'jobs.changed' && (m.payload as { job: JobView }).job.state === 'failed') failedIds.add((m.payload as { job: JobView }).job.id);
      return;
    }
    if (m.event === 'jobs.changed') {
      const j = (m.payload as { job: JobView }).job;
      if (j.state === 'failed') failedIds.add(j.id);
      progress.set(j.id, { done: j.done, total: j.total, ok: j.successes, failed: j.failures, rate: progress.get(j.id)?.rate ?? null });
      const label = j.kind === 'chunk' ? `#${j.seq}` : `#${j.seq} (${j.kind})`;
      process.stdout.write(`${new Date().toISOString().slice(11, 19)} job ${label} ${j.state}${j.remoteId ? ` ${j.remoteId}` : ''}: ${j.done}/${j.total}${j.note ? `  ${j.note}` : ''}${j.lastError && j.state !== 'complete' ? `  (${j.lastError})` : ''}\n`);
      return;
    }
    const p = m.payload as { jobId: string; done: number; total: number; successes: number; failures: number; rate: number | null };
    progress.set(p.jobId, { done: p.done, total: p.total, ok: p.successes, failed: p.failures, rate: p.rate });
    const now = Date.now();
    if (now - lastSummary < 2000) return;
    lastSummary = now;
    let done = 0;
    let total = 0;
    let ok = 0;
    let failed = 0;
    let rate = 0;
    for (const v of progress.values()) {
      done += v.done;
      total += v.total;
      ok += v.ok;
      failed += v.failed;
      rate += v.rate ?? 0;
    }
    const line = `  progress: ${done}/${total} numbers (${ok} ok, ${failed} failed), ${count(watcher.activeJobs().length, 'active job')}${rate ? `, ~${rate.toFixed(1)}/s` : ''}\n`;
    if (line !== lastLine) process.stdout.write(line);
    lastLine = line;
  });

  const atStart = { jobs: watcher.activeJobs().length, outbox: core.services.sync.store.outbox.counts().queued };
  if (rt.json) process.stdout.write(JSON.stringify({ event: 'watch.started', at: new Date().toISOString(), payload: atStart }) + '\n');
  else {
    const stop = o.untilIdle ? 'Stops when nothing is left to do, or with Ctrl-C.' : 'Ctrl-C stops.';
    process.stdout.write(`Watching ${count(atStart.jobs, 'job')} and ${count(atStart.outbox, 'queued change')}; work queued by the app or another command is picked up too. ${stop}\n`);
    const holder = watcher.holdsLease() ? null : core.services.jobs.repo.leaseHolder();
    if (holder) {
      process.stdout.write(`Another Carrier Desk process (pid ${holder.pid} on ${holder.host}) is following the jobs of this data folder: this one sends queued changes and takes the jobs over if that process stops.\n`);
    }
  }
  core.background.start();
  let timedOut = false;
  await new Promise<void>((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    const done = () => {
      timers.forEach((t) => clearInterval(t));
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    const outboxEmpty = () => {
      const c = core.services.sync.store.outbox.counts();
      return c.queued === 0 && c.inFlight === 0;
    };
    // The background loop's timers do not hold the process open (the app and browser hosts have their own reasons
    // to live); this interval does, until Ctrl-C, SIGTERM, idleness (--until-idle) or the timeout.
    timers.push(setInterval(() => o.untilIdle && watcher.activeJobs().length === 0 && outboxEmpty() && done(), 200));
    if (o.timeoutS) {
      timers.push(
        setTimeout(() => {
          timedOut = true;
          done();
        }, o.timeoutS * 1000),
      );
    }
  });
  await core.background.stop();
  watcher.release();
  off();

  const waiting = core.services.jobs.repo.unfinished();
  const held = watcher.loginRefusedJobs();
  const heldIds = new Set(held.map((j) => j.id));
  const needUser = waiting.filter((j) => j.state === 'stalled' || j.state === 'unknown' || heldIds.has(j.id));
  const refusedClusters = [...new Set(held.map((j) => core.ctx.clusters.find(j.cluster_id)?.name ?? j.cluster_id))];
  const outbox = core.services.sync.store.outbox.counts();
  const summary = { startedAt: started, idle: watcher.activeJobs().length === 0 && outbox.queued + outbox.inFlight === 0, timedOut, outbox, failedJobs: [...failedIds], needAttention: needUser.map((j) => ({ id: j.id, state: j.state, note: j.note })), loginRefused: refusedClusters, unfinished: waiting.length };
  rt.print(summary, () => {
    const lines = [timedOut ? 'Stopped: timeout reached.' : summary.idle ? 'All jobs are finished.' : 'Stopped.'];
    for (const name of refusedClusters) {
      const n = held.filter((j) => (core.ctx.clusters.find(j.cluster_id)?.name ?? j.cluster_id) === name).length;
      lines.push(`Login refused by ${name}: ${count(n, 'job')} wait${n === 1 ? 's' : ''} and nothing more is sent to it. Fix the login (carrier-desk clusters edit ${name} …), then run watch again.`);
    }
    for (const j of needUser.filter((x) => !heldIds.has(x.id))) lines.push(`Job ${j.id} is ${j.state}: ${j.note ?? ''} (carrier-desk jobs resubmit-remainder ${j.id})`);
    if (failedIds.size) lines.push(`${failedIds.size} job(s) failed; see carrier-desk jobs list.`);
    if (outbox.queued + outbox.inFlight) lines.push(`${outbox.queued + outbox.inFlight} change(s) still waiting in the outbox; see carrier-desk outbox.`);
    if (outbox.failed) lines.push(`${outbox.failed} change(s) failed in the outbox; see carrier-desk outbox.`);
    return lines.join('\n');
  });
  if (failedIds.size || needUser.length || timedOut) process.exitCode = 1;
}

export function registerWatchCommand(program: Command, rt: CliRuntime): void {
  program
    .command('watch')
    .description('run the background loop here: submit and follow jobs, send queued changes (outbox), resume after restarts')
    .option('--until-idle', 'stop when no job is left to send or follow and the outbox is empty')
    .option('--timeout <s>', 'stop after this many seconds')
    .action(async (o: { untilIdle?: boolean; timeout?: string }) => {
      const timeoutS = o.timeout === undefined ? undefined : Number(o.timeout);
      if (timeoutS !== undefined && (!Number.isFinite(timeoutS) || timeoutS <= 0)) throw new CliExit(EXIT_USAGE, `--timeout must be a number of seconds (got '${o.timeout}').`);
      await watchJobs(rt, { untilIdle: o.untilIdle === true, ...(timeoutS ? { timeoutS } : {}) });
    });
}
