// Cluster probe: version and flavor, which resource endpoints exist, super-duper status, job recovery settings.
import { asNumber, isObject } from './coerce.ts';
import { envelopeOf, p, type Caller } from './caller.ts';
import { BadReplyError, KazooError, NotFoundError, ReplyTooLargeError } from './errors.ts';
import type { ResourcePaths } from './api/resource-paths.ts';
import type { CallOptions, JsonObject } from './types.ts';

export type Flavor = '4.3' | '5.0' | 'unknown';

export interface ProbeResult {
  /** Kazoo version from the envelope of an authenticated reply, when sent. */
  version: string | undefined;
  flavor: Flavor;
  capabilities: { resources: boolean; localResources: boolean; jobs: boolean };
  /** The login may use global resources (its account is super-duper admin). */
  superDuper: boolean;
  accountId: string;
  accountName?: string;
  /** crossbar.resources recovery settings, when this login may read system configs. */
  jobRecovery?: { timeoutS: number; thresholdS: number };
}

/** 4.x → '4.3' behaviour, 5.x → '5.0'; without a version, the 5.0-only `tokens` envelope key decides. */
export function flavorOf(version: string | undefined, envelopeRaw?: JsonObject): Flavor {
  if (version && /^4\./.test(version)) return '4.3';
  if (version && /^5\./.test(version)) return '5.0';
  if (!version && envelopeRaw && isObject(envelopeRaw.tokens)) return '5.0';
  return 'unknown';
}

/** Reads the recovery settings from a system_config reply: flat, under `default`, or with the docs' key names. */
export function jobRecoveryOf(data: unknown): { timeoutS: number; thresholdS: number } {
  const root = isObject(data) ? data : {};
  const cfg = isObject(root.default) ? { ...root.default, ...root } : root;
  const timeoutS = asNumber(cfg.job_recovery_timeout_s) ?? asNumber(cfg.job_recover_timeout_s) ?? 21600;
  const thresholdS = asNumber(cfg.job_recovery_threshold_s) ?? asNumber(cfg.job_recover_threshold_s) ?? 3600;
  return { timeoutS, thresholdS };
}

/**
 * A reply the client refused (too large, wrong shape): the probe fails with it, so `clusters check` never calls
 * such a cluster fine. A too slow reply is a NetworkError 'timeout', which has no status and propagates anyway.
 */
function refused(e: unknown): boolean {
  return e instanceof ReplyTooLargeError || e instanceof BadReplyError;
}

/** true when the endpoint answered (even with an error), false when it does not exist; network errors propagate. */
async function exists(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (e) {
    if (e instanceof NotFoundError && e.endpointMissing) return false;
    if (e instanceof KazooError && e.status !== undefined && !refused(e)) return true;
    throw e;
  }
}

export async function probe(c: Caller, paths: ResourcePaths, opts?: CallOptions): Promise<ProbeResult> {
  const signal = opts?.signal;
  const session = await c.auth.ensure(signal);
  const A = session.accountId;
  const accountReply = envelopeOf(await c.call({ method: 'GET', path: p`/v2/accounts/${A}`, shape: 'object', signal }));
  const version = accountReply.version;
  const accountName = session.accountName ?? (isObject(accountReply.data) && typeof accountReply.data.name === 'string' ? accountReply.data.name : undefined);

  const one = { page_size: 1 };
  const [resources, localResources] = await Promise.all([
    exists(() => c.call({ method: 'GET', path: p`/v2/accounts/${A}/resources`, query: one, reply: 'listing', shape: 'array', signal })),
    exists(() => c.call({ method: 'GET', path: p`/v2/accounts/${A}/local_resources`, query: one, reply: 'listing', shape: 'array', signal })),
  ]);
  if (resources) paths.state.accountNoun = 'resources';
  else if (localResources) paths.state.accountNoun = 'local_resources';
  const jobs =
    resources || localResources
      ? await exists(() =>
          c.call({ method: 'GET', path: p`/v2/accounts/${A}/${paths.state.accountNoun ?? 'resources'}/jobs`, query: { has_key: 'numbers', ...one }, reply: 'listing', shape: 'array', signal }),
        )
      : false;

  let superDuper = false;
  try {
    await c.call({ method: 'GET', path: '/v2/resources', query: one, retry: false, reply: 'listing', shape: 'array', signal });
    superDuper = true;
  } catch (e) {
    // 401/403, or 500 "init failed" (§1.3): not a super-duper admin. Only "no answer" (or a refused one) fails the probe.
    if (!(e instanceof KazooError && e.status !== undefined) || refused(e)) throw e;
  }

  let jobRecovery: ProbeResult['jobRecovery'];
  try {
    jobRecovery = jobRecoveryOf(await c.object({ method: 'GET', path: '/v2/system_configs/crossbar.resources', retry: false, signal }));
  } catch (e) {
    if (!(e instanceof KazooError && e.status !== undefined) || refused(e)) throw e;
  }

  return {
    version,
    flavor: flavorOf(version, accountReply.raw),
    capabilities: { resources, localResources, jobs },
    superDuper,
    accountId: A,
    ...(accountName ? { accountName } : {}),
    ...(jobRecovery ? { jobRecovery } : {}),
  };
}
