// The `carrier-desk` command line: the same core and contract as the app, for scripts and automation.
// Exit codes: 0 ok, 1 failed, 2 usage.
import { Command, CommanderError } from 'commander';
import { APP_VERSION } from '../core/version.ts';
import { toErrorValue } from '../core/errors.ts';
import { tuneShortLivedProcess } from './short-lived.ts';
import { CliExit, CliRuntime, EXIT_FAILED, EXIT_OK, EXIT_USAGE, type GlobalOptions } from './runtime.ts';
import { registerAppCommands } from './commands/app.ts';
import { registerClusterCommands } from './commands/clusters.ts';
import { registerSyncCommands } from './commands/sync.ts';
import { registerNumberCommands } from './commands/numbers.ts';
import { registerJobCommands } from './commands/jobs.ts';
import { registerWatchCommand } from './commands/watch.ts';
import { registerMatrixCommand } from './commands/matrix.ts';
import { registerRouteCommand } from './commands/route.ts';

export function buildProgram(runtime: CliRuntime): Command {
  const program = new Command('carrier-desk')
    .description('Carrier Desk: drafts, plans and bulk number jobs for the carriers of Kazoo clusters.')
    .version(APP_VERSION, '-V, --version', 'print the version')
    .option('--data-dir <dir>', 'data folder (default: $CARRIER_DESK_DATA_DIR or the per-user data folder)')
    .option('--json', 'print machine-readable JSON')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerAppCommands(program, runtime);
  registerClusterCommands(program, runtime);
  registerSyncCommands(program, runtime);
  registerNumberCommands(program, runtime);
  registerJobCommands(program, runtime);
  registerWatchCommand(program, runtime);
  registerMatrixCommand(program, runtime);
  registerRouteCommand(program, runtime);
  return program;
}

/** `processExits`: the caller ends the process right after (bin/carrier-desk.js), see CliRuntime.close. */
export async function runCli(argv: string[], opts: { processExits?: boolean } = {}): Promise<number> {
  // A process of its own, short-lived: V8 tuned for that (short-lived.ts).
  if (opts.processExits) tuneShortLivedProcess();
  const holder: { program?: Command } = {};
  const runtime = new CliRuntime(() => (holder.program?.opts() ?? {}) as GlobalOptions);
  const program = buildProgram(runtime);
  holder.program = program;
  program.commands.forEach(function exitOverrideAll(c: Command) {
    c.exitOverride();
    c.commands.forEach(exitOverrideAll);
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      if (e.exitCode === 0) return EXIT_OK;
      return EXIT_USAGE;
    }
    if (e instanceof CliExit) {
      if (runtime.json && e.error) process.stdout.write(JSON.stringify({ ok: false, error: e.error }, null, 2) + '\n');
      process.stderr.write(`carrier-desk: ${e.message}\n`);
      return e.exitCode;
    }
    // A core error (SQLite's texts included) in its sentence for people.
    const message = toErrorValue(e).message;
    process.stderr.write(`carrier-desk: ${message}\n`);
    return EXIT_FAILED;
  } finally {
    await runtime.close(opts.processExits === true);
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.env.CARRIER_DESK_CLI_MAIN === '1') {
  runCli(process.argv.slice(2), { processExits: true }).then((code) => process.exit(code));
}
