// Child process of the fan-out bench: N emulated 5.0 clusters, each on its own port with the same added latency,
// kept apart from the measured process (as real clusters are). Prints one JSON line {"urls": [...]} once all listen;
// on a line "count" on stdin prints {"counts": [...]}: Crossbar requests each cluster answered since the last count.
import { createInterface } from 'node:readline';
import { startEmulator, type EmulatorHandle } from '../../test/kazoo-emulator/index.ts';

const n = Number(process.argv[2] ?? 50);
const latencyMs = Number(process.argv[3] ?? 50);
const emus: EmulatorHandle[] = await Promise.all(Array.from({ length: n }, () => startEmulator({ flavor: '5.0', faults: { latencyMs } })));
console.log(JSON.stringify({ urls: emus.map((e) => e.url) }));
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'count') return;
  const counts = emus.map((e) => e.requestLog().filter((r) => /\/(local_)?resources/.test(r.path)).length);
  for (const e of emus) e.clearRequestLog();
  console.log(JSON.stringify({ counts }));
});
process.stdin.on('end', () => void Promise.all(emus.map((e) => e.close())).then(() => process.exit(0)));
