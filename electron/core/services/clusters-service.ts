// Use cases for cluster profiles: add, edit, remove, list, connection check (probe) and the account tree.
import { randomUUID } from 'node:crypto';
import type { AccountNode, ClusterView, Flavor } from '../../shared/contract/clusters.ts';
import type { ParsedArgsOf } from '../../shared/contract.ts';
import type { ClusterRow, NewCluster } from '../db/repos/clusters-repo.ts';
import type { CoreContext } from '../context.ts';
import { UserInputError, toErrorValue } from '../errors.ts';
import { redactor } from '../secrets/redactor.ts';
import { openLogin } from './client-registry.ts';
import { SecretUnavailableError } from '../secrets/secret-box.ts';
import { treeOrder } from '../../shared/account-tree.ts';
import { clusterStatus } from '../../shared/cluster-status.ts';

export function clusterView(row: ClusterRow): ClusterView {
  const probe = row.probe_json ? (JSON.parse(row.probe_json) as { capabilities?: Record<string, boolean>; jobRecovery?: ClusterView['jobRecovery'] }) : undefined;
  return {
    id: row.id,
    name: row.name,
    baseUrl: row.base_url,
    authKind: row.auth_kind,
    ...(row.account_name ? { accountName: row.account_name } : {}),
    ...(row.username ? { username: row.username } : {}),
    tls: { ...(row.ca_file ? { caFile: row.ca_file } : {}), insecure: row.tls_insecure === 1 },
    ...(row.flavor ? { flavor: row.flavor as Flavor } : {}),
    ...(row.version ? { version: row.version } : {}),
    ...(row.super_duper !== null ? { superDuper: row.super_duper === 1 } : {}),
    ...(row.account_id ? { accountId: row.account_id } : {}),
    ...(probe?.jobRecovery ? { jobRecovery: probe.jobRecovery } : {}),
    ...(probe?.capabilities ? { capabilities: probe.capabilities } : {}),
    ...(row.probed_at ? { probedAt: row.probed_at } : {}),
    ...(row.checked_at ? { checkedAt: row.checked_at } : {}),
    reachability: row.reachability,
    login: row.login,
    status: clusterStatus(row.reachability, row.login),
    ...(row.last_error_json ? { lastError: JSON.parse(row.last_error_json) } : {}),
  };
}

export function normaliseBaseUrl(url: string): string {
  const u = new URL(url.trim());
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UserInputError(`The cluster URL must start with https:// or http:// (got ${u.protocol}).`);
  return u.origin + u.pathname.replace(/\/+$/, '').replace(/\/v2$/, '');
}

export class ClustersService {
  constructor(private readonly ctx: CoreContext) {}

  list(): ClusterView[] {
    return this.ctx.clusters.list().map(clusterView);
  }

  get(idOrName: string): ClusterView {
    return clusterView(this.ctx.clients.profile(idOrName));
  }

  async add(args: ParsedArgsOf<'clusters.add'>): Promise<ClusterView> {
    if (this.ctx.clusters.find(args.name)) throw new UserInputError(`A cluster named '${args.name}' already exists. Choose another name or edit that one.`);
    const row = this.toRow(randomUUID(), args.name, args.url, args.auth, args.tls);
    this.ctx.clusters.insert(row, this.ctx.clock.now());
    this.changed(row.id);
    if (!args.check) return this.get(row.id);
    try {
      return await this.check(row.id);
    } catch {
      // The profile is kept even when the first check fails (the engineer may be offline); the error is on the view.
      return this.get(row.id);
    }
  }

  async update(args: ParsedArgsOf<'clusters.update'>): Promise<ClusterView> {
    const current = this.ctx.clients.profile(args.cluster);
    if (args.name && args.name.toLowerCase() !== current.name.toLowerCase() && this.ctx.clusters.find(args.name)) {
      throw new UserInputError(`A cluster named '${args.name}' already exists.`);
    }
    const kept = () => openLogin(this.ctx.secrets, current, 'Give the login again with this change');
    const auth =
      args.auth ??
      (current.auth_kind === 'api_key'
        ? { kind: 'api_key' as const, apiKey: kept() }
        : {
            kind: 'user' as const,
            accountName: current.account_name ?? '',
            username: current.username ?? '',
            password: kept(),
            hash: current.auth_hash,
          });
    const tls = args.tls ?? { ...(current.ca_file ? { caFile: current.ca_file } : {}), insecure: current.tls_insecure === 1 };
    const row = this.toRow(current.id, args.name ?? current.name, args.url ?? current.base_url, auth, tls);
    const secret = auth.kind === 'api_key' ? auth.apiKey : auth.password;
    let sameSecret: boolean;
    try {
      sameSecret = secret === this.ctx.secrets.open(current.secret_sealed);
    } catch (e) {
      // A login this machine could not decrypt is replaced by the one given now: a change.
      if (!(e instanceof SecretUnavailableError)) throw e;
      sameSecret = false;
    }
    const connectionChanged =
      row.base_url !== current.base_url || row.auth_kind !== current.auth_kind || row.account_name !== current.account_name ||
      row.username !== current.username || row.auth_hash !== current.auth_hash || row.ca_file !== current.ca_file ||
      row.tls_insecure !== current.tls_insecure || !sameSecret;
    this.ctx.clusters.updateConnection(row, this.ctx.clock.now(), connectionChanged);
    await this.ctx.clients.forget(current.id);
    this.changed(current.id);
    return this.get(current.id);
  }

