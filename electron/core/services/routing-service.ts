// Use cases of routing: the routing data kept per cluster (routing-spec §10), one answer per cluster to "which carrier
// dials this number?" from stored facts only (offline or unpulled clusters answer from what was pulled, and say so),
// the calling-account picker, and the plan's routing impact on a number list.
import type { CoreContext } from '../context.ts';
import type { ClusterRow } from '../db/repos/clusters-repo.ts';
import { NumberListsRepo } from '../db/repos/number-lists-repo.ts';
import { NotFoundLocalError, UserInputError } from '../errors.ts';
import { compileWorld, WorldInputError, type RouteRequest } from '../routing/index.ts';
import { testRules } from '../routing-data/rule-test.ts';
import { changesFor, clusterImpact, type NumberSource } from '../routing-data/impact.ts';
import { clusterBase, clusterWorld, draftChanges, effectOf, worldOf, withChanges } from '../routing-data/world.ts';
import type { SyncStore } from '../sync/store.ts';
import type { ParsedArgsOf } from '../../shared/contract.ts';
import type { ClusterRouteAnswer, PlanRouteImpact, RoutingAccountView, RoutingDataStatus, RuleTestAnswer } from '../../shared/contract/routing.ts';

const HEX32 = /^[0-9a-f]{32}$/i;
const SLICE = 5_000;
const yieldNow = () => new Promise<void>((r) => setImmediate(r));

interface AccountName {
  id: string;
  name?: string;
}

export class RoutingService {
  private readonly lists: NumberListsRepo;

  constructor(
    private readonly ctx: CoreContext,
    private readonly store: SyncStore,
  ) {
    this.lists = new NumberListsRepo(ctx.db);
  }

  /** Where each cluster's answers come from (one cluster, or all). */
  status(cluster: string | undefined, withDrafts: boolean): RoutingDataStatus[] {
    return this.rows(cluster === undefined ? undefined : [cluster]).map((row) => clusterWorld(this.store, row, { withDrafts }).status);
  }

