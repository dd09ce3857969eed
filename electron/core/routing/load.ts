// Loading one database's resources as stepswitch does (routing-spec §2.2, §2.3): documents in ascending _id order,
// disabled ones skipped, classifier expansion into derived resources, gateways and rules read with Kazoo's defaults.
// A document Kazoo cannot load makes the whole load fail (§11.20): that failure is kept and every request on the
// scope reports it.
import type { AvailableClassifier, ClassifierTable } from './classifiers.ts';
import type { StepswitchConfig } from './config.ts';
import { RouteFailure } from './failure.ts';
import { docId, getInteger, getNeText, getText, isObject, isTrue, KzTypeError, toText } from './kz-json.ts';
import { isUncertain, kregex, type KRegex } from './regex.ts';
import { gatewayNotes } from './endpoint.ts';
import type { Excluded, JsonObject, Note, RoutingFlavor } from './types.ts';

export interface Gateway {
  /** Index in the document's `gateways` array. */
  index: number;
  server: string | undefined;
  port: number | undefined;
  route: string | undefined;
  prefix: string;
  suffix: string;
  inviteFormat: string;
  emergency: boolean;
  /** ":port" for a port other than 5060 (and not empty), else "" (§6.3). */
  portPart: string;
  /** What the answer says about every endpoint of this gateway (§6.3, §6.4). */
  notes: readonly string[];
  raw: JsonObject;
}

export interface Rule {
  /** Index in the document's `rules` (null: a classifier's regex). */
  index: number | null;
  re: KRegex;
  /** Evaluating (or skipping) it makes the answer uncertain (§11.12); precomputed for the hot path. */
  uncertain: boolean;
}

function rule(index: number | null, re: KRegex): Rule {
  return { index, re, uncertain: isUncertain(re) };
}

/** The patterns Kazoo keeps of a list (text that compiles, §5.2), in the order it tries them: last first. */
export function keptRules(patterns: readonly unknown[]): Rule[] {
  const out: Rule[] = [];
  patterns.forEach((src, i) => {
    if (typeof src !== 'string') return;
    const r = kregex(src);
    if (r.kazooKeeps) out.push(rule(i, r));
  });
  return out.reverse();
}

export interface Resource {
  id: string;
  docId: string;
  name: string;
  classifier?: string;
  classifierEnabled: boolean;
  ruleSource: 'rules' | 'classifier_entry' | 'classifier_table';
  /** Kept rules in reverse document order: the order Kazoo tries them (§5.2). */
  rules: Rule[];
  /** Kept cid_rules (empty = any caller, §5.4). */
  cidRules: Rule[];
  weight: number;
  flags: readonly unknown[];
  requireFlags: boolean;
  ignoreFlags: boolean;
  emergency: boolean;
  gateways: Gateway[];
  gatewayStrategy: string;
  formatters: unknown;
  /** Whether the bridge step has formatters to run for this resource (§7). */
  hasFormatters: boolean;
  global: boolean;
  doc: JsonObject;
}

export interface LoadedScope {
  /** In view order: ascending _id, each document's derived resources in its classifier order. */
  resources: Resource[];
  /** Documents (or classifier entries) that contribute nothing, with why. */
  skipped: Excluded[];
  warnings: Note[];
  /** Set when Kazoo cannot load this database: every request on it fails (§11.20). */
  failure?: RouteFailure;
}

interface LoadContext {
  flavor: RoutingFlavor;
  table: ClassifierTable;
  config: StepswitchConfig;
  global: boolean;
}

/** Byte order of ids: CouchDB's collation for Kazoo's lowercase-hex ids (§2.2). */
function byId(a: JsonObject, b: JsonObject): number {
  const x = docId(a)!;
  const y = docId(b)!;
  return x < y ? -1 : x > y ? 1 : 0;
}

export function loadScope(docs: readonly JsonObject[], ctx: LoadContext): LoadedScope {
  const out: LoadedScope = { resources: [], skipped: [], warnings: [] };
  try {
    for (const doc of [...docs].sort(byId)) loadDocument(doc, ctx, out);
  } catch (e) {
    if (e instanceof RouteFailure) out.failure = e;
    else if (e instanceof KzTypeError) out.failure = new RouteFailure('resource_unreadable', `A resource has a value Kazoo cannot read (${e.message}): loading the carriers fails and so does every call (routing-spec §11.20).`);
    else throw e;
  }
  return out;
}

function label(doc: JsonObject): string {
  const id = docId(doc)!;
  return typeof doc.name === 'string' && doc.name ? `${doc.name} (${id})` : id;
}

