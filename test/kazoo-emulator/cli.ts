// `npm run emulator -- [--port N] [--flavor 4.3|5.0] [--seed FILE] [--state FILE] [--job-delay-ms N]
// [--admin-port N] [--latency-ms N] [--docs-quirks] [--host H]`: runs one emulator until SIGINT/SIGTERM.
import { Command, InvalidArgumentError } from 'commander';
import { demoSeed, loadSeed, startEmulator } from './index.ts';
import type { Flavor } from './types.ts';

const int = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer, got "${v}"`);
  return n;
};

const program = new Command()
  .name('kazoo-emulator')
  .description('Kazoo Crossbar emulator (see test/kazoo-emulator/README.md)')
  .option('--port <n>', 'Crossbar port (0 = any free port)', int('--port'), 8000)
  .option('--host <host>', 'address to bind', '127.0.0.1')
  .option('--flavor <flavor>', 'Kazoo flavor: 4.3 or 5.0', '5.0')
  .option('--seed <file>', 'seed JSON file (default: seeds/demo.json)')
  .option('--state <file>', 'keep the data in this file across restarts')
  .option('--job-delay-ms <n>', 'delay of the job executor per number', int('--job-delay-ms'), 0)
  .option('--admin-port <n>', 'admin API port (0 = any free port)', int('--admin-port'), 0)
  .option('--latency-ms <n>', 'latency added to every Crossbar reply', int('--latency-ms'), 0)
  .option('--random-seed <n>', 'make fault dice and generated ids reproducible', int('--random-seed'))
  .option('--docs-quirks', 'answer like the public docs examples', false);

program.parse();
const o = program.opts<{
  port: number; host: string; flavor: string; seed?: string; state?: string; jobDelayMs: number; adminPort: number;
  latencyMs: number; randomSeed?: number; docsQuirks: boolean;
}>();
if (o.flavor !== '4.3' && o.flavor !== '5.0') {
  console.error(`--flavor must be 4.3 or 5.0, got "${o.flavor}"`);
  process.exit(2);
}

try {
  const seed = o.seed ? loadSeed(o.seed) : demoSeed();
  const em = await startEmulator({
    port: o.port, host: o.host, flavor: o.flavor as Flavor, seed, jobDelayMs: o.jobDelayMs, adminPort: o.adminPort,
    faults: { latencyMs: o.latencyMs, docsQuirks: o.docsQuirks },
    ...(o.state ? { statePath: o.state } : {}), ...(o.randomSeed !== undefined ? { randomSeed: o.randomSeed } : {}),
  });
  const lines = [
    `Kazoo Crossbar emulator (flavor ${em.flavor}) listening on ${em.url}  (Crossbar API: ${em.url}/v2/...)`,
    `Admin API: ${em.adminUrl}`,
    `Master account id: ${em.masterAccountId}`,
    'Seeded logins (PUT /v2/user_auth {"data":{"account_name", "credentials": md5("user:pass")}}):',
  ];
  const accounts = new Map(seed.accounts.map((a) => [a.id, a]));
  for (const u of seed.users ?? []) {
    lines.push(`  account "${accounts.get(u.account_id)?.name ?? u.account_id}"  user "${u.username}"  password "${u.password}"`);
  }
  for (const a of seed.accounts) if (a.api_key) lines.push(`  api key of "${a.name}": ${a.api_key}`);
  if (o.state) lines.push(`State file: ${o.state} (logins above come from the seed; a state file keeps its own data)`);
  console.log(lines.join('\n'));
  let stopping = false;
  const stop = (sig: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${sig}: stopping the emulator`);
    void em.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (e) {
  console.error(`emulator failed to start: ${(e as Error).message}`);
  process.exit(1);
}
