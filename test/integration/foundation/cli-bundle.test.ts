// bin/carrier-desk.js in a checkout: it runs the bundle built from the sources, builds it when missing, and
// never runs a stale one (a changed source, a new migration, a damaged bundle are all seen). Works on a copy of
// the sources in a temp folder, so the checkout's own dist/ is never touched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { startEmulator } from '../../kazoo-emulator/index.ts';
import { checkoutCopy } from '../../support/checkout-copy.ts';
import { tempDir } from '../../support/temp.ts';

const repo = resolve('.');

function run(root: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const base: NodeJS.ProcessEnv = { ...process.env, CARRIER_DESK_DEBUG: '1', ...env };
  if (!('CARRIER_DESK_FROM_SOURCE' in env)) delete base.CARRIER_DESK_FROM_SOURCE;
  const r = spawnSync(process.execPath, [join(root, 'bin', 'carrier-desk.js'), ...args], { encoding: 'utf8', env: base });
  return { code: r.status, out: r.stdout, ran: /carrier-desk: running (.*)/.exec(r.stderr)?.[1] ?? `nothing (stderr: ${r.stderr})` };
}

test('the command builds its bundle on first use and runs it until a source changes', (t) => {
  const root = checkoutCopy(t);
  const data = join(root, 'data');

  const first = run(root, ['--data-dir', data, '--json', 'drafts', 'list']);
  assert.equal(first.code, 0);
  assert.deepEqual(JSON.parse(first.out), []);
  assert.equal(first.ran, 'the bundle, rebuilt from the sources just now');

  const second = run(root, ['--data-dir', data, '--json', 'drafts', 'list']);
  assert.equal(second.code, 0);
  assert.equal(second.ran, 'the bundle');

  // A changed source: the next start builds again and shows the change.
  const main = join(root, 'electron', 'cli', 'main.ts');
  writeFileSync(main, readFileSync(main, 'utf8').replace("'Carrier Desk: drafts,", "'Carrier Desk (edited): drafts,"));
  const edited = run(root, ['--help']);
  assert.equal(edited.code, 0);
  assert.equal(edited.ran, 'the bundle, rebuilt from the sources just now');
  assert.match(edited.out, /Carrier Desk \(edited\): drafts/);
  assert.equal(run(root, ['--help']).ran, 'the bundle');
});

