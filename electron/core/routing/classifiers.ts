// The number classifier table (routing-spec §3.2): each flavor's code default, classification in stored key order,
// and available_classifiers/0 (the table resources are expanded against, §2.2) with master's friendly_name bug.
import { entriesOf, isObject, isTrue } from './kz-json.ts';
import { isUncertain, kregex, type KRegex } from './regex.ts';
import { RouteFailure } from './failure.ts';
import type { Ordered, RoutingFlavor } from './types.ts';

const CARIBBEAN = '684|264|268|242|246|441|284|345|767|809|829|849|473|671|876|664|670|787|939|869|758|784|721|868|649|340';

/** The code default of each branch, in precedence order (§3.2; 4.3 alone has 988 in `emergency`). */
export function defaultClassifiers(flavor: RoutingFlavor): [string, { regex: string; friendly_name: string; emergency?: boolean }][] {
  const emergency = flavor === '4.3' ? '^(911|922|933|988|833|811|711|999)$' : '^(911|922|933|833|811|711|999)$';
  return [
    ['tollfree_us', { regex: '^\\+1((?:800|88\\d|877|866|855|844|833|822)\\d{7})$', friendly_name: 'US TollFree' }],
    ['toll_us', { regex: '^\\+1(900\\d{7})$', friendly_name: 'US Toll' }],
    ['emergency', { regex: emergency, friendly_name: 'Emergency Dispatcher', emergency: true }],
    ['caribbean', { regex: `^\\+?1((?:${CARIBBEAN})\\d{7})$`, friendly_name: 'Caribbean' }],
    ['did_us', { regex: '^(\\+?1)?([2-9][0-9]{2}[2-9][0-9]{6})$', friendly_name: 'US DID' }],
    ['international', { regex: '^\\+([2-9]\\d{7,})$', friendly_name: 'International' }],
    ['unknown', { regex: '^(.*)$', friendly_name: 'Unknown' }],
  ];
}

interface ClassEntry {
  name: string;
  /** The regex classify/1 uses: a string entry itself, an object's `regex`, else `^$`; null when unusable. */
  re: KRegex | null;
  /** Set when Kazoo crashes reading this entry (a regex that is not text). */
  broken?: string;
}

/** What available_classifiers/0 gives resource expansion for one name (§2.2). */
export interface AvailableClassifier {
  name: string;
  /** The table's regex for derived resources without their own; undefined when master's bug lost it. */
  regex: unknown;
  /** Default `emergency` for derived resources (kz_json:is_true(.., undefined) semantics). */
  emergency: boolean | undefined;
  /** Master lost this entry's regex because it has no friendly_name (§3.2). */
  regexLost: boolean;
}

export class ClassifierTable {
  readonly entries: ClassEntry[];
  readonly available: Map<string, AvailableClassifier>;
  /** True when the world gave no table: the flavor's code default is in use. */
  readonly isDefault: boolean;

  constructor(flavor: RoutingFlavor, table?: Ordered) {
    this.isDefault = table === undefined;
    const list = table === undefined ? defaultClassifiers(flavor) : entriesOf(table);
    this.entries = list.map(([name, v]) => classEntry(name, v));
    this.available = availableClassifiers(flavor, list);
  }

  /**
   * classify/1 on a normalised number: the first entry whose regex matches anywhere (§3.2); null when none.
   * `sink` hears each evaluated pattern that JavaScript cannot reproduce exactly.
   */
  classify(n: string, sink?: { regexUncertain(r: KRegex): void }): string | null {
    for (const e of this.entries) {
      if (e.broken) throw new RouteFailure('classifier_table_invalid', e.broken);
      const r = e.re!;
      if (sink && isUncertain(r)) sink.regexUncertain(r);
      if (!r.re) {
        if (r.kazooKeeps) continue;
        throw new RouteFailure('classifier_regex_invalid', `The classifier ${e.name} of number_manager has an invalid regex ${JSON.stringify(r.source)}: Kazoo's classifier crashes on it and every call that reaches it fails (routing-spec §3.2).`);
      }
      if ((r.prefix === '' || n.startsWith(r.prefix)) && r.re.test(n)) return e.name;
    }
    return null;
  }

  names(): string[] {
    return this.entries.map((e) => e.name);
  }
}

function classEntry(name: string, v: unknown): ClassEntry {
  let source: unknown;
  if (typeof v === 'string') source = v;
  else if (isObject(v)) source = v.regex === undefined ? '^$' : v.regex;
  else source = undefined;
  if (typeof source !== 'string') {
    return { name, re: null, broken: `The classifier ${name} of number_manager has no usable regex (${JSON.stringify(v)}): Kazoo's classifier crashes on it (routing-spec §3.2).` };
  }
  return { name, re: kregex(source) };
}

/** available_classifiers/0 via correct_depreciated_classifiers/3 of each branch (§3.2). */
function availableClassifiers(flavor: RoutingFlavor, list: readonly (readonly [string, unknown])[]): Map<string, AvailableClassifier> {
  const out = new Map<string, AvailableClassifier>();
  // Master's bug replaces an entry without friendly_name by a copy of the accumulator: the entries seen so far.
  const acc: Record<string, unknown> = {};
  for (const [name, v] of list) {
    let corrected: Record<string, unknown>;
    let regexLost = false;
    if (typeof v === 'string' && v !== '') corrected = { regex: v, friendly_name: name };
    else {
      const o = isObject(v) ? v : {};
      if (o.friendly_name !== undefined) corrected = o;
      else if (flavor === '4.3') corrected = { ...o, friendly_name: name };
      else {
        corrected = { ...acc, friendly_name: name };
        regexLost = true;
      }
    }
    acc[name] = corrected;
    out.set(name, { name, regex: corrected.regex, emergency: isTrue(corrected.emergency, undefined), regexLost });
  }
  return out;
}
