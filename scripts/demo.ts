// `npm run demo`: two emulated Kazoo clusters (4.3 and 5.0) with the demo seed, the browser host on a demo data
// folder, both clusters already added to the app, so a new user sees everything working in one command.
import { Command } from 'commander';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { routingDemoSeed, startEmulator, type EmulatorHandle } from '../test/kazoo-emulator/index.ts';
import { createCore, type Core } from '../electron/core/index.ts';
import { FileKeyBox } from '../electron/core/secrets/file-key-box.ts';
import { createLogger } from '../electron/core/logging.ts';
import { assertNoLiveHost } from '../electron/core/host-lock.ts';
import { startWebHost, type WebHost } from '../electron/web/server.ts';
import { buildRenderer, hasDisplay, openInBrowser } from '../electron/web/serve.ts';
import type { ClusterView } from '../electron/shared/contract/clusters.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

export const DEMO_LOGIN = { accountName: 'Master', username: 'admin', password: 'demo-admin-pass' } as const;

export interface DemoOptions {
  dataDir?: string;
  port?: number;
  jobDelayMs?: number;
  fresh?: boolean;
  build?: boolean;
  open?: boolean;
  /** Serve this renderer folder instead of building dist/renderer (tests). */
  rendererDir?: string;
}

export interface Demo {
  dataDir: string;
  url: string;
  emulators: EmulatorHandle[];
  core: Core;
  web: WebHost;
  stop(): Promise<void>;
}

/** Adds the cluster, or points an existing profile of the same name at the emulator's new address. */
async function connect(core: Core, name: string, emu: EmulatorHandle): Promise<ClusterView> {
  const auth = { kind: 'user' as const, ...DEMO_LOGIN };
  const list = await core.dispatch('clusters.list', {});
  const existing = list.ok ? (list.value as ClusterView[]).find((c) => c.name === name) : undefined;
  const r = existing
    ? await core.dispatch('clusters.update', { cluster: existing.id, url: emu.url, auth })
    : await core.dispatch('clusters.add', { name, url: emu.url, auth });
  if (!r.ok) throw new Error(`Could not add cluster ${name} (${emu.url}): ${r.error.message}`);
  if (existing) await core.dispatch('clusters.check', { cluster: existing.id });
  // Read every carrier the demo login can see, so the Resources and Overview screens have content at once.
  const pulled = await core.dispatch('pull.run', { cluster: name, all: true });
  if (!pulled.ok) process.stderr.write(`Could not pull the carriers of ${name}: ${pulled.error.message}\n`);
  return r.value as ClusterView;
}

/** A small list to try jobs with: 200 numbers as a CSV with a header, plus a few invalid rows and duplicates. */
export function sampleCsv(): string {
  const rows = ['name,number,note'];
  for (let i = 0; i < 200; i++) rows.push(`Line ${i + 1},+1 737 555 ${String(2000 + i)},`);
  rows.push('Typo,737-555-20,too short', 'Fax,not a number,', 'Old,+1 737 555 2000,duplicate of line 2', 'Again,(737) 555-2001,duplicate of line 3');
  return rows.join('\n') + '\n';
}

async function addSampleList(core: Core): Promise<void> {
  const lists = await core.dispatch('numbers.lists', {});
  if (!lists.ok || (lists.value as unknown[]).length > 0) return;
  const r = await core.dispatch('numbers.import', { name: 'sample-numbers', text: sampleCsv(), country: 'US', wait: true });
  if (!r.ok) process.stderr.write(`demo: could not add the sample number list: ${r.error.message}\n`);
}

