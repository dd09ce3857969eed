// Shared plumbing of CLI commands: the core (built lazily), output in text or --json, exit codes.
import { join } from 'node:path';
import { createCore, type Core } from '../core/index.ts';
import { FileKeyBox } from '../core/secrets/file-key-box.ts';
import { createLogger } from '../core/logging.ts';
import { resolveDataDir } from '../core/data-dir.ts';
import { mkdirSync } from 'node:fs';
import type { ArgsOf, MethodName, ResultOf } from '../shared/contract.ts';
import type { ErrorValue } from '../shared/result.ts';
import { hintOf, withCliHint } from '../shared/hints.ts';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Commander's collector for a repeatable option (`--set a=1 --set b=2` → ['a=1', 'b=2']). */
export function collect(v: string, list: string[] = []): string[] {
  return [...list, v];
}

export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
}

/** Thrown by commands to stop with a message and an exit code (never a stack trace). */
export class CliExit extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
    readonly error?: ErrorValue,
  ) {
    super(message);
  }
}

export class CliRuntime {
  private core: Core | null = null;
  constructor(private readonly getGlobals: () => GlobalOptions) {}

  get json(): boolean {
    return this.getGlobals().json === true;
  }

  get dataDir(): string {
    return resolveDataDir(this.getGlobals().dataDir);
  }

  getCore(): Core {
    if (!this.core) {
      const dataDir = this.dataDir;
      mkdirSync(dataDir, { recursive: true });
      this.core = createCore({
        dataDir,
        secrets: new FileKeyBox(dataDir),
        logger: createLogger({ file: join(dataDir, 'logs', 'cli.log'), level: 'info', stderrLevel: process.env.CARRIER_DESK_DEBUG ? 'debug' : 'off' }),
        host: 'cli',
      });
      for (const n of this.core.notices) process.stderr.write(`carrier-desk: ${n}\n`);
    }
    return this.core;
  }

  /** Calls a contract method through the same dispatcher the UI uses; failures become CliExit(1). */
  async call<M extends MethodName>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>> {
    const result = await this.getCore().dispatch(method, args);
    if (!result.ok) {
      // The core's message is host-neutral; the option to type comes from the hint it carries.
      const message = withCliHint(result.error.message, hintOf(result.error.details));
      throw new CliExit(result.error.code === 'invalid_arguments' ? EXIT_USAGE : EXIT_FAILED, message, result.error);
    }
    return result.value as ResultOf<M>;
  }

  /** Prints a value: JSON with --json, else the human text. */
  print(value: unknown, human: (v: never) => string): void {
    if (this.json) process.stdout.write(JSON.stringify(value, null, 2) + '\n');
    else {
      const text = human(value as never);
      if (text) process.stdout.write(text.endsWith('\n') ? text : text + '\n');
    }
  }

  /**
   * Before the command ends: idle connections are left to the process's end, not closed one pool at a time (~10 ms
   * for 50). `processExits` (the `carrier-desk` process, not a test calling runCli): the store too is left to the
   * exit, without the checkpoint of SQLite's close (Core.close, `leaveStore`).
   */
  async close(processExits = false): Promise<void> {
    await this.core?.close({ dropConnections: true, leaveStore: processExits });
    this.core = null;
  }
}

/** Plain fixed-width table for terminal output. */
export function table(rows: string[][], header: string[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => r.map((c, i) => (c ?? '').padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}
