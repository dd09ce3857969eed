// Benchmark: start-up of the `carrier-desk` command (bin/carrier-desk.js, as a user runs it after `npm install`):
// cold starts of simple commands, each a new node process, interleaved with `node -e 0` (the baseline: node's own
// start-up on this machine at that moment). The bundle is built first if the sources changed, as the first start
// after a change would do. Run standalone: npx tsx bench/cli.ts [--quick]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { metric, type BenchOptions, type BenchResult } from './lib/metrics.ts';
import { max, median } from './lib/stats.ts';
import { must, openCore, tempDir } from './lib/core.ts';
import { carrierDoc } from './lib/resources.ts';
import { buildCliBundle, bundleIsFresh } from '../scripts/cli-bundle.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/carrier-desk.js', import.meta.url));

/** Wall time of one process, from spawn to exit. */
function timed(args: string[], env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export async function run(opts: Partial<BenchOptions> = {}): Promise<BenchResult> {
  const log = opts.log ?? (() => undefined);
  const starts = opts.quick ? 5 : 11;
  if (!bundleIsFresh(root)) {
    log('cli: building the command-line bundle (the sources changed since the last build)');
    await buildCliBundle(root);
  }
  const data = tempDir('cli');
  try {
    // A store with a few drafts, so `drafts list` reads and prints something.
    const core = openCore(data.path);
    for (let i = 1; i <= 20; i++) await must(core, 'drafts.create', { name: `Carrier ${i}`, from: { kind: 'json', doc: carrierDoc(i, 'Carrier') } });
    await core.close();

    const env = { ...process.env, CARRIER_DESK_FROM_SOURCE: '' };
    const cmd = (...args: string[]) => [BIN, '--data-dir', data.path, ...args];
    const samples = { node: [] as number[], list: [] as number[], clusters: [] as number[], help: [] as number[], tsx: [] as number[] };
    log(`cli: ${starts} cold starts of each command, interleaved with node -e 0`);
    for (let i = 0; i < starts; i++) {
      samples.node.push(timed(['-e', '0'], env));
      samples.list.push(timed(cmd('drafts', 'list'), env));
      samples.clusters.push(timed(cmd('clusters', 'list', '--json'), env));
      samples.help.push(timed(cmd('--help'), env));
      samples.tsx.push(timed(cmd('drafts', 'list'), { ...env, CARRIER_DESK_FROM_SOURCE: '1' }));
    }
    const node = median(samples.node);
    const note = 'node -e 0';
    return {
      name: 'cli',
      metrics: [
        metric(`carrier-desk drafts list: cold start (median of ${starts})`, median(samples.list), 'ms', { baseline: node, baselineNote: note, goal: '<= 5x' }),
        metric(`carrier-desk drafts list: cold start (slowest of ${starts})`, max(samples.list), 'ms', { baseline: max(samples.node) }),
        metric(`carrier-desk clusters list --json: cold start (median of ${starts})`, median(samples.clusters), 'ms', { baseline: node, baselineNote: note, goal: '<= 5x' }),
        metric(`carrier-desk --help: cold start (median of ${starts})`, median(samples.help), 'ms', { baseline: node, baselineNote: note, goal: '<= 5x' }),
        metric(`drafts list from the sources through tsx (before the bundle; median of ${starts})`, median(samples.tsx), 'ms', { baseline: node, baselineNote: note }),
      ],
      notes: ['each start is a new node process running bin/carrier-desk.js on a store with 20 drafts; node -e 0 measured between them'],
    };
  } finally {
    data.remove();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run({ quick: process.argv.includes('--quick'), log: (l) => console.error(l) }).then((r) => console.log(JSON.stringify(r, null, 2)));
}