export async function startDemo(opts: DemoOptions = {}): Promise<Demo> {
  // Each run gets its own folder unless one is named: two demos on one folder would share (and rewrite) each other's
  // cluster profiles, since each points them at its own emulators. A named folder is locked like any app's.
  const dataDir = opts.dataDir ? resolve(opts.dataDir) : mkdtempSync(join(tmpdir(), 'carrier-desk-demo-'));
  if (opts.fresh && opts.dataDir) {
    assertNoLiveHost(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  }
  mkdirSync(dataDir, { recursive: true });
  if (!opts.rendererDir && (opts.build !== false || !existsSync(join(root, 'dist/renderer/index.html')))) buildRenderer();

  const jobDelayMs = opts.jobDelayMs ?? 150;
  const logger = createLogger({ file: join(dataDir, 'logs', 'demo.log'), level: 'info', stderrLevel: 'warn' });
  // Taken first: a folder another app runs on is refused before any emulator starts (AppHostRunningError).
  const core = createCore({ dataDir, secrets: new FileKeyBox(dataDir), logger, host: 'browser', appHost: 'browser' });
  const emulators: EmulatorHandle[] = [];
  let web: WebHost;
  try {
    // Emulator state lives next to the app's data, so a second run on the same --data-dir finds the same clusters.
    const seed = routingDemoSeed();
    emulators.push(await startEmulator({ flavor: '4.3', jobDelayMs, seed, statePath: join(dataDir, 'emulator-4.3.json') }));
    emulators.push(await startEmulator({ flavor: '5.0', jobDelayMs, seed, statePath: join(dataDir, 'emulator-5.0.json') }));
    web = await startWebHost({ core, ...(opts.port !== undefined ? { port: opts.port } : {}), ...(opts.rendererDir ? { rendererDir: opts.rendererDir } : {}) });
  } catch (e) {
    await core.close();
    await Promise.all(emulators.map((em) => em.close()));
    throw e;
  }
  core.hostLock?.setUrl(web.url);
  core.background.start();
  await connect(core, 'demo-4.3', emulators[0]!);
  await connect(core, 'demo-5.0', emulators[1]!);
  await addSampleList(core);

  let stopped = false;
  return {
    dataDir,
    url: web.url,
    emulators,
    core,
    web,
    async stop() {
      if (stopped) return;
      stopped = true;
      await web.close();
      await core.close();
      await Promise.all(emulators.map((e) => e.close()));
    },
  };
}

/** What the demo prints when it is up: where to open it, the clusters, the login, and a first thing to try. */
export function bannerText(demo: Pick<Demo, 'url' | 'dataDir'> & { emulators: Pick<EmulatorHandle, 'url' | 'adminUrl' | 'flavor'>[] }, jobDelayMs: number): string {
  const lines: string[] = [];
  const out = (s = '') => lines.push(s);
  out();
  out('Carrier Desk demo is running.');
  out();
  out(`  Open the app:   ${demo.url}`);
  out(`  Data folder:    ${demo.dataDir}`);
  out('                  (kept when the demo stops: continue with --data-dir and that folder)');
  out();
  for (const [name, e] of [['demo-4.3', demo.emulators[0]!], ['demo-5.0', demo.emulators[1]!]] as const) {
    out(`  Cluster ${name} (emulated Kazoo ${e.flavor})`);
    out(`    Crossbar:  ${e.url}/v2`);
    out(`    Admin API: ${e.adminUrl}`);
  }
  out();
  out(`  Login on both clusters: account "${DEMO_LOGIN.accountName}", user "${DEMO_LOGIN.username}", password "${DEMO_LOGIN.password}"`);
  out(`  Jobs import one number every ${jobDelayMs} ms, so progress is visible.`);
  out('  Try: Number lists → "sample-numbers" (or import your own CSV) → "Import into a cluster…" →');
  // The job form picks the carrier by name (the seed's Acme Corp carrier), as the user sees it.
  out('       pick demo-5.0, account Acme Corp, carrier Acme BYOC Twilio → check → submit.');
  out();
  out('Press Ctrl+C to stop everything.');
  return lines.map((l) => `${l}\n`).join('');
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const program = new Command('demo')
    .description('Start two emulated Kazoo clusters and Carrier Desk connected to them.')
    .option('--data-dir <dir>', 'data folder (default: a new carrier-desk-demo-* folder under the OS temp folder for each run)')
    .option('--port <port>', 'port of the app (default: a free port)', (v) => Number.parseInt(v, 10))
    .option('--job-delay-ms <ms>', 'per-number delay of the emulated job executor', (v) => Number.parseInt(v, 10), 150)
    .option('--fresh', 'empty the --data-dir folder first')
    .option('--no-build', 'do not rebuild the renderer (it is built when missing)')
    .option('--no-open', 'do not open the browser')
    .parse();
  const o = program.opts<{ dataDir?: string; port?: number; jobDelayMs: number; fresh?: boolean; build: boolean; open: boolean }>();
  try {
    const demo = await startDemo({
      jobDelayMs: o.jobDelayMs,
      build: o.build,
      open: o.open,
      ...(o.dataDir ? { dataDir: o.dataDir } : {}),
      ...(o.port !== undefined ? { port: o.port } : {}),
      ...(o.fresh ? { fresh: true } : {}),
    });
    process.stdout.write(bannerText(demo, o.jobDelayMs));
    if (o.open && hasDisplay()) openInBrowser(demo.url);
    const stop = async () => {
      process.stdout.write('\nStopping the demo…\n');
      await demo.stop();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (e) {
    process.stderr.write(`demo: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
