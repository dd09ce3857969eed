// A real core on a temp data folder for the benches, and a dispatch helper that throws on an error value.
import { mkdirSync } from 'node:fs';
import { createCore, type Core } from '../../electron/core/index.ts';
import { FileKeyBox } from '../../electron/core/secrets/file-key-box.ts';
import { tempDir as testTempDir } from '../../test/support/temp.ts';

/** The dispatch helper of the tests: the value, or an exception naming the method and the error. */
export { call as must } from '../../test/support/core-calls.ts';

/** A temp folder named after the bench. */
export function tempDir(prefix: string): { path: string; remove(): void } {
  return testTempDir(`cd-bench-${prefix}-`);
}

export function openCore(dataDir: string): Core {
  mkdirSync(dataDir, { recursive: true });
  return createCore({ dataDir, secrets: new FileKeyBox(dataDir), host: 'bench' });
}
