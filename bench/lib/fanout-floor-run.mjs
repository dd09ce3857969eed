// `node bench/lib/fanout-floor-run.mjs BUNDLE TARGETS WEIGHT`: runs the floor's bundle (bench/lib/fanout-floors.ts) from its
// code cache, as bin/carrier-desk.js runs the CLI's, and prints {"ms": N}.
import { loadBundle } from '../../bin/code-cache.js';

const [bundle, targets, weight] = process.argv.slice(2);
const { main } = loadBundle(bundle);
const ms = await main(targets, Number(weight));
process.stdout.write(`${JSON.stringify({ ms })}\n`);
process.exit(0);
