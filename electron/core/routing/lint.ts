// The rule linter: what in a resource document makes Kazoo route differently from what its author likely means
// (routing-spec §11). Each finding names its pitfall: a rule code and the spec sections. lintResource needs no
// cluster; lintForCluster adds what depends on the target's classifier table (give the cached one when known, else
// the flavor's default is used, §3.2).
import type { Issue } from '../../shared/contract/sync.ts';
import { ClassifierTable } from './classifiers.ts';
import { entriesOf, isObject, isTrue } from './kz-json.ts';
import { checkKazooPattern } from '../../shared/pcre.ts';
import { patternIssues, seg } from './lint-patterns.ts';
import { ruleFindings } from './lint-rules.ts';
import type { JsonObject, Ordered, RoutingFlavor } from './types.ts';

const warn = (path: string, rule: string, message: string): Issue => ({ path, rule, message, severity: 'warning' });

/**
 * Cluster-independent findings: regex fields, rules under last-match-wins, classifiers, weights, crash-prone fields.
 * `warnings: false` returns the errors only and skips the rule linter, whose findings are all warnings (Advice):
 * for callers that never show a warning (apply), as it costs ~40 ms of CPU the first time in a process.
 */
export function lintResource(doc: JsonObject, opts: { warnings?: boolean } = {}): Issue[] {
  const out = patternIssues(doc);
  const classified = doc.classifiers !== undefined;
  const rules = Array.isArray(doc.rules) ? doc.rules : [];
  if (!classified && rules.length === 0) {
    out.push(warn('rules', 'empty_rules', 'No rules: a carrier without classifiers and without rules never matches a number (routing-spec §5.5). Add a rule, e.g. "^\\+?(\\d+)$".'));
  }
  if (classified && rules.length > 0) {
    out.push(warn('rules', 'classifier_rules_ignored', 'This carrier routes by classifiers, so Kazoo ignores its rules: each classifier uses its own regex or the classifier table\'s (routing-spec §2.2, §11.6).'));
  }
  if (!classified && opts.warnings !== false) out.push(...ruleFindings(rules));
  if (Array.isArray(doc.cid_rules) && doc.cid_rules.length > 0 && doc.cid_rules.every((r) => typeof r === 'string' && !checkKazooPattern(r).kazooKeeps)) {
    out.push(warn('cid_rules', 'cid_rules_all_invalid', 'Every caller id rule is invalid, so Kazoo drops them all and accepts any caller (routing-spec §5.4, §11.12).'));
  }
  out.push(...classifierFindings(doc), ...weightFindings(doc), ...gatewayFindings(doc), ...miscFindings(doc));
  return opts.warnings === false ? out.filter((i) => i.severity === 'error') : out;
}

function classifierFindings(doc: JsonObject): Issue[] {
  const out: Issue[] = [];
  if (doc.classifiers === undefined) return out;
  if (!isObject(doc.classifiers)) return [{ path: 'classifiers', rule: 'crash_classifiers', message: '"classifiers" must be an object: Kazoo cannot load such a carrier and every call fails (routing-spec §11.20).', severity: 'warning' }];
  const entries = Object.entries(doc.classifiers);
  if (entries.length === 0) out.push(warn('classifiers', 'classifiers_contribute_nothing', 'The carrier has "classifiers": {}, so it takes no call at all; remove the key to route by its rules (routing-spec §2.2, §11.5).'));
  if (typeof doc.name !== 'string' || doc.name === '') {
    out.push(warn('name', 'crash_classifier_no_name', 'A carrier with classifiers needs a name: Kazoo builds "<name> - <classifier>" while loading, and without one every call fails (routing-spec §2.2, §11.20).'));
  }
  for (const [name, raw] of entries) {
    const e = isObject(raw) ? raw : {};
    const at = `classifiers.${seg(name)}`;
    if (isTrue(e.enabled, true) !== true) {
      out.push(warn(`${at}.enabled`, 'classifier_disabled_blocks', `The classifier ${name} is disabled, but it still claims numbers of class ${name}: plain carriers are not tried for them either. Remove the entry to let them route by rules (routing-spec §3.3, §11.3, §11.4).`));
    }
    if (name === 'emergency' && e.emergency !== true) {
      out.push(warn(`${at}.emergency`, 'emergency_classifier_not_emergency', 'Saved through Crossbar, this entry gets emergency: false, so calls to emergency numbers are not treated as emergency calls: set emergency to true (routing-spec §2.2, §8, §11.7).'));
    }
    if (e.weight_cost === undefined && doc.weight_cost !== undefined) {
      out.push(warn(`${at}.weight_cost`, 'classifier_weight_default', `Saved through Crossbar, the classifier ${name} gets weight_cost 50, not the carrier's ${JSON.stringify(doc.weight_cost)}: set it on the entry (routing-spec §2.2, §11.7).`));
    }
  }
  return out;
}

function weightFindings(doc: JsonObject): Issue[] {
  if (doc.weight_cost === undefined) {
    return [warn('weight_cost', 'weight_missing', 'No weight_cost: saved through Crossbar it becomes 50, but a document stored without it routes with weight 3 (stepswitch default_weight), ahead of most carriers (routing-spec §2.3, §11.8).')];
  }
  if (doc.weight_cost === 0) return [warn('weight_cost', 'weight_zero', 'weight_cost 0 behaves as 1 (routing-spec §2.3, §11.8).')];
  return [];
}

