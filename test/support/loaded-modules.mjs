// Preloaded into a child process by tests (NODE_OPTIONS=--import): when the process exits, writes the files it
// loaded through require() (one a line) to the file named by CARRIER_DESK_TEST_LOADED, so a test can tell whether
// a command loaded a dependency it does not need (lazy-require.ts loads them through require()).
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const out = process.env.CARRIER_DESK_TEST_LOADED;
const { cache } = createRequire(import.meta.url);
if (out) process.on('exit', () => writeFileSync(out, Object.keys(cache).join('\n')));
