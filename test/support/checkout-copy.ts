// A copy of the checkout's sources in a temp folder (node_modules linked), for tests of what a checkout builds and
// runs (the CLI bundle, the import worker bundle) without touching the checkout's own dist/.
import { cpSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from './temp.ts';

export function checkoutCopy(t: { after(fn: () => void): void }): string {
  const repo = resolve('.');
  const dir = tempDir('cd-bundle-');
  t.after(() => dir.remove());
  for (const part of ['electron', 'bin', 'scripts', 'package.json']) cpSync(join(repo, part), join(dir.path, part), { recursive: true });
  symlinkSync(join(repo, 'node_modules'), join(dir.path, 'node_modules'), 'dir');
  return dir.path;
}
