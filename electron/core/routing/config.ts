// system_config/stepswitch as stepswitch reads it (routing-spec §2.3, §5.6, §8, Appendix B): the code defaults,
// overridden by the values the world gives (a flat object, or Crossbar's {default: {...}, <node>: {...}} shape).
import { WorldInputError } from './failure.ts';
import { getInteger, getNeText, getText, isObject, isTrue, KzTypeError } from './kz-json.ts';
import type { JsonObject } from './types.ts';

export interface StepswitchConfig {
  routeBy: string;
  defaultWeight: number;
  defaultRoute: string | undefined;
  defaultPrefix: string;
  defaultSuffix: string;
  fixedLengthShortdial: number | undefined;
  minShortdial: number;
  maxShortdial: number;
  /** 4.3 only (§5.6). */
  minShortdialDestination: number | undefined;
  cidRulesHonorDiversions: boolean;
  defaultFormatters: unknown;
  ensureValidEmergencyCid: boolean;
  denyInvalidEmergencyCid: boolean;
}

export const ROUTE_BY_DEFAULT = 'stepswitch_resources';
export const ROUTE_BY_SELECTORS = 'stepswitch_resource_selectors';

/** The settings node stepswitch uses: `default` of a Crossbar reply merged under any flat keys given. */
function flatten(raw: JsonObject | undefined): JsonObject {
  if (!raw) return {};
  const base = isObject(raw.default) ? raw.default : {};
  const own: JsonObject = {};
  for (const [k, v] of Object.entries(raw)) if (k !== 'default' && !k.includes('@') && k !== 'id' && k !== '_id') own[k] = v;
  return { ...base, ...own };
}

export function readStepswitchConfig(raw: JsonObject | undefined): StepswitchConfig {
  const c = flatten(raw);
  try {
    return {
      routeBy: getNeText(c.route_by, ROUTE_BY_DEFAULT),
      defaultWeight: getInteger(c.default_weight, 3),
      defaultRoute: getNeText(c.default_route, undefined),
      defaultPrefix: getText(c.default_prefix, ''),
      defaultSuffix: getText(c.default_suffix, ''),
      fixedLengthShortdial: getInteger(c.fixed_length_shortdial_correction, undefined),
      minShortdial: getInteger(c.min_shortdial_correction, 2),
      maxShortdial: getInteger(c.max_shortdial_correction, 5),
      minShortdialDestination: getInteger(c.min_shortdial_destination, undefined),
      cidRulesHonorDiversions: isTrue(c.cid_rules_honor_diversions, false),
      defaultFormatters: c.default_formatters,
      ensureValidEmergencyCid: isTrue(c.ensure_valid_emergency_cid, false),
      denyInvalidEmergencyCid: isTrue(c.deny_invalid_emergency_cid, false),
    };
  } catch (e) {
    if (e instanceof KzTypeError) throw new WorldInputError('stepswitch_config', `A stepswitch setting has the wrong type: ${e.message}.`);
    throw e;
  }
}
