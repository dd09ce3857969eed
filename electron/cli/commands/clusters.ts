// CLI: `clusters add|edit|list|check|remove` and `accounts NAME [--tree]`.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { CliExit, EXIT_FAILED, EXIT_USAGE, table, type CliRuntime } from '../runtime.ts';
import type { AccountNode, ClusterView } from '../../shared/contract/clusters.ts';

interface AddOptions {
  url: string;
  apiKey?: string;
  apiKeyEnv?: string;
  accountName?: string;
  username?: string;
  password?: string;
  passwordEnv?: string;
  passwordStdin?: boolean;
  sha?: boolean;
  caFile?: string;
  insecure?: boolean;
  check: boolean;
}

function readEnv(name: string, what: string): string {
  const v = process.env[name];
  if (!v) throw new CliExit(EXIT_USAGE, `The environment variable ${name} (${what}) is empty or not set.`);
  return v;
}

function readStdinSecret(): string {
  const text = readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  if (!text) throw new CliExit(EXIT_USAGE, 'Nothing was read from standard input for the password.');
  return text;
}

type LoginInput = { kind: 'api_key'; apiKey: string } | { kind: 'user'; accountName: string; username: string; password: string; hash: 'md5' | 'sha' };

/** The login given on the command line, or undefined when none is (allowed by `edit` only). */
function loginFrom(o: Omit<AddOptions, 'url' | 'check'>, required: boolean): LoginInput | undefined {
  const apiKey = o.apiKey ?? (o.apiKeyEnv ? readEnv(o.apiKeyEnv, 'API key') : undefined);
  const password = o.password ?? (o.passwordEnv ? readEnv(o.passwordEnv, 'password') : o.passwordStdin ? readStdinSecret() : undefined);
  const userLogin = o.accountName !== undefined || o.username !== undefined || password !== undefined;
  if (apiKey && userLogin) throw new CliExit(EXIT_USAGE, 'Use either --api-key or --account-name/--username/--password, not both.');
  if (!apiKey && !userLogin && !required) return undefined;
  if (!apiKey && !(o.accountName && o.username && password)) {
    throw new CliExit(EXIT_USAGE, 'Give --api-key KEY, or --account-name A --username U with --password P (or --password-env VAR / --password-stdin).');
  }
  return apiKey ? { kind: 'api_key', apiKey } : { kind: 'user', accountName: o.accountName!, username: o.username!, password: password!, hash: o.sha ? 'sha' : 'md5' };
}

export function describeCluster(c: ClusterView): string {
  const failedCheck = Boolean(c.checkedAt && c.probedAt !== c.checkedAt);
  // A reply the probe refused (too large, too slow, wrong shape) leaves the cluster reachable and logged in: the
  // reason then goes with the failed check rather than with the status.
  const reasonOnStatus = c.lastError && c.status.kind !== 'ready';
  const lines = [
    `${c.name}  ${c.baseUrl}`,
    `  status: ${c.status.label}${reasonOnStatus ? ` (${c.lastError!.message})` : ''}`,
    `  last check: ${c.checkedAt ? new Date(c.checkedAt).toISOString() : 'never'}${failedCheck ? ` (it did not succeed${c.lastError && !reasonOnStatus ? `: ${c.lastError.message}` : ''})` : ''}`,
    `  kazoo: ${c.version ?? '?'} (flavor ${c.flavor ?? 'unknown'})`,
    `  login: ${c.authKind === 'api_key' ? 'api key' : `${c.username}@${c.accountName}`}${c.accountId ? ` (account ${c.accountId})` : ''}`,
    `  super-duper admin: ${c.superDuper === undefined ? 'unknown' : c.superDuper ? 'yes' : 'no'}`,
  ];
  if (c.jobRecovery) lines.push(`  job recovery: every ${c.jobRecovery.timeoutS}s, stalled after ${c.jobRecovery.thresholdS}s`);
  if (c.tls.caFile) lines.push(`  CA file: ${c.tls.caFile}`);
  if (c.tls.insecure) lines.push('  WARNING: TLS certificate checks are OFF for this cluster (--insecure).');
  return lines.join('\n');
}

/** The profile as stored now (after a check that did not succeed, which recorded what it learned). */
async function storedView(rt: CliRuntime, idOrName: string): Promise<ClusterView | undefined> {
  return (await rt.call('clusters.list', {})).find((c) => c.id === idOrName || c.name.toLowerCase() === idOrName.toLowerCase());
}

/** The login and TLS options that `add` and `edit` share. */
function withLoginOptions(cmd: Command): Command {
  return cmd
    .option('--api-key <key>', 'log in with an API key')
    .option('--api-key-env <var>', 'read the API key from this environment variable')
    .option('--account-name <name>', 'account name for a user login')
    .option('--username <user>', 'user name for a user login')
    .option('--password <password>', 'password (prefer --password-env or --password-stdin)')
    .option('--password-env <var>', 'read the password from this environment variable')
    .option('--password-stdin', 'read the password from standard input')
    .option('--sha', 'hash credentials with SHA-1 instead of MD5')
    .option('--ca-file <file>', 'PEM file of the CA that signed the cluster certificate')
    .option('--insecure', 'do not verify the TLS certificate (not recommended)');
}