function loadDocument(doc: JsonObject, ctx: LoadContext, out: LoadedScope): void {
  const id = docId(doc)!;
  const name = typeof doc.name === 'string' ? doc.name : undefined;
  const skip = (code: string, why: string): void => {
    out.skipped.push({ resourceId: id, ...(name ? { name } : {}), code, why });
  };
  if (doc.pvt_type !== undefined && doc.pvt_type !== 'resource') return skip('not_resource', `Not a resource document (pvt_type ${JSON.stringify(doc.pvt_type)}): the resources view leaves it out (routing-spec §2.2).`);
  if (doc.pvt_deleted === true) return skip('deleted', 'Deleted (pvt_deleted): the resources view leaves it out (routing-spec §2.2).');
  if (!isTrue(doc.enabled, true)) return skip('disabled', 'The carrier is disabled (enabled: false), so stepswitch skips it entirely (routing-spec §2.2).');
  if (doc.classifiers === undefined) {
    out.resources.push(plainResource(doc, ctx, out));
    return;
  }
  if (!isObject(doc.classifiers)) throw new RouteFailure('resource_unreadable', `Resource ${label(doc)} has "classifiers" that is not an object: loading the carriers fails and so does every call (routing-spec §11.20).`, id);
  const names = Object.keys(doc.classifiers);
  let derived = 0;
  for (const c of names) {
    const avail = ctx.table.available.get(c);
    if (!avail) {
      skip('classifier_unknown', `Its classifier ${c} is not in the cluster's classifier table, so Kazoo ignores it (routing-spec §2.2, §11.5).`);
      continue;
    }
    out.resources.push(derivedResource(doc, c, doc.classifiers[c], avail, ctx, out));
    derived++;
  }
  if (derived === 0) {
    skip('classifiers_empty', names.length === 0
      ? 'It has "classifiers": {} and so contributes no carrier at all (routing-spec §2.2, §11.5).'
      : 'None of its classifiers is in the cluster\'s classifier table, so it contributes no carrier at all (routing-spec §2.2, §11.5).');
  }
}

function resourceIsEmergency(doc: JsonObject): boolean {
  const cidType = isObject(doc.caller_id_options) ? doc.caller_id_options.type : undefined;
  return isTrue(doc.emergency, false) === true || cidType === 'emergency';
}

function weightOf(v: unknown, ctx: LoadContext): number {
  const w = getInteger(v, ctx.config.defaultWeight);
  return w > 100 ? 100 : w < 1 ? 1 : w;
}

/** The rules Kazoo keeps, with their index in the document (§5.2: invalid ones are dropped with a warning). */
function compileRules(doc: JsonObject, key: 'rules' | 'cid_rules', out: LoadedScope): Rule[] {
  const list = doc[key] ?? [];
  if (!Array.isArray(list)) throw new RouteFailure('resource_unreadable', `Resource ${label(doc)} has "${key}" that is not a list: loading the carriers fails and so does every call (routing-spec §11.20).`, docId(doc));
  const kept: Rule[] = [];
  list.forEach((src, i) => {
    if (typeof src !== 'string') throw new RouteFailure('resource_unreadable', `Resource ${label(doc)} has ${key}.${i} that is not text: Kazoo cannot compile it, loading fails and so does every call (routing-spec §11.20).`, docId(doc));
    const r = kregex(src);
    if (!r.kazooKeeps) {
      out.warnings.push({ code: 'rule_dropped', resourceId: docId(doc), message: `Resource ${label(doc)}: ${key}.${i} ${JSON.stringify(src)} is not a valid regular expression (${r.error}); Kazoo drops it with a warning and uses the others (routing-spec §5.2, §11.12).` });
      return;
    }
    kept.push(rule(i, r));
  });
  return kept;
}

function plainResource(doc: JsonObject, ctx: LoadContext, out: LoadedScope): Resource {
  const id = docId(doc)!;
  const rules = compileRules(doc, 'rules', out).reverse();
  return base(doc, id, typeof doc.name === 'string' ? doc.name : id, rules, 'rules', ctx, out, doc, resourceIsEmergency(doc));
}

