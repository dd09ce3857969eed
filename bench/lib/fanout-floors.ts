// Two floors under the fan-out bench's CLI figure, measured in the same run with the CLI apply's own round trips (a
// read and then a write of one resource on each cluster, the clusters in parallel) and nothing else: no plan, no
// database, no outbox, no output (bench/lib/fanout-floor-main.ts).
// - warm: sent from the bench's own process, its code long compiled. What the emulated clusters allow: they share one
//   process, so each burst of 50 requests is served one request after the other, a cost the ideal (round trips × the
//   added latency) leaves out.
// - cold: sent by undici alone from a new Node process, bundled and code-cached as the CLI is and with the CLI's V8
//   settings. A new process runs its JavaScript cold (interpreted, inline caches empty): what any short-lived Node
//   process pays for these requests here.
// What lies between the cold floor and the CLI apply (beyond its start-up) is the apply's own work. Each cluster gets
// a resource of its own for the floors, apart from the CLI's.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, login } from './emulator.ts';
import { main } from './fanout-floor-main.ts';
import { CJS_BUNDLE_OPTIONS } from '../../scripts/cli-bundle.mjs';

export interface FanoutFloors {
  /** One run in a new process: ms from its first request to its last reply. */
  cold(): number;
  /**
   * One run in this (warm) process, new connections each time: what the emulated clusters themselves allow (they share
   * one process, so a burst of 50 requests is served one after the other).
   */
  warm(): Promise<number>;
}

/** Builds the floor's bundle and code cache in `dir`, and creates one resource per cluster for it to read and write. */
export async function prepareFanoutFloors(dir: string, urls: string[]): Promise<FanoutFloors> {
  const { build } = await import('esbuild');
  const bundle = join(dir, 'fanout-floor.cjs');
  // Built as the CLI bundle is (scripts/cli-bundle.mjs).
  await build({ ...CJS_BUNDLE_OPTIONS, absWorkingDir: ROOT, entryPoints: [join(ROOT, 'bench/lib/fanout-floor-main.ts')], outfile: bundle, logLevel: 'warning' });
  const made = spawnSync(process.execPath, [join(ROOT, 'bin/code-cache.js'), '--make', bundle], { stdio: 'ignore' });
  if (made.status !== 0) throw new Error('fan-out floor: the code cache could not be made');
  const targets = await Promise.all(
    urls.map(async (url, i) => {
      const token = await login(url);
      const id = `f1${randomBytes(15).toString('hex')}`;
      // Created with its id chosen here, as the product creates (PUT on the collection, spec: client ids).
      const res = await fetch(`${url}/v2/resources`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-auth-token': token },
        body: JSON.stringify({ data: { id, name: `Floor ${i}`, gateways: [{ server: 'sip.floor.example', enabled: true }], rules: ['^\\+1(\\d{10})$'] } }),
      });
      if (res.status !== 201 && res.status !== 200) throw new Error(`fan-out floor: creating its resource on ${url} answered ${res.status}: ${await res.text()}`);
      return { url, token, path: `/v2/resources/${id}` };
    }),
  );
  const file = join(dir, 'fanout-floor-targets.json');
  writeFileSync(file, JSON.stringify(targets));
  let weight = 1;
  return {
    cold() {
      const r = spawnSync(process.execPath, [join(ROOT, 'bench/lib/fanout-floor-run.mjs'), bundle, file, String(weight++)], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`cold floor exited ${r.status}: ${r.stderr}`);
      return (JSON.parse(r.stdout) as { ms: number }).ms;
    },
    warm: () => main(file, weight++, false),
  };
}
