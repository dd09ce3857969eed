// The carriers listing after a pull: each item says whether the carrier is an emergency one (read from the pulled
// document, since Kazoo's own listing omits the field), which the Resources screen filters on.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, type EmulatorHandle } from '../../kazoo-emulator/index.ts';
import type { Core } from '../../../electron/core/index.ts';
import { addCluster, call, openCore, tempDir } from './helpers.ts';

let emu: EmulatorHandle | undefined;
let core: Core | undefined;
const tmp = tempDir('pull-listing');
after(async () => {
  await core?.close();
  await emu?.close();
  tmp.cleanup();
});

test('pulled global carriers carry their emergency flag', async () => {
  emu = await startEmulator({ flavor: '4.3' });
  core = openCore(tmp.dir);
  await addCluster(core, 'demo', emu);
  await call(core, 'pull.run', { cluster: 'demo', scope: 'global' });
  const items = await call(core, 'resources.list', { cluster: 'demo', scope: 'global' });
  assert.deepEqual(
    items.map((i) => [i.name, i.emergency]).sort(),
    [['Bandwidth US', false], ['Emergency 911 Provider', true], ['Telia Wholesale', false]],
  );
});