  async remove(idOrName: string): Promise<{ removed: string }> {
    const row = this.ctx.clients.profile(idOrName);
    if (!this.ctx.clusters.remove(row.id) && this.ctx.clusters.find(row.id)) {
      throw new UserInputError(`A change to a carrier on ${row.name} is being sent; try again when it is done (the outbox shows it).`);
    }
    await this.ctx.clients.forget(row.id);
    this.ctx.events.emit('clusters.removed', { clusterId: row.id });
    return { removed: row.name };
  }

  /** Probes the cluster and stores what it says; a failure is stored on the profile and rethrown. */
  async check(idOrName: string): Promise<ClusterView> {
    const row = this.ctx.clients.profile(idOrName);
    try {
      // The probe counts for the profile version it was sent for (an edit meanwhile, maybe by another process, wins).
      const { probe, version } = await this.ctx.clients.use(row.id, async (client, profile) => ({ probe: await client.probe(), version: profile.updated_at }));
      this.ctx.clusters.setProbe(row.id, {
        flavor: probe.flavor,
        version: probe.version ?? null,
        super_duper: probe.superDuper ? 1 : 0,
        account_id: probe.accountId ?? null,
        probe_json: JSON.stringify(probe),
        probed_at: this.ctx.clock.now(),
      }, version);
      this.changed(row.id);
      return this.get(row.id);
    } catch (e) {
      // Keep the reason on the profile whatever it was (a server error, a refused probe...), so the list and
      // `clusters add` can say what is wrong; reachability and login were recorded from the outcome by use().
      const after = this.ctx.clusters.find(row.id);
      if (after) this.ctx.clusters.recordOutcome(row.id, { reachability: after.reachability, lastErrorJson: JSON.stringify(toErrorValue(e)), profileAt: row.updated_at });
      this.ctx.clusters.setChecked(row.id, this.ctx.clock.now(), row.updated_at);
      this.changed(row.id);
      throw e;
    }
  }

  async accountTree(idOrName: string): Promise<AccountNode[]> {
    return this.ctx.clients.use(idOrName, async (client) => {
      const session = await client.session();
      const root = await client.accounts.get(session.accountId);
      const descendants = await client.accounts.descendants(session.accountId);
      const nodes: AccountNode[] = [{ id: root.id, name: String(root.name ?? root.id), ...(root.realm ? { realm: String(root.realm) } : {}), tree: [], depth: 0 }];
      for (const d of descendants) {
        // `tree` holds ancestors root first; keep only the part below the login's account.
        const tree = Array.isArray(d.tree) ? d.tree.map(String) : [];
        const from = tree.indexOf(session.accountId);
        const below = from >= 0 ? tree.slice(from) : [session.accountId];
        nodes.push({
          id: d.id,
          name: String(d.name ?? d.id),
          ...(d.realm ? { realm: String(d.realm) } : {}),
          tree: below,
          parentId: below[below.length - 1] ?? session.accountId,
          depth: below.length,
        });
      }
      // Parents before their children, siblings by name, whatever order the cluster listed them in.
      return treeOrder(nodes);
    });
  }

  private toRow(
    id: string,
    name: string,
    url: string,
    auth: ParsedArgsOf<'clusters.add'>['auth'],
    tls: { caFile?: string | undefined; insecure: boolean },
  ): NewCluster {
    const secret = auth.kind === 'api_key' ? auth.apiKey : auth.password;
    redactor.add(secret);
    return {
      id,
      name,
      base_url: normaliseBaseUrl(url),
      auth_kind: auth.kind,
      account_name: auth.kind === 'user' ? auth.accountName : null,
      username: auth.kind === 'user' ? auth.username : null,
      auth_hash: auth.kind === 'user' ? auth.hash : 'md5',
      secret_sealed: this.ctx.secrets.seal(secret),
      ca_file: tls.caFile ?? null,
      tls_insecure: tls.insecure ? 1 : 0,
    };
  }

  private changed(id: string): void {
    const row = this.ctx.clusters.find(id);
    if (row) this.ctx.events.emit('clusters.changed', { cluster: clusterView(row) });
  }
}