export function registerClusterCommands(program: Command, rt: CliRuntime): void {
  const clusters = program.command('clusters').description('manage cluster profiles');

  withLoginOptions(
    clusters
      .command('add <name>')
      .description('add a cluster profile and check the connection')
      .requiredOption('--url <url>', 'Crossbar URL, e.g. https://kazoo.example.com:8443'),
  )
    .option('--no-check', 'save without connecting')
    .action(async (name: string, o: AddOptions) => {
      const auth = loginFrom(o, true)!;
      if (o.caFile && o.insecure) throw new CliExit(EXIT_USAGE, 'Use either --ca-file or --insecure, not both.');
      const view = await rt.call('clusters.add', {
        name,
        url: o.url,
        auth,
        tls: { ...(o.caFile ? { caFile: o.caFile } : {}), insecure: o.insecure === true },
        check: o.check,
      });
      rt.print(view, (c: ClusterView) => `Added cluster ${c.name}.\n${describeCluster(c)}${c.lastError ? `\nThe profile is saved: fix it with carrier-desk clusters edit ${c.name} ..., or remove it.` : ''}`);
      if (view.lastError) process.exitCode = 1;
    });

  withLoginOptions(
    clusters
      .command('edit <name>')
      .description('change a cluster profile (only what is given) and check the connection again')
      .option('--rename <new-name>', 'a new name for the profile')
      .option('--url <url>', 'Crossbar URL'),
  )
    .option('--secure', 'verify the TLS certificate against the system CAs again (drops --ca-file and --insecure)')
    .option('--no-check', 'save without connecting')
    .action(async (name: string, o: Omit<AddOptions, 'url'> & { url?: string; rename?: string; secure?: boolean }) => {
      if ((o.password !== undefined || o.passwordEnv || o.passwordStdin) && o.accountName === undefined && o.username === undefined) {
        // Only the password again (a changed password, or a login this machine can no longer decrypt): same user.
        const c = (await rt.call('clusters.list', {})).find((x) => x.id === name || x.name.toLowerCase() === name.toLowerCase());
        if (c?.authKind === 'user') Object.assign(o, { accountName: c.accountName, username: c.username });
      }
      const auth = loginFrom(o, false);
      if ([o.caFile !== undefined, o.insecure === true, o.secure === true].filter(Boolean).length > 1) {
        throw new CliExit(EXIT_USAGE, 'Use only one of --ca-file, --insecure and --secure.');
      }
      const tls = o.secure ? { insecure: false } : o.caFile ? { caFile: o.caFile, insecure: false } : o.insecure ? { insecure: true } : undefined;
      if (!o.rename && !o.url && !auth && !tls) {
        throw new CliExit(EXIT_USAGE, 'Nothing to change: give --rename, --url, a login (--api-key or --account-name/--username/--password), --ca-file, --insecure or --secure.');
      }
      let view = await rt.call('clusters.update', {
        cluster: name,
        ...(o.rename ? { name: o.rename } : {}),
        ...(o.url ? { url: o.url } : {}),
        ...(auth ? { auth } : {}),
        ...(tls ? { tls } : {}),
      });
      if (o.check) {
        // The profile is saved either way; a failed check is reported with it rather than instead of it.
        const checked = await rt.getCore().dispatch('clusters.check', { cluster: view.id });
        view = checked.ok ? (checked.value as ClusterView) : { ...((await storedView(rt, view.id)) ?? view), lastError: checked.error };
      }
      rt.print(view, (c: ClusterView) => `Saved cluster ${c.name}.\n${describeCluster(c)}`);
      if (o.check && view.lastError) process.exitCode = 1;
    });

  clusters
    .command('list')
    .description('list cluster profiles')
    .action(async () => {
      const list = await rt.call('clusters.list', {});
      rt.print(list, (l: ClusterView[]) =>
        l.length === 0
          ? 'No clusters yet. Add one with: carrier-desk clusters add NAME --url URL --api-key KEY'
          : table(
              l.map((c) => [c.name, c.baseUrl, c.status.label, c.version ?? '?', c.flavor ?? '?', c.superDuper ? 'yes' : c.superDuper === false ? 'no' : '?', c.tls.insecure ? 'INSECURE TLS' : '']),
              ['NAME', 'URL', 'STATUS', 'VERSION', 'FLAVOR', 'SUPER-DUPER', ''],
            ),
      );
    });

  clusters
    .command('check <name>')
    .description('connect to a cluster and report its version, flavor and rights')
    .action(async (name: string) => {
      const checked = await rt.getCore().dispatch('clusters.check', { cluster: name });
      if (checked.ok) return rt.print(checked.value, describeCluster);
      // A check that did not succeed still prints the profile as stored now: reachability, login and the reason.
      const stored = await storedView(rt, name);
      if (!stored) throw new CliExit(EXIT_FAILED, checked.error.message, checked.error);
      rt.print({ ...stored, lastError: checked.error }, describeCluster);
      process.exitCode = EXIT_FAILED;
    });

  clusters
    .command('remove <name>')
    .description('remove a cluster profile (drafts are kept)')
    .action(async (name: string) => {
      const r = await rt.call('clusters.remove', { cluster: name });
      rt.print(r, () => `Removed cluster ${r.removed}.`);
    });

  program
    .command('accounts <cluster>')
    .description("list the accounts the cluster's login can see")
    .option('--tree', 'show children under their parents')
    .action(async (cluster: string, o: { tree?: boolean }) => {
      const nodes = await rt.call('accounts.tree', { cluster });
      rt.print(nodes, (n: AccountNode[]) =>
        o.tree
          ? n.map((a) => `${'  '.repeat(a.depth)}${a.name}  ${a.id}`).join('\n')
          : table(n.map((a) => [a.id, a.name, a.realm ?? '']), ['ID', 'NAME', 'REALM']),
      );
    });
}