  /** Account names across clusters (from each cluster's stored account tree), for picking the calling account. */
  accounts(): RoutingAccountView[] {
    const byName = new Map<string, RoutingAccountView>();
    for (const row of this.ctx.clusters.list()) {
      for (const a of this.accountsOf(row)) {
        const name = a.name ?? a.id;
        const v = byName.get(name.toLowerCase()) ?? { name, clusters: [] };
        v.clusters.push({ clusterId: row.id, clusterName: row.name, accountId: a.id });
        byName.set(name.toLowerCase(), v);
      }
    }
    return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  route(a: ParsedArgsOf<'routing.route'>): ClusterRouteAnswer[] {
    return this.rows(a.clusters).map((row) => this.routeOn(row, a));
  }

  /** The editor's tester: the draft's working copy against a number, per target cluster (routing-data/rule-test.ts). */
  test(a: ParsedArgsOf<'routing.test'>): RuleTestAnswer[] {
    const d = this.store.draft(a.draft);
    return testRules(this.store, d.id, { doc: a.doc, number: a.number, callerId: a.callerId, flags: a.flags });
  }

  async planImpact(a: ParsedArgsOf<'routing.planImpact'>): Promise<PlanRouteImpact> {
    const list = this.lists.find(a.list);
    if (!list) throw new NotFoundLocalError('Number list', a.list);
    if (list.state !== 'ready') throw new UserInputError(`Number list '${list.name}' is ${list.state}; use a list whose import finished.`);
    const draftId = a.draft ? this.store.draft(a.draft).id : undefined;
    const source: NumberSource = async (each) => {
      let from = 0;
      let count = 0;
      for (;;) {
        const slice = this.lists.validNumbers(list.id, from, SLICE);
        if (slice.length === 0) return count;
        for (const r of slice) each(r.e164);
        count += slice.length;
        from = slice[slice.length - 1]!.vseq + 1;
        await yieldNow();
      }
    };
    const targets: PlanRouteImpact['targets'] = [];
    for (const row of this.rows(a.cluster === undefined ? undefined : [a.cluster])) {
      const changes = changesFor(this.store, row, draftId);
      if (changes.length) targets.push(...(await clusterImpact(this.store, row, changes, source, { callerId: a.callerId ?? null, flags: a.flags, examples: a.examples })));
    }
    const notes = [
      a.callerId
        ? `Calls are simulated with caller id ${a.callerId}${a.flags.length ? ` and flags ${a.flags.join(', ')}` : ''}.`
        : `Calls are simulated with each dialled number as its own caller id (Kazoo 5.x fails a call without one, routing-spec §9)${a.flags.length ? ` and flags ${a.flags.join(', ')}` : ''}; give a caller id to test cid_rules.`,
    ];
    if (targets.length === 0) notes.push('No draft target changes a carrier: nothing to compare.');
    return { list: list.name, numbers: list.valid_count, callerId: a.callerId ?? null, targets, notes };
  }

  private rows(refs: string[] | undefined): ClusterRow[] {
    return refs === undefined ? this.ctx.clusters.list() : refs.map((r) => this.store.cluster(r));
  }

  private accountsOf(row: ClusterRow): AccountName[] {
    const facts = this.store.routing.list(row.id).find((f) => f.kind === 'accounts');
    return facts?.data_json ? (JSON.parse(facts.data_json) as AccountName[]) : [];
  }

  /** An account given by id or by name, on one cluster; undefined when a name is not known there. */
  private resolveAccount(known: AccountName[], ref: string): AccountName | undefined {
    const byId = known.find((k) => k.id === ref.toLowerCase());
    if (byId) return byId;
    if (HEX32.test(ref)) return { id: ref.toLowerCase() };
    return known.find((k) => (k.name ?? '').toLowerCase() === ref.toLowerCase());
  }

  private routeOn(row: ClusterRow, a: ParsedArgsOf<'routing.route'>): ClusterRouteAnswer {
    const base = clusterBase(this.store, row);
    const changes = a.withDrafts ? draftChanges(this.store, row) : undefined;
    const world = worldOf(base, changes ? withChanges(base.docs, changes) : base.docs);
    const known = this.accountsOf(row);
    const out: ClusterRouteAnswer = {
      clusterId: row.id, cluster: row.name, flavor: base.flavor, request: {},
      data: { scope: 'global', pulledAt: null, offline: row.reachability === 'offline', notes: [...base.status.notes], ...(changes ? { drafts: changes.map(effectOf) } : {}) },
    };
    const problem = (code: string, message: string) => ({ ...out, problem: { code, message } });
    const calling = a.account === undefined ? undefined : this.resolveAccount(known, a.account);
    if (a.account !== undefined && !calling) return problem('unknown_account', unknownAccount(row, known, a.account));
    let hunt: AccountName | undefined;
    if (a.huntAccount !== undefined) {
      hunt = this.resolveAccount(known, a.huntAccount);
      if (!hunt) return problem('unknown_account', unknownAccount(row, known, a.huntAccount));
    } else if (a.local) {
      const login = row.account_id ?? row.token_account_id;
      hunt = calling ?? (login ? known.find((k) => k.id === login) ?? { id: login } : undefined);
      if (!hunt) return problem('unknown_account', `Which account's own carriers to use on ${row.name} is not known: give the calling account.`);
    }
    const req: RouteRequest = { number: a.number, flags: a.flags };
    const callerAccount = calling ?? hunt;
    if (callerAccount) {
      req.accountId = callerAccount.id;
      out.request.accountId = callerAccount.id;
      if (callerAccount.name) out.request.accountName = callerAccount.name;
    }
    if (hunt) {
      req.huntAccountId = hunt.id;
      out.request.huntAccountId = hunt.id;
      if (hunt.name) out.request.huntAccountName = hunt.name;
    }
    if (a.callerId) req.callerIdNumber = a.callerId;
    if (a.emergencyCallerId) req.emergencyCallerIdNumber = a.emergencyCallerId;
    if (a.bypassE164) req.bypassE164 = true;
    if (a.channelVars) req.customChannelVars = a.channelVars;
    if (a.sipHeaders) req.customSipHeaders = a.sipHeaders;
    if (a.zone) req.zone = a.zone;
    const scope = hunt?.id ?? 'global';
    const pulled = base.status.scopes.find((s) => s.scope === scope);
    out.data.scope = scope;
    out.data.pulledAt = pulled?.pulledAt ?? null;
    if (!pulled) {
      out.data.notes.unshift(
        scope === 'global'
          ? `The global carriers of ${row.name} were never pulled${row.super_duper === 0 ? ' (this login is not a super-duper admin and cannot read them)' : ''}: the answer knows no global carrier.`
          : `The carriers of account ${hunt?.name ?? scope} on ${row.name} were never pulled: the answer knows none of them.`,
      );
    }
    if (!world) return problem('flavor_unknown', base.status.notes[0] ?? `The Kazoo version of ${row.name} is unknown.`);
    try {
      out.answer = compileWorld(world).route(req);
    } catch (e) {
      if (!(e instanceof WorldInputError)) throw e;
      // A bad number is the person's input (the same on every cluster); anything else is this cluster's stored data.
      if (e.code === 'number' || e.code === 'flags') throw new UserInputError(e.message);
      return problem(e.code, `The data stored for ${row.name} cannot be simulated: ${e.message}`);
    }
    return out;
  }
}

/** Why an account name is not known on a cluster, and what to do: what is stored says which (never "pull" when a pull cannot work). */
export function unknownAccount(row: ClusterRow, known: readonly AccountName[], name: string): string {
  if (known.length > 0) return `${row.name} has no account named "${name}" in its account tree as last read (pull ${row.name} to read it again).`;
  if (row.login === 'refused') return `The accounts of ${row.name} were never read because it refused the login: correct its login, then pull ${row.name}.`;
  return `The accounts of ${row.name} were never read: pull ${row.name} to read them, then give the account again.`;
}
