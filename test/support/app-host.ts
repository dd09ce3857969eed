// Starts the browser host (core + web server) for a test: in-process, or as a child process that
// a test can kill and restart on the same data folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCore, type Core } from '../../electron/core/index.ts';
import { FileKeyBox } from '../../electron/core/secrets/file-key-box.ts';
import { startWebHost, type WebHost } from '../../electron/web/server.ts';
import type { Clock } from '../../electron/core/platform.ts';

export interface InProcessHost {
  core: Core;
  web: WebHost;
  close(): Promise<void>;
}

/** rendererDir: a stand-in renderer (integration tests that talk only over the WebSocket need no vite build). */
export async function startInProcessHost(dataDir: string, opts: { clock?: Clock; background?: boolean; rendererDir?: string } = {}): Promise<InProcessHost> {
  const core = createCore({ dataDir, secrets: new FileKeyBox(dataDir), host: 'browser', appHost: 'browser', ...(opts.clock ? { clock: opts.clock } : {}) });
  let web: WebHost;
  try {
    web = await startWebHost({ core, ...(opts.rendererDir ? { rendererDir: opts.rendererDir } : {}) });
  } catch (e) {
    await core.close();
    throw e;
  }
  core.hostLock?.setUrl(web.url);
  if (opts.background !== false) core.background.start();
  return {
    core,
    web,
    async close() {
      await web.close();
      await core.close();
    },
  };
}

export interface ChildHost {
  url: string;
  child: ChildProcess;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** A minimal renderer folder for hosts in tests that do not drive a browser. */
export function stubRenderer(dir: string): string {
  const renderer = join(dir, 'renderer');
  mkdirSync(renderer, { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Carrier Desk</title>');
  return renderer;
}

/** Runs `electron/web/serve.ts` in a child process and waits for the address it prints. */
export async function startChildHost(dataDir: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<ChildHost> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/web/serve.ts', '--no-open', '--data-dir', dataDir], {
    cwd: process.cwd(),
    env: { ...process.env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser host did not start: ${stderr}`)), 60_000);
    lines.on('line', (line) => {
      const m = /running at (\S+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`browser host exited with ${code}: ${stderr}`));
    });
  });
  const waitExit = async () => {
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  };
  return {
    url,
    child,
    async kill() {
      child.kill('SIGKILL');
      await waitExit();
    },
    async stop() {
      child.kill('SIGTERM');
      await waitExit();
    },
  };
}