test('a new migration and a damaged bundle are seen; CARRIER_DESK_FROM_SOURCE runs the sources', (t) => {
  const root = checkoutCopy(t);
  const data = join(root, 'data');
  assert.equal(run(root, ['--data-dir', data, 'drafts', 'list']).code, 0);

  const dir = join(root, 'electron', 'core', 'db', 'migrations');
  const next = readdirSync(dir).filter((f) => /^\d{4}_/.test(f)).length + 1;
  writeFileSync(join(dir, `${String(next).padStart(4, '0')}_bundle_probe.sql`), 'CREATE TABLE bundle_probe (x INTEGER) STRICT;\n');
  const migrated = run(root, ['--data-dir', data, 'drafts', 'list']);
  assert.equal(migrated.code, 0);
  assert.equal(migrated.ran, 'the bundle, rebuilt from the sources just now');
  const db = new Database(join(data, 'carrier-desk.sqlite'), { readonly: true });
  t.after(() => db.close());
  assert.ok(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'bundle_probe'").get(), 'the new migration ran from the bundle');

  writeFileSync(join(root, 'dist', 'electron', 'cli', 'main.cjs'), 'throw new Error("damaged");\n');
  const repaired = run(root, ['--data-dir', data, '--json', 'drafts', 'list']);
  assert.equal(repaired.code, 0);
  assert.deepEqual(JSON.parse(repaired.out), []);
  assert.equal(repaired.ran, 'the bundle, rebuilt from the sources just now');

  const fromSource = run(root, ['--data-dir', data, '--json', 'drafts', 'list'], { CARRIER_DESK_FROM_SOURCE: '1' });
  assert.equal(fromSource.code, 0);
  assert.equal(fromSource.ran, 'the sources (tsx)');
});

test('drafts list loads none of the heavy dependencies (they load on first use); the bundle leaves HTTP/2, node:http and node:assert out', async (t) => {
  const dir = tempDir();
  t.after(() => dir.remove());
  const probe = join(dir.path, 'loaded.mjs');
  // At exit, lists the packages whose CommonJS modules were loaded (ESM imports of CommonJS land there too). undici is
  // bundled into the CLI (lazyBundled), so its files are not loaded from node_modules there: that its code ran is seen
  // by what it does when it loads, creating its diagnostics channels ('undici:…').
  writeFileSync(
    probe,
    "import { createRequire } from 'node:module';\n" +
      "const require = createRequire(import.meta.url);\n" +
      "const Module = require('node:module');\n" +
      "const dc = require('node:diagnostics_channel');\n" +
      "const ran = new Set();\n" +
      "const channel = dc.channel;\n" +
      "dc.channel = (name) => { if (String(name).startsWith('undici:')) ran.add('undici'); return channel(name); };\n" +
      "process.on('exit', () => { const names = new Set([...ran, ...Object.keys(Module._cache).map((k) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(k)?.[1]).filter(Boolean)]); for (const m of ['http2', 'http', 'assert']) if (process.moduleLoadList.includes('NativeModule ' + m)) names.add('node:' + m); process.stderr.write('LOADED ' + [...names].join(',') + '\\n'); });\n",
  );
  // Run without blocking this process: the emulator answering the command lives here.
  const loadedBy = async (root: string, fromSource: string, args: string[]) => {
    const child = spawn(process.execPath, ['--import', probe, join(root, 'bin', 'carrier-desk.js'), '--data-dir', join(dir.path, 'data'), ...args], {
      env: { ...process.env, CARRIER_DESK_FROM_SOURCE: fromSource },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    return { code, stderr, loaded: /LOADED (.*)/.exec(stderr)?.[1]?.split(',') ?? [] };
  };
  const emu = await startEmulator({ flavor: '5.0' });
  t.after(() => emu.close());
  // The sources of this checkout, then the bundle built in a copy of it.
  const copy = checkoutCopy(t);
  for (const [root, fromSource] of [[repo, '1'], [copy, '']] as const) {
    const { loaded } = await loadedBy(root, fromSource, ['drafts', 'list']);
    assert.ok(loaded.includes('better-sqlite3'), `the probe sees loaded packages: ${loaded.join(', ')}`);
    for (const heavy of ['undici', 'ajv', 'ajv-draft-04', 'csv-parse', 'libphonenumber-js']) assert.ok(!loaded.includes(heavy), `${heavy} loaded by drafts list`);
    // A command that talks to a cluster runs undici, and the probe sees it. Undici's client loads node:http2 as
    // published (the sources); the bundle stubs that module out (scripts/cli-bundle.mjs), and its requests still work.
    const sent = await loadedBy(root, fromSource, ['clusters', 'add', `probe${fromSource}`, '--url', emu.url, '--account-name', 'Master', '--username', 'admin', '--password', 'demo-admin-pass']);
    assert.equal(sent.code, 0, sent.stderr);
    assert.ok(sent.loaded.includes('undici'), `undici seen once a request is sent: ${sent.loaded.join(', ')}`);
    assert.equal(sent.loaded.includes('node:http2'), fromSource === '1', `node:http2 loaded ${fromSource === '1' ? 'by the sources' : 'by the bundle'}: ${sent.loaded.join(', ')}`);
    // The bundle also gives undici stubs of node:http and node:assert (what it uses of them, scripts/cli-bundle.mjs).
    if (fromSource === '1') for (const m of ['node:http', 'node:assert']) assert.ok(sent.loaded.includes(m), `${m} loaded by undici as published: ${sent.loaded.join(', ')}`);
    else for (const m of ['node:http', 'node:assert']) assert.ok(!sent.loaded.includes(m), `${m} loaded by the bundle: ${sent.loaded.join(', ')}`);
  }
});
