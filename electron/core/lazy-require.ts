// Loads a dependency on its first use instead of at start-up, so a command that never sends a request, validates
// a schema or reads a CSV (e.g. `carrier-desk drafts list`) does not pay for loading undici, ajv or csv-parse.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** `lazyRequire<typeof import('x')>('x')()` is `require('x')`, evaluated once, on the first call. */
export function lazyRequire<T>(id: string): () => T {
  let mod: T | undefined;
  return () => (mod ??= require(id) as T);
}