function gatewayFindings(doc: JsonObject): Issue[] {
  const out: Issue[] = [];
  if (doc.gateway_strategy !== undefined && doc.gateway_strategy !== 'sequential' && doc.gateway_strategy !== 'random') {
    out.push(warn('gateway_strategy', 'crash_gateway_strategy', `gateway_strategy ${JSON.stringify(doc.gateway_strategy)}: stepswitch knows only sequential and random and fails every call this carrier takes (routing-spec §2.3, §11.20).`));
  }
  if (!Array.isArray(doc.gateways)) return out;
  doc.gateways.forEach((g, i) => {
    if (!isObject(g) || !isTrue(g.enabled, true)) return;
    const at = `gateways.${i}`;
    const route = typeof g.route === 'string' && g.route !== '' ? g.route : undefined;
    if (route === undefined && (typeof g.server !== 'string' || g.server === '')) {
      out.push(warn(`${at}.server`, 'crash_gateway_no_server', `Gateway ${i + 1} has neither a server nor a route: stepswitch fails every call this carrier takes (routing-spec §6.3, §11.20).`));
    }
    const ignored = ['prefix', 'suffix', 'port'].filter((k) => g[k] !== undefined && g[k] !== '' && !(k === 'port' && (g.port === 5060 || g.port === '5060')));
    if (route !== undefined && ignored.length > 0) {
      out.push(warn(`${at}.route`, 'route_ignores_gateway_fields', `Gateway ${i + 1} has a fixed route, so its ${ignored.join(', ')} ${ignored.length > 1 ? 'are' : 'is'} ignored, and so are the server and the dialled number (routing-spec §6.3, §11.18).`));
    }
    const fmt = typeof g.invite_format === 'string' ? g.invite_format : 'route';
    if (fmt !== 'route') {
      out.push(warn(`${at}.invite_format`, 'invite_format_passthrough', `Gateway ${i + 1} has invite_format ${fmt}: stepswitch does not rewrite the number for it and passes it to ecallmgr, which expects a registration or IP for this format; calls through this gateway may not be placed (routing-spec §6.4, §11.19).`));
    }
  });
  return out;
}

function miscFindings(doc: JsonObject): Issue[] {
  const out: Issue[] = [];
  if (isTrue(doc.require_flags, false) === true && (!Array.isArray(doc.flags) || doc.flags.length === 0)) {
    out.push(warn('require_flags', 'require_flags_without_flags', 'require_flags is on but the carrier has no flags: calls without flags skip it, and calls with flags need every flag on the carrier, so it is never used (routing-spec §4, §11.21).'));
  }
  if (isObject(doc.formatters)) {
    for (const [field, f] of Object.entries(doc.formatters)) {
      const list = Array.isArray(f) ? f : [f];
      list.forEach((o, i) => {
        if (isObject(o) && o.direction === 'both') {
          out.push(warn(`formatters.${field}${Array.isArray(f) ? `.${i}` : ''}.direction`, 'formatter_direction_both', 'A formatter with direction "both" is never applied: Kazoo only applies formatters without a direction or with exactly "outbound" here (routing-spec §7, §11.23).'));
        }
      });
    }
  }
  return out;
}

/**
 * Findings that depend on the target cluster: classifier names unknown to its table (Kazoo ignores them, §2.2, §11.5)
 * and, on Kazoo 5.x, table entries whose regex is lost for lack of a friendly_name (§3.2, §9, §11.20).
 * `table`: the cluster's classifier table in runtime order; undefined → the flavor's default table.
 */
export function lintForCluster(doc: JsonObject, flavor: RoutingFlavor, table: Ordered | undefined, clusterName: string): Issue[] {
  if (!isObject(doc.classifiers)) return [];
  const out: Issue[] = [];
  const known = new ClassifierTable(flavor, table);
  const source = table === undefined ? `the default classifier table of Kazoo ${flavor}` : `the classifier table of ${clusterName}`;
  const names = Object.keys(doc.classifiers);
  const unknown = names.filter((n) => !known.available.has(n));
  for (const n of unknown) {
    out.push(warn(`classifiers.${seg(n)}`, 'classifier_unknown', `The classifier ${n} is not in ${source} (${known.names().join(', ')}): Kazoo ignores it (routing-spec §2.2, §11.5).`));
  }
  if (names.length > 0 && unknown.length === names.length) {
    out.push(warn('classifiers', 'classifiers_contribute_nothing', `None of its classifiers is in ${source}, so on ${clusterName} this carrier takes no call at all (routing-spec §2.2, §11.5).`));
  }
  for (const [n, raw] of entriesOf(doc.classifiers as Ordered)) {
    const avail = known.available.get(n);
    const own = isObject(raw) && raw.regex !== undefined && raw.regex !== null;
    if (avail?.regexLost && !own) {
      out.push(warn(`classifiers.${seg(n)}.regex`, 'crash_classifier_regex_lost', `On ${clusterName} the classifier ${n} has no friendly_name, so Kazoo 5.x loses its regex and every call fails while this carrier uses it without a regex of its own (routing-spec §3.2, §9, §11.20).`));
    }
  }
  return out;
}
