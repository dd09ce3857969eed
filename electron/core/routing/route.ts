// One route decision end to end (routing-spec Appendix A): on-net check, normalisation, global vs local scope with
// the hunt-account check, the engine named by route_by, short-dial correction, and the bridge step (emergency
// reversal, formatters). Every resource left out is listed with the reason; failures become the answer's `error`.
import { ROUTE_BY_DEFAULT, ROUTE_BY_SELECTORS } from './config.ts';
import { endpointView, formatEndpoint, kazooEndpoint, type BuiltEndpoint } from './endpoint.ts';
import { selectDefault } from './engine-default.ts';
import { selectWithSelectors } from './engine-selectors.ts';
import { RouteFailure, WorldInputError } from './failure.ts';
import type { FormatContext } from './formatters.ts';
import { inviteParameters } from './invite-parameters.ts';
import type { LoadedScope } from './load.ts';
import { RunContext } from './run-context.ts';
import { correctShortdial } from './shortdial.ts';
import type { Candidate, RouteRequest, RouteResult } from './types.ts';
import type { WorldState } from './world.ts';
import { MAX_NUMBER_CHARS } from '../../shared/routing.ts';

const NUMBER = /^\+?[0-9*#]+$/;
/** Kazoo would correct again and again with a fixed correction length; the simulator stops here. */
const MAX_CORRECTIONS = 5;

export function checkRequest(req: RouteRequest): void {
  if (typeof req.number !== 'string' || !NUMBER.test(req.number)) {
    throw new WorldInputError('number', `${JSON.stringify(req.number)} is not a dialled number: use digits (and * or #) with an optional leading +, e.g. +14158867900.`);
  }
  // Bounded like every outside input (issue 15): the regexes of a cluster run on these strings.
  for (const [field, v] of [['number', req.number], ['callerIdNumber', req.callerIdNumber], ['emergencyCallerIdNumber', req.emergencyCallerIdNumber]] as const) {
    if (typeof v === 'string' && v.length > MAX_NUMBER_CHARS) throw new WorldInputError(field, `The ${field === 'number' ? 'dialled number' : 'caller id'} is ${v.length} characters long; give at most ${MAX_NUMBER_CHARS} (no phone number is longer).`);
  }
  for (const f of req.flags ?? []) if (typeof f !== 'string') throw new WorldInputError('flags', 'Flags must be text.');
}

export function routeIn(world: WorldState, req: RouteRequest, explain: boolean): RouteResult {
  checkRequest(req);
  const ctx = new RunContext(world, req, explain);
  const hunt = req.huntAccountId;
  const engine = world.config.routeBy === ROUTE_BY_SELECTORS ? ROUTE_BY_SELECTORS : ROUTE_BY_DEFAULT;
  if (world.config.routeBy !== ROUTE_BY_DEFAULT && world.config.routeBy !== ROUTE_BY_SELECTORS) {
    ctx.warn('route_by_unknown', `stepswitch.route_by is ${JSON.stringify(world.config.routeBy)}, which is not a stepswitch module: Kazoo falls back to stepswitch_resources (routing-spec §1).`);
  }
  const result: RouteResult = {
    dialed: req.number,
    number: req.number,
    classification: null,
    engine,
    scope: hunt === undefined ? { kind: 'global' } : { kind: 'local', accountId: hunt },
    candidates: [],
    endpoints: [],
    emergencyBridge: false,
    excluded: [],
    warnings: [],
    uncertain: [],
  };
  let eps: BuiltEndpoint[] = [];
  try {
    let n = req.bypassE164 ? req.number : normalise(ctx, req.number);
    const first = n;
    result.number = n;
    let cls = classification(ctx, n);
    result.classification = cls.k;
    if (isOnNet(ctx, n, first)) result.onNet = true;
    else {
      const scope = resolveScope(ctx);
      eps = scope ? runEngine(ctx, scope, n, engine, cls) : [];
      for (let i = 0; eps.length === 0 && (req.resourceType ?? 'audio') === 'audio' && i < MAX_CORRECTIONS; i++) {
        const corrected = correctShortdial(ctx, n);
        if (corrected === undefined || corrected === n) break;
        result.correctedNumber = corrected;
        ctx.warn('shortdial_corrected', `No carrier takes ${n}: stepswitch corrects the short number with the caller id's digits to ${corrected} and routes again (routing-spec §5.6).`);
        n = corrected;
        cls = classification(ctx, n);
        result.classification = cls.k;
        if (isOnNet(ctx, n, first)) {
          result.onNet = true;
          break;
        }
        ctx.resetForRetry();
        eps = scope ? runEngine(ctx, scope, n, engine, cls) : [];
      }
      bridge(ctx, eps, result);
    }
  } catch (e) {
    if (!(e instanceof RouteFailure)) throw e;
    result.error = { code: e.code, message: e.message, ...(e.resourceId ? { resourceId: e.resourceId } : {}) };
    result.endpoints = [];
    result.candidates = [];
    delete result.bridgeOrder;
    result.emergencyBridge = false;
  }
  if (explain) explainScope(ctx, result);
  result.excluded = ctx.excluded;
  result.warnings = ctx.warnings;
  result.uncertain = ctx.uncertainNotes;
  return result;
}

function normalise(ctx: RunContext, n: string): string {
  const out = ctx.world.normaliser.normalise(n);
  if (ctx.world.normaliser.lastUncertain) ctx.regexUncertain(ctx.world.normaliser.lastUncertain);
  return out;
}

interface Classification {
  k: string | null;
  /** Set when Kazoo's classifier crashes on the table: the default engine fails the request when it classifies. */
  failure?: RouteFailure;
}

/** classify/1 of the number (§3.2), computed once per number. */
function classification(ctx: RunContext, n: string): Classification {
  try {
    return { k: ctx.world.table.classify(normalise(ctx, n), ctx) };
  } catch (e) {
    if (e instanceof RouteFailure) return { k: null, failure: e };
    throw e;
  }
}

/** §1: a number hosted on the cluster stays on-net unless forced out or the request hunts account carriers. */
function isOnNet(ctx: RunContext, n: string, first: string): boolean {
  const { req, world } = ctx;
  if (req.forceOutbound || req.huntAccountId !== undefined) return false;
  if (req.onNet && n === first) return true;
  return world.onNet.size > 0 && world.onNet.has(normalise(ctx, n));
}

/** §2.1: the global database, or the hunt account's when it is the caller or one of its ancestors (else none). */
function resolveScope(ctx: RunContext): LoadedScope | null {
  const { req, world } = ctx;
  const hunt = req.huntAccountId;
  if (hunt === undefined) return world.scope();
  const allowed = world.huntAllowed(hunt, req.accountId);
  if (allowed === false) return null;
  if (allowed === 'unknown') {
    ctx.uncertain('hunt_ancestry', `Whether ${hunt} is the calling account${req.accountId ? ` ${req.accountId}` : ''} or one of its ancestors is not known from the account list given; assumed yes. If it is not, Kazoo uses no carrier at all (routing-spec §2.1, §11.2).`);
  }
  return world.scope(hunt);
}

function runEngine(ctx: RunContext, scope: LoadedScope, n: string, engine: string, cls: Classification): BuiltEndpoint[] {
  if (ctx.explain) for (const w of scope.warnings) ctx.warn(w.code, w.message, w.resourceId);
  if (scope.failure) throw scope.failure;
  if (engine === ROUTE_BY_SELECTORS) return selectWithSelectors(ctx, scope, n);
  return selectDefault(ctx, scope, n, () => {
    if (cls.failure) throw cls.failure;
    return cls.k;
  });
}

/** §8 and §7: an emergency endpoint makes the whole bridge emergency (list reversed); formatters run per endpoint. */
function bridge(ctx: RunContext, eps: BuiltEndpoint[], result: RouteResult): void {
  const { req, world } = ctx;
  let emergency = false;
  for (const e of eps) if (e.gateway.emergency) emergency = true;
  const cid = {
    number: emergency ? (req.emergencyCallerIdNumber ?? req.callerIdNumber) : req.callerIdNumber,
    name: emergency ? (req.emergencyCallerIdName ?? req.callerIdName) : req.callerIdName,
    force: emergency,
  };
  let fctx: FormatContext | undefined;
  for (const e of eps) {
    if (!e.resource.hasFormatters) continue;
    fctx ??= {
      flavor: world.flavor,
      direction: 'outbound',
      normalise: (n) => world.normaliser.normalise(n),
      onUncertain: (r) => ctx.regexUncertain(r),
    };
    fctx.resourceId = e.resource.id;
    formatEndpoint(e, kazooEndpoint(e, req, world.flavor, cid), fctx);
  }
  result.endpoints = eps.map(endpointView);
  eps.forEach((e, i) => {
    const ip = inviteParameters(e.gateway, e.resource, req);
    if (!ip) return;
    const v = result.endpoints[i]!;
    v.inviteParameters = ip.parameters;
    if (ip.notes.length) v.notes = [...(v.notes ?? []), ...ip.notes];
  });
  for (const v of result.endpoints) {
    if (v.inviteFormat !== 'route') ctx.uncertain('invite_format', `${v.name}, gateway ${v.gatewayIndex + 1}: invite_format ${v.inviteFormat} is acted on by ecallmgr, not stepswitch; whether the call is placed through it is not guaranteed (routing-spec §6.4).`, v.resourceId);
  }
  result.candidates = candidatesOf(ctx, eps);
  result.emergencyBridge = emergency;
  if (emergency) {
    result.bridgeOrder = [];
    for (let i = result.endpoints.length - 1; i >= 0; i--) {
      const v = result.endpoints[i]!;
      result.bridgeOrder.push({ resourceId: v.resourceId, gatewayIndex: v.gatewayIndex, route: v.route });
    }
    ctx.warn('emergency_bridge', 'An emergency carrier is among the endpoints, so the whole bridge is an emergency bridge: emergency caller id, privacy off, and the list is dialled in reverse: highest weight first (routing-spec §8, §11.15).');
    const global = ctx.req.huntAccountId === undefined;
    if (global && (world.config.ensureValidEmergencyCid || world.config.denyInvalidEmergencyCid)) {
      ctx.uncertain('emergency_cid', 'stepswitch checks the emergency caller id against the account\'s e911 numbers and may replace it or refuse the call; that check is not simulated (routing-spec §8).');
    }
  }
}

function candidatesOf(ctx: RunContext, eps: BuiltEndpoint[]): Candidate[] {
  const out: Candidate[] = [];
  let last: BuiltEndpoint['resource'] | undefined;
  // A resource's endpoints are contiguous: appended together, and the stable sort keeps them together.
  for (const e of eps) {
    const r = e.resource;
    if (r === last) continue;
    last = r;
    const m = e.match;
    const c: Candidate = { resourceId: r.id, name: r.name, weight: r.weight, ruleIndex: m.ruleIndex, rule: m.rule, ruleSource: r.ruleSource, matchedNumber: e.matchedNumber, emergency: r.emergency };
    if (r.classifier !== undefined) c.classifier = r.classifier;
    out.push(c);
  }
  return out;
}

/** Documents outside the scope used, and documents the load left out, with why (§2.1, §2.2). */
function explainScope(ctx: RunContext, result: RouteResult): void {
  const { req, world } = ctx;
  const hunt = req.huntAccountId;
  const allowed = hunt === undefined ? true : world.huntAllowed(hunt, req.accountId);
  const seen = new Set(ctx.excluded.map((x) => x.resourceId));
  const add = (id: string, name: string | undefined, code: string, why: string) => {
    if (!seen.has(id)) ctx.exclude({ id, ...(name ? { name } : {}) }, code, why);
    seen.add(id);
  };
  if (!result.onNet && !result.error) {
    const scope = hunt === undefined || allowed !== false ? world.scope(hunt) : null;
    for (const s of scope?.skipped ?? []) add(s.resourceId, s.name, s.code, s.why);
  }
  for (const d of world.docs) {
    const id = (d.doc._id ?? d.doc.id) as string;
    const name = typeof d.doc.name === 'string' ? d.doc.name : undefined;
    if (result.onNet) add(id, name, 'on_net', 'The number is hosted on this cluster, so the call stays on-net and no carrier is used (routing-spec §1).');
    else if (hunt === undefined) {
      if (d.accountId !== undefined) add(id, name, 'local_scope', `It is a carrier of account ${d.accountId}; this call uses the global carriers only, with no fallback to account carriers (routing-spec §2.1, §11.1).`);
    } else if (d.accountId === undefined) add(id, name, 'global_scope', `It is a global carrier; this call uses only the carriers of account ${hunt} (use_local_resources), with no fallback to global ones (routing-spec §2.1, §11.1).`);
    else if (d.accountId !== hunt) add(id, name, 'other_account', `It is a carrier of account ${d.accountId}, not of the hunt account ${hunt} (routing-spec §2.1).`);
    else if (allowed === false) add(id, name, 'hunt_not_ancestor', `The hunt account ${hunt} is neither the calling account nor one of its ancestors, so Kazoo uses no carrier at all (routing-spec §2.1, §11.2).`);
  }
  if (!result.onNet && !result.error && result.endpoints.length === 0) {
    const other = world.docs.some((d) => (hunt === undefined ? d.accountId !== undefined : d.accountId === undefined));
    if (other) ctx.warn('no_fallback', hunt === undefined
      ? 'No global carrier takes this number. Account carriers exist, but an offnet call never uses them (routing-spec §2.1, §11.1).'
      : `No carrier of account ${hunt} takes this number. Global carriers exist, but a call with use_local_resources never falls back to them (routing-spec §2.1, §11.1).`);
  }
}