function derivedResource(doc: JsonObject, c: string, entryRaw: unknown, avail: AvailableClassifier, ctx: LoadContext, out: LoadedScope): Resource {
  const id = docId(doc)!;
  if (!isObject(entryRaw)) throw new RouteFailure('resource_unreadable', `Resource ${label(doc)}: classifiers.${c} is not an object; loading the carriers fails and so does every call (routing-spec §11.20).`, id);
  const entry = entryRaw;
  if (typeof doc.name !== 'string') {
    throw new RouteFailure('classifier_resource_without_name', `Resource ${id} routes by classifiers but has no name: Kazoo builds "<name> - ${c}" while loading, crashes, and every call fails until a name is set (routing-spec §2.2, §11.20).`, id);
  }
  const hasOwn = entry.regex !== undefined && entry.regex !== null;
  const regex = hasOwn ? entry.regex : avail.regex;
  if (typeof regex !== 'string') {
    const why = !hasOwn && avail.regexLost
      ? `On Kazoo 5.x the classifier ${c} of the cluster's table has no friendly_name, so its regex is lost (routing-spec §3.2, §9); resource ${label(doc)} uses it without a regex of its own, loading crashes and every call fails.`
      : `Resource ${label(doc)}: the regex of classifier ${c} is not text; Kazoo cannot compile it, loading crashes and every call fails (routing-spec §11.20).`;
    throw new RouteFailure(!hasOwn && avail.regexLost ? 'classifier_regex_lost' : 'resource_unreadable', why, id);
  }
  const r = kregex(regex);
  const rules: Rule[] = [];
  if (r.kazooKeeps) rules.push(rule(null, r));
  else out.warnings.push({ code: 'rule_dropped', resourceId: `${id}-${c}`, message: `Resource ${label(doc)}: the regex ${JSON.stringify(regex)} of classifier ${c} is not valid (${r.error}); Kazoo drops it, so this classifier never matches (routing-spec §5.2).` });
  // The classifier named "emergency" is emergency unless its entry says otherwise; others inherit (§2.2).
  const em = c === 'emergency' ? isTrue(entry.emergency, true) : isTrue(entry.emergency, avail.emergency);
  const cidType = isObject(doc.caller_id_options) ? doc.caller_id_options.type : undefined;
  const emergency = (em === undefined ? isTrue(doc.emergency, false) === true : em) || cidType === 'emergency';
  const gwDoc = { ...doc };
  if (Array.isArray(doc.gateways)) {
    gwDoc.gateways = doc.gateways.map((g) => {
      if (!isObject(g)) return g;
      const copy = { ...g };
      if (entry.prefix !== undefined && entry.prefix !== null) copy.prefix = entry.prefix;
      if (entry.suffix !== undefined && entry.suffix !== null) copy.suffix = entry.suffix;
      return copy;
    });
  }
  const weightSource = entry.weight_cost !== undefined && entry.weight_cost !== null ? entry.weight_cost : doc.weight_cost;
  const res = base(gwDoc, `${id}-${c}`, `${doc.name} - ${c}`, rules, hasOwn ? 'classifier_entry' : 'classifier_table', ctx, out, doc, emergency, weightSource);
  res.classifier = c;
  res.classifierEnabled = isTrue(entry.enabled, true) === true;
  return res;
}

function base(
  gwDoc: JsonObject,
  id: string,
  name: string,
  rules: Rule[],
  ruleSource: Resource['ruleSource'],
  ctx: LoadContext,
  out: LoadedScope,
  doc: JsonObject,
  emergency: boolean,
  weightSource: unknown = doc.weight_cost,
): Resource {
  const flags = doc.flags ?? [];
  if (!Array.isArray(flags)) throw new RouteFailure('resource_unreadable', `Resource ${label(doc)} has "flags" that is not a list: Kazoo cannot filter it and every call with flags fails (routing-spec §11.20).`, docId(doc));
  const formatters = doc.formatters !== undefined ? doc.formatters : ctx.config.defaultFormatters;
  return {
    id,
    docId: docId(doc)!,
    name,
    classifierEnabled: true,
    ruleSource,
    rules,
    cidRules: compileRules(doc, 'cid_rules', out),
    weight: weightOf(weightSource, ctx),
    flags,
    requireFlags: isTrue(doc.require_flags, false) === true,
    ignoreFlags: isTrue(doc.ignore_flags, false) === true,
    emergency,
    gateways: gatewaysOf(gwDoc, emergency, ctx),
    gatewayStrategy: getNeText(doc.gateway_strategy, 'sequential'),
    formatters,
    hasFormatters: formatters !== undefined && formatters !== null && !(isObject(formatters) && Object.keys(formatters).length === 0),
    global: ctx.global,
    doc,
  };
}

/** Enabled gateways in array order with Kazoo's defaults (§2.3). */
function gatewaysOf(doc: JsonObject, resourceEmergency: boolean, ctx: LoadContext): Gateway[] {
  const list = doc.gateways ?? [];
  if (!Array.isArray(list)) throw new RouteFailure('resource_unreadable', `Resource ${label(doc)} has "gateways" that is not a list: loading the carriers fails and so does every call (routing-spec §11.20).`, docId(doc));
  const out: Gateway[] = [];
  list.forEach((g, index) => {
    if (!isObject(g)) throw new RouteFailure('resource_unreadable', `Resource ${label(doc)}: gateways.${index} is not an object; loading the carriers fails and so does every call (routing-spec §11.20).`, docId(doc));
    if (!isTrue(g.enabled, true)) return;
    const routeRaw = getNeText(g.route, ctx.config.defaultRoute);
    const route = routeRaw === undefined ? undefined : toText(routeRaw);
    const port = getInteger(g.port, undefined);
    const inviteFormat = getText(g.invite_format, 'route');
    out.push({
      index,
      server: getNeText(g.server, undefined),
      port,
      route,
      prefix: getText(g.prefix, ctx.config.defaultPrefix),
      suffix: getText(g.suffix, ctx.config.defaultSuffix),
      inviteFormat,
      emergency: resourceEmergency || isTrue(g.emergency, false) === true,
      portPart: port !== undefined && port !== 0 && port !== 5060 ? `:${port}` : '',
      notes: gatewayNotes(route, inviteFormat),
      raw: g,
    });
  });
  return out;
}
