// Reads a cluster's routing data at pull and records it per kind (routing-spec §10): the flavor, the classifier table
// in runtime order, the stepswitch and number_manager configs (a login that may not read them is recorded as such,
// and answers then assume Kazoo's defaults), the account tree. Never throws: a failed or wrong-shaped read is
// recorded next to the data kept from the last good one, and the pull of resources goes on.
import type { ClusterRow } from '../db/repos/clusters-repo.ts';
import type { RoutingFactKind, RoutingFactWrite, RoutingRepo } from '../db/repos/routing-repo.ts';
import { toErrorValue } from '../errors.ts';
import { collectAll, envelopeOf, ForbiddenError, KazooError, kazooPath, NotFoundError, ServerError, type KazooClient } from '../kazoo/index.ts';
import type { ErrorValue } from '../../shared/result.ts';
import { accountTree, BadReplyError, classifierTable, configFacts, flavorFacts } from './facts.ts';

export interface RoutingPullResult {
  read: RoutingFactKind[];
  notReadable: RoutingFactKind[];
  failed: { kind: RoutingFactKind; error: ErrorValue }[];
}

/** A login that may not read system configs: 403, or the 500 "init failed" of a refused super-duper check (crossbar-spec §1.3). */
function refused(e: unknown, cluster: ClusterRow): boolean {
  if (e instanceof ForbiddenError) return true;
  if (e instanceof ServerError && e.kazooMessage === 'init failed') return true;
  // A login the probe found not to be super-duper admin cannot read them whatever the cluster answers.
  return cluster.super_duper === 0 && e instanceof KazooError && e.status !== undefined && e.status < 500;
}

/** Every item of a listing whose `data` must be a list (a wrong shape is refused, not read as "no items"). */
async function listAll(client: KazooClient, path: string): Promise<unknown[]> {
  return collectAll<unknown, unknown>(
    async (startKey) => envelopeOf(await client.request({ method: 'GET', path, ...(startKey !== undefined ? { query: { start_key: startKey } } : {}) })),
    (data) => {
      if (!Array.isArray(data)) throw new BadReplyError('account descendants listing', 'data is not a list');
      return data;
    },
  );
}

export async function pullRoutingData(repo: RoutingRepo, cluster: ClusterRow, client: KazooClient, now: () => number): Promise<RoutingPullResult> {
  const writes: RoutingFactWrite[] = [];
  const result: RoutingPullResult = { read: [], notReadable: [], failed: [] };
  const record = async (kind: RoutingFactKind, read: () => Promise<string | 'not_readable'>): Promise<void> => {
    try {
      const out = await read();
      if (out === 'not_readable') {
        writes.push({ kind, status: 'not_readable' });
        result.notReadable.push(kind);
      } else {
        writes.push({ kind, status: 'ok', dataJson: out });
        result.read.push(kind);
      }
    } catch (e) {
      const error = toErrorValue(e);
      writes.push({ kind, status: 'failed', errorJson: JSON.stringify(error) });
      result.failed.push({ kind, error });
    }
  };

  let session: { accountId: string; accountName?: string };
  try {
    session = await client.session();
  } catch (e) {
    const error = toErrorValue(e);
    const kinds: RoutingFactKind[] = ['flavor', 'classifiers', 'stepswitch', 'number_manager', 'accounts'];
    repo.save(cluster.id, kinds.map((kind) => ({ kind, status: 'failed', errorJson: JSON.stringify(error) })), now());
    return { read: [], notReadable: [], failed: kinds.map((kind) => ({ kind, error })) };
  }
  const login = { id: session.accountId, ...(session.accountName ? { name: session.accountName } : {}) };
  const config = (id: 'stepswitch' | 'number_manager') => async () => {
    try {
      return JSON.stringify(configFacts(id, await client.routing.systemConfig(id)));
    } catch (e) {
      if (refused(e, cluster)) return 'not_readable' as const;
      throw e;
    }
  };
  let version: string | undefined;
  await Promise.all([
    record('classifiers', async () => {
      const reply = await client.routing.classifiers(login.id);
      version = reply.version;
      return JSON.stringify(classifierTable(reply));
    }),
    record('stepswitch', config('stepswitch')),
    record('number_manager', config('number_manager')),
    record('accounts', async () => {
      const [parents, descendants] = await Promise.all([
        // A cluster without the `parents` endpoint: the login's own ancestors stay unknown (hunt accounts above it
        // cannot hold resources this login reads anyway).
        client.routing.parents(login.id).catch((e: unknown) => {
          if (e instanceof NotFoundError && e.endpointMissing) return [];
          throw e;
        }),
        listAll(client, kazooPath`/v2/accounts/${login.id}/descendants`),
      ]);
      return JSON.stringify(accountTree(login, parents, descendants));
    }),
  ]);
  await record('flavor', async () => {
    const f = flavorFacts(version, cluster.flavor);
    if (!f) throw new KazooError('unknown_flavor', `The cluster did not say which Kazoo version it runs (${version ?? 'no version'}); check it with "clusters check".`);
    return JSON.stringify(f);
  });
  repo.save(cluster.id, writes, now());
  return result;
}
