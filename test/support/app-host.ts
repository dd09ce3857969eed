// Starts the browser host (core + web server) for a test: in-process, or as a child process that
// a test can kill and restart on the same data folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createCore, type Core } from '../../electron/core/index.ts';
import { FileKeyBox } from '../../electron/core/secrets/file-key-box.ts';
import { startWebHost, type WebHost } from '../../electron/web/server.ts';
import type { Clock } from '../../electron/core/platform.ts';

export interface InProcessHost {
  core: Core;
  web: WebHost;
  close(): Promise<void>;
}

export async function startInProcessHost(dataDir: string, opts: { clock?: Clock; background?: boolean } = {}): Promise<InProcessHost> {
  const core = createCore({ dataDir, secrets: new FileKeyBox(dataDir), host: 'browser', ...(opts.clock ? { clock: opts.clock } : {}) });
  const web = await startWebHost({ core });
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

/** Runs `electron/web/serve.ts` in a child process and waits for the address it prints. */
export async function startChildHost(dataDir: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<ChildHost> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/web/serve.ts', '--data-dir', dataDir], {
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
