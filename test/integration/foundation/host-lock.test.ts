// One app host per data folder: a second browser host (another process, or the same one) is refused with a message
// naming the first and its address (without its token); CLI commands still run beside it; a lock left by a host
// killed with SIGKILL does not block the next start; each demo run gets its own folder unless one is named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { tempDir } from '../../support/temp.ts';
import { startInProcessHost, stubRenderer } from '../../support/app-host.ts';
import { runCliProcess } from '../../support/cli.ts';
import { createCore } from '../../../electron/core/index.ts';
import { FileKeyBox } from '../../../electron/core/secrets/file-key-box.ts';
import { AppHostRunningError, HOST_LOCK_FILE } from '../../../electron/core/host-lock.ts';
import { startDemo } from '../../../scripts/demo.ts';

function serveProcess(dataDir: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'electron/web/serve.ts', '--no-open', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    // A host that did start would keep running: stop it so the test fails on the assertion, not on a timeout.
    const timer = setTimeout(() => child.kill('SIGTERM'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

test('a second app host on a folder is refused, naming the first; the CLI still runs beside it', async (t) => {
  const dir = tempDir();
  const data = dir.path;
  const renderer = stubRenderer(join(dir.path, 'stub'));
  const host = await startInProcessHost(data, { rendererDir: renderer, background: false });
  t.after(async () => {
    await host.close();
    dir.remove();
  });
  const origin = `http://127.0.0.1:${host.web.port}/`;

  const second = await serveProcess(data);
  assert.equal(second.code, 1, `the second host must not start: ${second.out}`);
  assert.match(second.err, new RegExp(`Carrier Desk is already running on this folder \\(browser mode, pid ${process.pid}, ${origin.replace(/[.:/]/g, '\\$&')}\\); open that one or use --data-dir`));
  assert.ok(!second.err.includes(host.web.token), 'the first host\u2019s token is never printed by another process');
  assert.doesNotMatch(second.out, /running at/);

  // In the same process too (a second core with appHost on the folder).
  assert.throws(
    () => createCore({ dataDir: data, secrets: new FileKeyBox(data), host: 'browser', appHost: 'browser' }),
    (e: unknown) => e instanceof AppHostRunningError && e.holder.pid === process.pid,
  );

  // CLI commands are allowed beside the app.
  const list = await runCliProcess(['--data-dir', data, 'clusters', 'list']);
  assert.equal(list.code, 0, list.err);

  // Closing the host removes its lock: the next host starts.
  await host.close();
  assert.equal(existsSync(join(data, HOST_LOCK_FILE)), false);
  const again = await startInProcessHost(data, { rendererDir: renderer, background: false });
  await again.close();
});

test('a lock left by a host killed with SIGKILL does not block the next start', async (t) => {
  const dir = tempDir();
  t.after(() => dir.remove());
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/hold-host-lock.ts', dir.path], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (l) => l === 'locked' && resolve());
    child.once('exit', (code) => reject(new Error(`the lock holder exited early (${code})`)));
  });
  const lock = JSON.parse(readFileSync(join(dir.path, HOST_LOCK_FILE), 'utf8')) as { pid: number };
  assert.equal(lock.pid, child.pid);
  assert.throws(() => createCore({ dataDir: dir.path, secrets: new FileKeyBox(dir.path), appHost: 'browser' }), AppHostRunningError);

  child.kill('SIGKILL');
  await once(child, 'exit');
  assert.ok(existsSync(join(dir.path, HOST_LOCK_FILE)), 'kill -9 leaves the file behind');
  const host = await startInProcessHost(dir.path, { rendererDir: stubRenderer(join(dir.path, 'r')), background: false });
  const taken = JSON.parse(readFileSync(join(dir.path, HOST_LOCK_FILE), 'utf8')) as { pid: number; url: string };
  assert.equal(taken.pid, process.pid);
  assert.equal(taken.url, `http://127.0.0.1:${host.web.port}/`);
  await host.close();
});

test('each demo run has its own data folder unless --data-dir names one, which is locked like any app', async (t) => {
  const dir = tempDir();
  const renderer = stubRenderer(dir.path);
  const a = await startDemo({ rendererDir: renderer, jobDelayMs: 0 });
  const b = await startDemo({ rendererDir: renderer, jobDelayMs: 0 });
  t.after(async () => {
    await Promise.all([a.stop(), b.stop()]);
    for (const d of [a.dataDir, b.dataDir]) rmSync(d, { recursive: true, force: true });
    dir.remove();
  });
  assert.notEqual(a.dataDir, b.dataDir);
  // Each demo's profiles point at its own emulators.
  const urlOf = async (d: typeof a) => {
    const r = await d.core.dispatch('clusters.list', {});
    assert.ok(r.ok);
    return (r.value as { name: string; baseUrl: string }[]).find((c) => c.name === 'demo-5.0')!.baseUrl;
  };
  assert.equal(await urlOf(a), a.emulators[1]!.url);
  assert.equal(await urlOf(b), b.emulators[1]!.url);
  await assert.rejects(startDemo({ rendererDir: renderer, dataDir: a.dataDir, jobDelayMs: 0 }), AppHostRunningError);
  await assert.rejects(startDemo({ rendererDir: renderer, dataDir: a.dataDir, fresh: true, jobDelayMs: 0 }), AppHostRunningError);
  assert.ok(existsSync(join(a.dataDir, 'carrier-desk.sqlite')), '--fresh never empties a folder an app runs on');
});
