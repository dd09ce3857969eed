// Cluster profiles as the core reports them, kept live from 'clusters.changed'; plain-words error texts.
import type { ClusterView } from '../../../../electron/shared/contract/clusters.ts';
import type { ClusterStatusKind } from '../../../../electron/shared/cluster-status.ts';
import type { Tone } from '../components/StatusBadge.svelte';

/** The colour of a cluster's state: green only when it answers and took the login. */
export function statusTone(kind: ClusterStatusKind): Tone {
  return kind === 'ready' ? 'ok' : kind === 'unreachable' || kind === 'login-refused' ? 'err' : kind === 'login-unconfirmed' ? 'warn' : 'muted';
}
import type { ErrorValue } from '../../../../electron/shared/result.ts';
import { call, on, onConnectionState } from '../api.ts';

/** What a connection-check failure means, in words a field engineer can act on. */
export function explainClusterError(e: ErrorValue): { title: string; hint: string } {
  switch (e.code) {
    case 'auth_failed':
      return { title: 'The cluster refused the credentials.', hint: 'Check the account name, user name and password (or the API key).' };
    case 'account_disabled':
      return { title: 'The account of this login is disabled on the cluster.', hint: 'Ask the cluster administrator to enable it, or use another login.' };
    case 'forbidden':
      return { title: 'The login is valid but not allowed to do this.', hint: 'Use a login with administrator rights on the account.' };
    case 'unreachable':
      return { title: 'The cluster cannot be reached.', hint: 'Check the URL and port, the VPN or network, and that Crossbar is running.' };
    case 'timeout':
      return { title: 'The cluster did not answer in time.', hint: 'It may be overloaded or behind a firewall that drops packets. Try again later.' };
    case 'network':
      return { title: 'The connection to the cluster broke off.', hint: 'Try again; if it persists, check proxies or firewalls between you and the cluster.' };
    case 'tls':
      return {
        title: 'The TLS (https) connection failed.',
        hint: 'The certificate may be self-signed, expired or for another name. Give a CA file, or allow insecure TLS for a lab cluster.',
      };
    case 'not_crossbar':
      return { title: 'Something answers at this URL, but it is not Kazoo Crossbar.', hint: 'Use the Crossbar API address, usually https://host:8443 (without /v2).' };
    case 'invalid_arguments':
    case 'invalid_input':
      return { title: e.message, hint: '' };
    case 'rate_limited':
      return { title: 'The cluster asked to slow down (rate limited).', hint: 'Wait a moment and try again.' };
    case 'server_error':
      return { title: 'The cluster had an internal error.', hint: 'Try again; if it persists, check the Kazoo logs.' };
    default:
      return { title: e.message, hint: '' };
  }
}

class ClustersState {
  list = $state.raw<ClusterView[]>([]);
  loaded = $state(false);
  error = $state<ErrorValue | null>(null);
  /** Cluster ids with a connection check running. */
  checking = $state.raw<readonly string[]>([]);

  constructor() {
    on('clusters.changed', ({ cluster }) => this.put(cluster));
    on('clusters.removed', ({ clusterId }) => {
      this.list = this.list.filter((c) => c.id !== clusterId);
    });
    onConnectionState((s) => {
      if (s === 'open') void this.load();
    });
  }

  byId(id: string | undefined): ClusterView | undefined {
    return this.list.find((c) => c.id === id);
  }

  name(id: string): string {
    return this.byId(id)?.name ?? id;
  }

  /** Whether actions that need the cluster can run: it answers and takes the login (or was not tried yet). */
  usable(id: string): boolean {
    return this.byId(id)?.status.usable ?? false;
  }

  /** ' (unreachable)', ' (login refused)' or '' after a cluster's name in lists and pickers. */
  nameSuffix(id: string): string {
    const c = this.byId(id);
    return c && !c.status.usable ? ` (${c.status.kind === 'unreachable' ? 'unreachable' : 'login refused'})` : '';
  }

  /** Why an action that needs this cluster is disabled now, or null when it can run. */
  blockedReason(id: string): string | null {
    const c = this.byId(id);
    if (!c) return 'This cluster is no longer configured.';
    const why = c.lastError ? `: ${c.lastError.message.replace(/\.$/, '')}` : '';
    if (c.status.kind === 'unreachable') return `${c.name} cannot be reached${why}. Editing still works; actions that need the cluster wait until it answers.`;
    if (c.status.kind === 'login-refused') return `${c.name} refused the login${why}. Correct it with Edit on the Clusters screen; editing drafts still works.`;
    return null;
  }

  async load(): Promise<void> {
    const r = await call('clusters.list', {});
    if (r.ok) {
      this.list = r.value;
      this.error = null;
    } else this.error = r.error;
    this.loaded = true;
  }

  async check(id: string): Promise<ErrorValue | null> {
    this.checking = [...this.checking, id];
    const r = await call('clusters.check', { cluster: id });
    this.checking = this.checking.filter((c) => c !== id);
    if (r.ok) {
      this.list = this.list.map((c) => (c.id === id ? r.value : c));
      return null;
    }
    return r.error;
  }

  async remove(id: string): Promise<ErrorValue | null> {
    const r = await call('clusters.remove', { cluster: id });
    if (!r.ok) return r.error;
    this.list = this.list.filter((c) => c.id !== id);
    return null;
  }

  /** Replaces one profile after add/update. */
  put(c: ClusterView): void {
    const i = this.list.findIndex((x) => x.id === c.id);
    this.list = i < 0 ? [...this.list, c] : this.list.map((x) => (x.id === c.id ? c : x));
  }
}

export const clusters = new ClustersState();
