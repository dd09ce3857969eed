// A source checkout starts the import's worker threads from the worker bundle built from the same sources while it
// is fresh (no tsx compile in each thread: less memory and a faster start), from the TypeScript sources when the
// bundle is stale or missing, and always from the sources under CARRIER_DESK_FROM_SOURCE=1 (npm test).
// Works on a copy of the checkout, so the checkout's own dist/ is never touched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkoutCopy } from '../../support/checkout-copy.ts';

/** Imports a small CSV through the copy's core in a fresh process; the worker entry it used, and the list's counts. */
function importIn(root: string, fromSource: string): { worker: string; counts: unknown } {
  const csv = join(root, 'numbers.csv');
  writeFileSync(csv, 'phone\n+12015550123\n(201) 555-0124\n2015550123\nn/a\n');
  const core = pathToFileURL(join(root, 'electron', 'core', 'index.ts')).href;
  const host = pathToFileURL(join(root, 'electron', 'core', 'numbers', 'worker-host.ts')).href;
  const box = pathToFileURL(join(root, 'electron', 'core', 'secrets', 'file-key-box.ts')).href;
  const script = `
    import { mkdtempSync } from 'node:fs';
    import { join } from 'node:path';
    const { createCore } = await import(${JSON.stringify(core)});
    const { workerUrl } = await import(${JSON.stringify(host)});
    const { FileKeyBox } = await import(${JSON.stringify(box)});
    const dataDir = mkdtempSync(join(${JSON.stringify(root)}, 'data-'));
    const core = createCore({ dataDir, secrets: new FileKeyBox(dataDir), host: 'test' });
    const r = await core.dispatch('numbers.import', { name: 'probe', path: ${JSON.stringify(csv)}, country: 'US', wait: true });
    await core.close();
    if (!r.ok) throw new Error(r.error.message);
    const { total, valid, invalid, duplicate } = r.value.list;
    console.log(JSON.stringify({ worker: workerUrl().pathname.slice(${JSON.stringify(root)}.length + 1), counts: { total, valid, invalid, duplicate } }));
  `;
  // A file, not --eval: worker threads inherit the process's options, and --input-type would fail them.
  const file = join(root, 'probe.mjs');
  writeFileSync(file, script);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: root, encoding: 'utf8', env: { ...process.env, CARRIER_DESK_FROM_SOURCE: fromSource } });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { worker: string; counts: unknown };
}

test('the import runs the fresh worker bundle of a checkout, never a stale one, and the sources under npm test', (t) => {
  const root = checkoutCopy(t);
  const counts = { total: 4, valid: 2, invalid: 1, duplicate: 1 };
  // No bundle yet: the sources.
  assert.deepEqual(importIn(root, ''), { worker: 'electron/core/numbers/worker.ts', counts });

  const built = spawnSync(process.execPath, [join(root, 'scripts', 'cli-bundle.mjs')], { encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
  assert.deepEqual(importIn(root, ''), { worker: 'dist/electron/cli/worker.js', counts });
  assert.deepEqual(importIn(root, '1'), { worker: 'electron/core/numbers/worker.ts', counts });

  // A source of the worker changed since the bundle was built: the sources again.
  appendFileSync(join(root, 'electron', 'core', 'numbers', 'normalize.ts'), '\n// edited\n');
  assert.deepEqual(importIn(root, ''), { worker: 'electron/core/numbers/worker.ts', counts });
});
