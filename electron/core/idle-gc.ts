// Young-generation garbage collection moved into a wait on the network, for short-lived processes (the CLI).
//
// V8 collects its young generation when it fills up, wherever the program is. In `carrier-desk apply` to 50 clusters
// that was in the middle of sending the writes: a 3-10 ms pause that held up every write still to go, while ~20 ms
// earlier the main thread had sat idle waiting for the reads' replies (fan-out, eighth pass, in
// docs/benchmarks-history.md). A process that turns this on collects during such a wait instead (the plan builder
// calls collectWhileIdle once the work it can do ahead of the replies is done and no reply has come), so the work
// that follows starts with an empty young generation. The app leaves it off: a long-running process has no start-up
// garbage to speak of, and V8's own pacing suits it.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options: { type: 'minor' | 'major' }) => void;

let enabled = false;
let collect: Collect | null = null;

/** Turns idle collection on (or off) for this process. */
export function setIdleCollection(on: boolean): void {
  enabled = on;
}

/** Collects the young generation now when idle collection is on; call it only where the process would otherwise wait. */
export function collectWhileIdle(): void {
  if (!enabled) return;
  try {
    if (!collect) {
      // V8 gives `gc` only to the contexts made once --expose-gc is set. Set now, after start-up, the flag leaves the
      // CLI bundle's code cache alone (V8 checked it against the flags of the start).
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as Collect;
    }
    collect({ type: 'minor' });
  } catch {
    // Only a head start on work V8 does anyway: a runtime without it just collects when it would have.
    enabled = false;
  }
}
