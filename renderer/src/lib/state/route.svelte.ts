// The Route screen: the question (number, caller id, flags, calling account, which carriers) and one answer per
// cluster from the core (stored facts only). Asked again whenever stored data changes (a pull, a draft, a cluster), so
// an answer on screen never shows data older than what is stored.
import type { ArgsOf } from '../../../../electron/shared/contract.ts';
import type { ClusterRouteAnswer, RoutingAccountView } from '../../../../electron/shared/contract/routing.ts';
import type { ErrorValue } from '../../../../electron/shared/result.ts';
import { call, on } from '../api.ts';

export type CarrierChoice = 'global' | 'local';

class RouteState {
  number = $state('');
  callerId = $state('');
  flags = $state('');
  /** The calling account's name ('' = none given). */
  account = $state('');
  carriers = $state<CarrierChoice>('global');
  withDrafts = $state(false);
  answers = $state.raw<ClusterRouteAnswer[]>([]);
  accounts = $state.raw<RoutingAccountView[]>([]);
  asking = $state(false);
  /** How many answers came back so far (a new answer set bumps it, also when asked again after a change). */
  answered = $state(0);
  error = $state<ErrorValue | null>(null);
  /** The question the answers on screen belong to (null: nothing asked yet). */
  private asked: ArgsOf<'routing.route'> | null = null;
  private seq = 0;

  constructor() {
    const refresh = () => {
      void this.loadAccounts();
      if (this.asked) void this.run(this.asked);
    };
    on('routing.changed', refresh);
    on('drafts.changed', () => {
      if (this.asked?.withDrafts) void this.run(this.asked);
    });
    on('clusters.changed', refresh);
  }

  async loadAccounts(): Promise<void> {
    const r = await call('routing.accounts', {});
    if (r.ok) this.accounts = r.value;
  }

  /** Asks every cluster with the question as it is in the form now. */
  async ask(): Promise<void> {
    const flags = this.flags.split(',').map((f) => f.trim()).filter(Boolean);
    await this.run({
      number: this.number.trim(),
      ...(this.callerId.trim() ? { callerId: this.callerId.trim() } : {}),
      ...(this.account ? { account: this.account } : {}),
      local: this.carriers === 'local',
      flags,
      withDrafts: this.withDrafts,
    });
  }

  private async run(q: ArgsOf<'routing.route'>): Promise<void> {
    const mine = ++this.seq;
    this.asking = true;
    const r = await call('routing.route', q);
    if (mine !== this.seq) return;
    this.asking = false;
    this.asked = q;
    this.answered++;
    if (r.ok) {
      this.answers = r.value;
      this.error = null;
    } else {
      this.answers = [];
      this.error = r.error;
    }
  }
}

export const route = new RouteState();
