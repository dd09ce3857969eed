// CLI: `route NUMBER --offline FILE --flavor 4.3|5.0 ...`: which carriers, gateways and dial strings Kazoo's stepswitch
// picks for a number (routing-spec Appendix A), from a file of stored resource documents. Offline routing needs no
// data folder and creates none. The online forms (`--cluster NAME`, `--all-clusters`, `--with-drafts`) answer from
// the clusters' pulled data (route-online.ts). Exit codes: 0 answered (also "no carrier"), 1 stepswitch would fail, 2 usage.
// Gathering the world (here) is kept apart from printing (route-text.ts) so other sources can feed the same output.
import type { Command } from 'commander';
import { readFileSync, statSync } from 'node:fs';
import { CliExit, collect, EXIT_FAILED, EXIT_USAGE, type CliRuntime } from '../runtime.ts';
import { compileWorld, WorldInputError, type RouteRequest, type RouteResult, type World } from '../../core/routing/index.ts';
import { MAX_WORLD_FILE_BYTES, parseFlavor, parseWorldFile } from '../../core/routing/world-file.ts';
import { MAX_NUMBER_CHARS } from '../../shared/routing.ts';
import { routeText } from './route-text.ts';
import { channelValues, routeOnline, type OnlineRouteOptions } from './route-online.ts';

/** The online options (calling account, caller ids, flags, …) plus the offline form's file, flavor and on-net. */
export interface RouteOptions extends OnlineRouteOptions {
  offline?: string;
  flavor?: string;
  onNet?: boolean;
}

/** The request stepswitch would receive, from the command's options (callflow's inputs, routing-spec §1). */
export function routeRequest(number: string, o: RouteOptions): RouteRequest {
  const req: RouteRequest = { number };
  if (o.account) req.accountId = o.account;
  if (o.local || o.huntAccount) {
    const hunt = o.huntAccount ?? o.account;
    if (!hunt) throw new CliExit(EXIT_USAGE, '--local uses the carriers of the calling account: give --account ID (or --hunt-account ID).');
    req.huntAccountId = hunt;
  }
  if (o.callerId) req.callerIdNumber = o.callerId;
  if (o.emergencyCallerId) req.emergencyCallerIdNumber = o.emergencyCallerId;
  if (o.flags) req.flags = o.flags.split(',').map((f) => f.trim());
  if (o.bypassE164) req.bypassE164 = true;
  if (o.onNet) req.onNet = true;
  const ccvs = channelValues(o.channelVar, '--channel-var');
  if (ccvs) req.customChannelVars = ccvs;
  const headers = channelValues(o.sipHeader, '--sip-header');
  if (headers) req.customSipHeaders = headers;
  if (o.zone) req.zone = o.zone;
  return req;
}

/** The same bound as the app's (MAX_NUMBER_CHARS): a longer string is not a phone number. */
function checkLength(what: string, v: string): void {
  if (v.length > MAX_NUMBER_CHARS) throw new CliExit(EXIT_USAGE, `${what} is ${v.length} characters long; give at most ${MAX_NUMBER_CHARS} (no phone number is longer).`);
}

/** Reads and checks the offline world file; every problem is one usage line. */
export function offlineWorld(path: string, flavor: string | undefined): { world: World; ignored: string[] } {
  const f = parseFlavor(flavor);
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new CliExit(EXIT_USAGE, `Cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`);
  }
  if (size > MAX_WORLD_FILE_BYTES) throw new CliExit(EXIT_USAGE, `${path} is larger than ${MAX_WORLD_FILE_BYTES / 1024 / 1024} MB; a world file holds resource documents and tables only.`);
  const parsed = parseWorldFile(readFileSync(path, 'utf8'), path);
  return { world: { ...parsed.world, flavor: f }, ignored: parsed.ignored };
}

