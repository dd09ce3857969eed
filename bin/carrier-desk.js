#!/usr/bin/env node
// Entry of the `carrier-desk` command: the TypeScript sources through tsx in a checkout,
// the built bundle where the sources are not shipped.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const source = fileURLToPath(new URL('../electron/cli/main.ts', import.meta.url));
let runCli;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ runCli } = await import(pathToFileURL(source).href));
} else {
  ({ runCli } = await import(new URL('../dist/electron/cli/main.js', import.meta.url).href));
}
process.exit(await runCli(process.argv.slice(2)));
