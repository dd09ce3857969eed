// The watcher as a separate process (`carrier-desk watch`), killed with SIGKILL mid-job and while a PUT's
// reply is on its way; a new process resumes: every number imported once, no job submitted twice.
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startEmulator, type EmulatorHandle } from '../../kazoo-emulator/index.ts';
import { type Loose, ACME, ACME_RESOURCE, accountNumbers, addCluster, call, importList, numbers, openCore, remoteJobs, tempDir } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../../bin/carrier-desk.js', import.meta.url));

function watch(dataDir: string, untilIdle = true): { child: ChildProcess; events: (fn: (e: { event: string; payload: Loose }) => boolean) => Promise<void>; exit: Promise<number | null> } {
  // Without --until-idle no --timeout either: nothing but the watch command itself may keep the process alive.
  const args = [BIN, '--data-dir', dataDir, '--json', 'watch', ...(untilIdle ? ['--until-idle', '--timeout', '60'] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const listeners = new Set<(e: { event: string; payload: Loose }) => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      const e = JSON.parse(line) as { event: string; payload: Loose };
      for (const l of listeners) l(e);
    } catch {
      // the final summary is pretty-printed JSON over several lines
    }
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const events = (fn: (e: { event: string; payload: Loose }) => boolean) =>
    new Promise<void>((resolve, reject) => {
      const l = (e: { event: string; payload: Loose }) => {
        if (fn(e)) {
          listeners.delete(l);
          resolve();
        }
      };
      listeners.add(l);
      void exit.then((code) => reject(new Error(`watch exited (${code}) before the awaited event. stderr: ${stderr}`)));
    });
  return { child, events, exit };
}

describe('watcher process killed and restarted', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });
  after(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  async function prepare(name: string, list: string[], jobDelayMs: number, chunkSize: number): Promise<{ emu: EmulatorHandle; dir: string; batchId: string }> {
    const emu = await startEmulator({ jobDelayMs });
    const tmp = tempDir('restart');
    cleanups.push(() => tmp.cleanup(), () => emu.close());
    const core = await openCore(tmp.dir);
    await addCluster(core, 'demo', emu);
    await importList(core, name, list);
    const sub = await call(core, 'jobs.submit', { list: name, cluster: 'demo', account: ACME, resource: ACME_RESOURCE, chunkSize });
    await core.close();
    return { emu, dir: tmp.dir, batchId: sub.batch.id };
  }

  async function verify(emu: EmulatorHandle, dir: string, batchId: string, list: string[]): Promise<void> {
    const core = await openCore(dir);
    try {
      const jobs = await call(core, 'jobs.list', { batch: batchId });
      for (const j of jobs) assert.ok(['complete', 'superseded'].includes(j.state), `job ${j.id} is ${j.state}`);
      const batch = (await call(core, 'jobs.batches', {})).find((b) => b.id === batchId)!;
      assert.deepEqual([batch.succeeded, batch.failed, batch.pending], [list.length, 0, 0]);
      const remote = await remoteJobs(emu, ACME, Date.now() - 86_400_000, Date.now() + 60_000);
      for (const j of jobs) assert.equal(remote.filter((r) => String(r.name).includes(j.tag)).length, 1, `job ${j.tag} must exist once on the cluster`);
      const onCluster = await accountNumbers(emu, ACME);
      for (const n of list) assert.ok(onCluster[n], `${n} lost`);
    } finally {
      await core.close();
    }
  }

  test('SIGKILL mid-job, then a new process resumes and finishes', async () => {
    const list = numbers(40, 3125550000, 8000);
    const { emu, dir, batchId } = await prepare('kill', list, 20, 20);
    const w1 = watch(dir);
    await w1.events((e) => e.event === 'jobs.progress' && e.payload.done >= 3);
    w1.child.kill('SIGKILL');
    await w1.exit;
    const w2 = watch(dir);
    assert.equal(await w2.exit, 0);
    await verify(emu, dir, batchId, list);
  });

  test('SIGKILL between the PUT and its reply: the new process adopts the job instead of sending it again', async () => {
    const list = numbers(8, 3125550000, 8100);
    const { emu, dir, batchId } = await prepare('put', list, 1, 100);
    emu.setFaults({ latencyMs: 1500 });
    const w1 = watch(dir);
    await w1.events((e) => e.event === 'jobs.changed' && e.payload.job.state === 'submitting');
    // The emulator stores the job at once and holds the reply back: wait until it is there, then kill.
    const deadline = Date.now() + 10_000;
    emu.setFaults({ latencyMs: 0 });
    for (;;) {
      const remote = await remoteJobs(emu, ACME, Date.now() - 86_400_000, Date.now() + 60_000);
      if (remote.length > 0) break;
      assert.ok(Date.now() < deadline, 'the PUT never reached the emulator');
      await new Promise((r) => setTimeout(r, 20));
    }
    w1.child.kill('SIGKILL');
    await w1.exit;
    const w2 = watch(dir);
    assert.equal(await w2.exit, 0);
    await verify(emu, dir, batchId, list);
    const core = await openCore(dir);
    try {
      const j = (await call(core, 'jobs.list', { batch: batchId }))[0]!;
      assert.equal(j.submitAttempts, 1, 'sent once');
    } finally {
      await core.close();
    }
  });

  test('plain `watch` stays up while idle, takes a job queued by another process, and stops cleanly on SIGTERM', { timeout: 60_000 }, async () => {
    const emu = await startEmulator({ jobDelayMs: 1 });
    const tmp = tempDir('daemon');
    cleanups.push(() => tmp.cleanup(), () => emu.close());
    let core = await openCore(tmp.dir);
    await addCluster(core, 'demo', emu);
    await core.close();
    const w = watch(tmp.dir, false);
    cleanups.push(() => void w.child.kill('SIGKILL'));
    await w.events((e) => e.event === 'watch.started' && e.payload.jobs === 0);
    // Queued from another process, as `carrier-desk jobs submit` in a second terminal would: nothing announces it.
    const list = numbers(5, 3125550000, 8200);
    core = await openCore(tmp.dir);
    await importList(core, 'daemon', list);
    const sub = await call(core, 'jobs.submit', { list: 'daemon', cluster: 'demo', account: ACME, resource: ACME_RESOURCE, chunkSize: 100 });
    await core.close();
    await w.events((e) => e.event === 'jobs.changed' && e.payload.job.state === 'complete');
    w.child.kill('SIGTERM');
    assert.equal(await w.exit, 0);
    await verify(emu, tmp.dir, sub.batch.id, list);
  });
});
