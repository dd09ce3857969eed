// Loads a dependency on its first use instead of at start-up, so a command that never sends a request, validates
// a schema or reads a CSV (e.g. `carrier-desk drafts list`) does not pay for loading undici, ajv or csv-parse.
import { createRequire } from 'node:module';

const nodeRequire = createRequire(import.meta.url);

/** `lazyRequire<typeof import('x')>('x')()` is `require('x')`, evaluated once, on the first call. */
export function lazyRequire<T>(id: string): () => T {
  let mod: T | undefined;
  return () => (mod ??= nodeRequire(id) as T);
}

/**
 * `lazyBundled<T>(() => require('x'), 'x')`: the same, for a package the CLI bundle carries. esbuild follows the
 * literal `require('x')`, so x's code is in the bundle and its V8 code cache (bin/code-cache.js: not read and compiled
 * from node_modules by every command that uses it) but still runs only on the first call. The sources run as ES
 * modules, where there is no `require`: there x is loaded from node_modules, as by lazyRequire.
 */
export function lazyBundled<T>(bundled: () => unknown, id: string): () => T {
  let mod: T | undefined;
  return () => (mod ??= (typeof require === 'function' ? bundled() : nodeRequire(id)) as T);
}
