// `npm run serve`: runs the core with the browser host and prints the address (with its token).
import { Command } from 'commander';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createCore } from '../core/index.ts';
import { toErrorValue } from '../core/errors.ts';
import { FileKeyBox } from '../core/secrets/file-key-box.ts';
import { createLogger } from '../core/logging.ts';
import { resolveDataDir } from '../core/data-dir.ts';
import { assertNoLiveHost } from '../core/host-lock.ts';
import { defaultRendererDir, startWebHost } from './server.ts';

export interface ServeOptions {
  port?: number;
  dataDir?: string;
  /** Open the system browser (default: yes, when there is a display; --no-open says no). */
  open?: boolean;
  /** Printed before the address, e.g. why the browser host runs instead of Electron. */
  quiet?: boolean;
  /** Folder whose files the page may name (imports and exports by path, CA files); none by default. */
  filesDir?: string;
}

export async function serve(opts: ServeOptions) {
  const dataDir = resolveDataDir(opts.dataDir);
  if (opts.filesDir && !existsSync(opts.filesDir)) throw new Error(`The files folder ${opts.filesDir} does not exist.`);
  const logger = createLogger({ file: join(dataDir, 'logs', 'browser-host.log'), level: 'info', stderrLevel: 'warn' });
  // Refused (AppHostRunningError, naming the first) when an app already runs on this folder.
  const core = createCore({ dataDir, secrets: new FileKeyBox(dataDir), logger, host: 'browser', appHost: 'browser' });
  let host: Awaited<ReturnType<typeof startWebHost>>;
  try {
    host = await startWebHost({ core, ...(opts.port !== undefined ? { port: opts.port } : {}), ...(opts.filesDir ? { filesDirs: [opts.filesDir] } : {}) });
  } catch (e) {
    await core.close();
    throw e;
  }
  core.hostLock?.setUrl(host.url);
  core.background.start();
  process.stdout.write(`Carrier Desk is running at ${host.url}\n`);
  process.stdout.write(`Data folder: ${dataDir}\n`);
  if (opts.filesDir) process.stdout.write(`Files folder (the page may read and write files here by name): ${opts.filesDir}\n`);
  for (const n of core.notices) process.stdout.write(`Warning: ${n}\n`);
  process.stdout.write('Press Ctrl+C to stop.\n');
  if (opts.open !== false && hasDisplay()) openInBrowser(host.url);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await host.close();
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return { core, host, stop };
}

export function hasDisplay(): boolean {
  if (process.platform === 'darwin' || process.platform === 'win32') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

export function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd as string, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No browser opener: the address is printed anyway.
  }
}

const checkoutRoot = fileURLToPath(new URL('../../', import.meta.url));
const viteBin = join(checkoutRoot, 'node_modules/vite/bin/vite.js');

/** Builds the renderer into dist/renderer with the project's vite config (in a checkout: `npm run serve`, the demo). */
export function buildRenderer(): void {
  const r = spawnSync(process.execPath, [viteBin, 'build', '--logLevel', 'warn'], { cwd: checkoutRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('Building the renderer failed (see above).');
}

/** In a checkout, builds the renderer when it has not been built yet (a fresh clone after npm install). */
function ensureRendererBuilt(): void {
  if (existsSync(join(defaultRendererDir, 'index.html')) || !existsSync(viteBin)) return;
  process.stdout.write('Building the app (first start)…\n');
  try {
    buildRenderer();
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
  }
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const program = new Command('carrier-desk-serve')
    .description('Run Carrier Desk in your browser (loopback only, protected by a per-launch token).')
    .option('--port <port>', 'port to listen on (default: a free port)', (v) => Number.parseInt(v, 10))
    .option('--data-dir <dir>', 'data folder')
    .option('--open', 'open the system browser (the default when there is a display)')
    .option('--no-open', 'do not open the browser, only print the address')
    .option('--files-dir <dir>', 'folder whose files the page may name in imports, exports and CA files (default: none)')
    .parse();
  const o = program.opts<{ port?: number; dataDir?: string; open?: boolean; filesDir?: string }>();
  const fail = (e: Error) => {
    process.stderr.write(`carrier-desk: ${toErrorValue(e).message}\n`);
    process.exit(1);
  };
  try {
    // Said before a first-start build, not after it; serve() takes the lock itself.
    assertNoLiveHost(resolveDataDir(o.dataDir));
    ensureRendererBuilt();
    serve(o).catch(fail);
  } catch (e) {
    fail(e as Error);
  }
}