export function registerRouteCommand(program: Command, rt: CliRuntime): void {
  program
    .command('route <number>')
    .description('which carriers, gateways and dial strings Kazoo picks for a number, as stepswitch would (per cluster, or offline from a file)')
    .option('--cluster <name>', "answer from this cluster's pulled carriers and routing data")
    .option('--all-clusters', 'one answer per cluster')
    .option('--with-drafts', 'as the cluster will be after the current plan (the documents apply would send)')
    .option('--offline <file>', 'JSON file {"resources": [stored documents; "account_id" marks an account carrier], "classifiers"?, "stepswitch"?, "number_manager"?, "accounts"?: [{"id","parent_id"}]}')
    .option('--flavor <version>', 'Kazoo version whose stepswitch to simulate: 4.3 or 5.0')
    .option('--account <id>', 'the calling account (with --cluster/--all-clusters: an id or a name)')
    .option('--local', "use the account's own carriers (use_local_resources): those of --hunt-account, else of --account")
    .option('--hunt-account <id>', 'the account whose carriers a local call uses (implies --local)')
    .option('--caller-id <number>', 'the caller id number (matched by cid_rules)')
    .option('--emergency-caller-id <number>', 'the emergency caller id number')
    .option('--flags <a,b>', 'the call flags (outbound_flags), comma separated')
    .option('--bypass-e164', 'rules see the number as dialled, not normalised to E.164')
    .option('--channel-var <name=value>', "a custom channel variable of the calling channel (repeatable); gateways' dynamic invite parameters read them", collect)
    .option('--sip-header <name=value>', "a custom SIP header of the calling channel (repeatable), for dynamic invite parameters", collect)
    .option('--zone <zone>', "the zone of the Kazoo node handling the call, for a dynamic invite parameter 'zone'")
    .option('--on-net', 'the number is hosted on the cluster (the call then stays on-net)')
    .addHelpText('after', '\nThe answer lists the carriers in the order Kazoo tries them, the dial string of each gateway, every carrier left\nout with its reason, and what the simulator cannot settle. Exit codes: 0 answered (also "no carrier"),\n1 stepswitch would fail the call, 2 usage error.')
    .action(async (number: string, o: RouteOptions) => {
      checkLength('The number', number);
      if (o.callerId) checkLength('--caller-id', o.callerId);
      if (o.emergencyCallerId) checkLength('--emergency-caller-id', o.emergencyCallerId);
      const online = o.cluster !== undefined || o.allClusters === true;
      if (o.cluster !== undefined && o.allClusters) throw new CliExit(EXIT_USAGE, 'Use --cluster NAME or --all-clusters, not both.');
      if (online && (o.offline || o.flavor)) throw new CliExit(EXIT_USAGE, "--offline/--flavor route from a file; --cluster/--all-clusters use the clusters' pulled data (and know their flavor).");
      if (online && o.onNet) throw new CliExit(EXIT_USAGE, '--on-net is for --offline files.');
      if (online) return routeOnline(rt, number, o);
      if (o.withDrafts) throw new CliExit(EXIT_USAGE, '--with-drafts needs --cluster NAME or --all-clusters.');
      if (!o.offline) throw new CliExit(EXIT_USAGE, 'Give the carriers to route with: --cluster NAME, --all-clusters, or --offline FILE --flavor 4.3|5.0.');
      let result: RouteResult;
      let ignored: string[];
      try {
        const w = offlineWorld(o.offline, o.flavor);
        ignored = w.ignored;
        result = compileWorld(w.world).route(routeRequest(number, o));
      } catch (e) {
        if (e instanceof WorldInputError) throw new CliExit(EXIT_USAGE, e.message);
        throw e;
      }
      for (const k of ignored) result.warnings.push({ code: 'file_key_ignored', message: `The key "${k}" of ${o.offline} is not read.` });
      const where = `Kazoo ${parseFlavor(o.flavor)}, offline file ${o.offline}`;
      rt.print(result, (r: RouteResult) => routeText(r, { where }));
      if (result.error) process.exitCode = EXIT_FAILED;
    });
}
