// Builds the renderer (the project's vite config) into a temp folder, and a minimal Svelte 5 app with the same
// toolchain as the size baseline; sums the gzipped size of everything a build emits.
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { ROOT } from './emulator.ts';

export interface BuildSize {
  files: number;
  rawBytes: number;
  gzipBytes: number;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** Sum over every emitted file of its gzip (level 9) size. */
export function buildSize(dir: string): BuildSize {
  const files = walk(dir);
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const f of files) {
    const buf = readFileSync(f);
    rawBytes += buf.length;
    gzipBytes += gzipSync(buf, { level: 9 }).length;
  }
  return { files: files.length, rawBytes, gzipBytes };
}

/** The real renderer, built from the current sources with the project's vite.config.ts into outDir. */
export async function buildRenderer(outDir: string): Promise<void> {
  await build({
    configFile: join(ROOT, 'vite.config.ts'),
    root: join(ROOT, 'renderer'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
}

/** A Svelte 5 app with one component and one piece of state: what any app built this way costs at least. */
export async function buildMinimalSvelte(workDir: string, outDir: string): Promise<void> {
  const src = join(workDir, 'minimal');
  mkdirSync(src, { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'), 'dir');
  writeFileSync(join(src, 'index.html'), '<!doctype html><html><body><div id="app"></div><script type="module" src="./main.js"></script></body></html>');
  writeFileSync(join(src, 'main.js'), "import { mount } from 'svelte';\nimport App from './App.svelte';\nmount(App, { target: document.getElementById('app') });\n");
  writeFileSync(join(src, 'App.svelte'), '<script>let n = $state(0);</script>\n<button onclick={() => n++}>clicked {n} times</button>\n');
  await build({
    configFile: false,
    root: src,
    base: './',
    logLevel: 'warn',
    plugins: [svelte()],
    build: { outDir, emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
  });
}
