// A real core on a temp data folder for the benches, and a dispatch helper that throws on an error value.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../electron/core/index.ts';
import { FileKeyBox } from '../../electron/core/secrets/file-key-box.ts';
import type { ArgsOf, MethodName, ResultOf } from '../../electron/shared/contract.ts';

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `cd-bench-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function openCore(dataDir: string): Core {
  mkdirSync(dataDir, { recursive: true });
  return createCore({ dataDir, secrets: new FileKeyBox(dataDir), host: 'bench' });
}

export async function must<M extends MethodName>(core: Core, method: M, args: ArgsOf<M>): Promise<ResultOf<M>> {
  const r = await core.dispatch(method, args);
  if (!r.ok) throw new Error(`${method} failed: ${r.error.code}: ${r.error.message}`);
  return r.value as ResultOf<M>;
}
