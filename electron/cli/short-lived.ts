// How V8 runs the `carrier-desk` process. A command lives for a fraction of a second to a few minutes, so the work V8
// does ahead for a long life is waste there, on the CPU the command waits for (fan-out, eighth pass, in
// docs/benchmarks-history.md):
// - WebAssembly stays on Liftoff, V8's baseline compiler. undici parses HTTP with llhttp compiled to WebAssembly, and V8
//   compiled it again with TurboFan on another thread: ~80 ms of CPU in an apply to 50 clusters, half of a 2-core
//   machine's second core, and the process's exit waited for that compilation (5-20 ms more). The flags are set here,
//   after start-up, not given to node: a flag on node's command line makes V8 refuse the bundle's code cache.
// - The young generation is collected while a plan waits on the network (core/idle-gc.ts).
// The app does neither: over a long life, the optimised parser and V8's own pacing pay for themselves.
import { setFlagsFromString } from 'node:v8';
import { setIdleCollection } from '../core/idle-gc.ts';

export function tuneShortLivedProcess(): void {
  setFlagsFromString('--no-wasm-tier-up');
  setFlagsFromString('--no-wasm-dynamic-tiering');
  setIdleCollection(true);
}
