// Two processes on one data folder: an app host runs (in this process) while `carrier-desk` commands run in child
// processes. What a command changes is what the app then uses: a cluster edited to another address is checked there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator } from '../../kazoo-emulator/index.ts';
import { tempDir } from '../../support/temp.ts';
import { startInProcessHost, stubRenderer } from '../../support/app-host.ts';
import { runCliProcess } from '../../support/cli.ts';
import { addCluster, call } from '../../support/core-calls.ts';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';

test('a cluster moved to another address by the CLI is checked at the new address by the running app', async (t) => {
  const [oldEmu, newEmu] = await Promise.all([startEmulator({ flavor: '5.0' }), startEmulator({ flavor: '5.0' })]);
  const dir = tempDir();
  const data = join(dir.path, 'data');
  mkdirSync(data);
  const host = await startInProcessHost(data, { rendererDir: stubRenderer(dir.path), background: false });
  t.after(async () => {
    await host.close();
    await Promise.all([oldEmu.close(), newEmu.close()]);
    dir.remove();
  });
  await addCluster(host.core, 'lab', oldEmu);
  // The app has a client for the old address, with a session.
  await call(host.core, 'clusters.check', { cluster: 'lab' });

  const edit = await runCliProcess(['--data-dir', data, 'clusters', 'edit', 'lab', '--url', newEmu.url, '--no-check']);
  assert.equal(edit.code, 0, edit.err);
  oldEmu.clearRequestLog();
  newEmu.clearRequestLog();

  const checked = await call(host.core, 'clusters.check', { cluster: 'lab' });
  assert.equal(checked.baseUrl, newEmu.url);
  assert.equal(checked.status.kind, 'ready');
  assert.ok(newEmu.requestLog().length > 0, 'the check went to the new address');
  assert.deepEqual(oldEmu.requestLog(), [], 'nothing more goes to the old address');
});
