// SIP-Invite-Parameters of an endpoint (routing-spec §6.2, case kz-fixture-invite-parameters): the gateway's
// `invite_parameters.static` list followed by its `dynamic` entries, looked up in the calling channel's custom channel
// variables / custom SIP headers (or the node's zone) and added in REVERSE order of the `dynamic` list, as Kazoo's
// stepswitch_resources:sip_invite_parameters/2 builds them. Only gateways that have `invite_parameters` pay for this.
import { RouteFailure } from './failure.ts';
import { isObject } from './kz-json.ts';
import type { Gateway, Resource } from './load.ts';
import type { RouteRequest } from './types.ts';

export interface InviteParameters {
  parameters: string[];
  /** What the simulator could not know (a zone or a channel value not given with the request). */
  notes: string[];
}

/** kz_json:normalize on a key: lower case, '-' → '_' (the requestor's CCVs and headers are normalised so). */
function normaliseKey(k: string): string {
  return k.replace(/-/g, '_').toLowerCase();
}

function normalised(o: Readonly<Record<string, unknown>> | undefined): Map<string, unknown> {
  const m = new Map<string, unknown>();
  if (o) for (const [k, v] of Object.entries(o)) m.set(normaliseKey(k), v);
  return m;
}

/** kz_json:get_ne_binary_value: text as is, numbers and booleans as text, anything else or empty → absent. */
function neText(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** One part of Kazoo's iolist_to_binary: text, or an integer 0–255 (a byte); anything else makes Kazoo crash. */
function ioPart(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255) return String.fromCharCode(v);
  return undefined;
}

class Lookup {
  private ccvs: Map<string, unknown> | undefined;
  private headers: Map<string, unknown> | undefined;
  readonly notes: string[] = [];
  constructor(private readonly req: RouteRequest) {}

  /** dynamic_sip_invite_value/3: `zone`, `custom_sip_headers.X`, `custom_channel_vars.X` (X compared as written). */
  value(key: unknown): string | undefined {
    if (key === 'zone') {
      if (this.req.zone) return this.req.zone;
      this.notes.push('invite_parameters: "zone" is the zone of the Kazoo node that handles the call; no zone was given, so it is left out here (routing-spec §6.2).');
      return undefined;
    }
    if (typeof key !== 'string') return undefined;
    const [source, given] = key.startsWith('custom_sip_headers.')
      ? [(this.headers ??= normalised(this.req.customSipHeaders)), this.req.customSipHeaders]
      : key.startsWith('custom_channel_vars.')
        ? [(this.ccvs ??= normalised(this.req.customChannelVars)), this.req.customChannelVars]
        : [undefined, undefined];
    if (!source) return undefined;
    const v = neText(source.get(key.slice(key.indexOf('.') + 1)));
    if (v === undefined && given === undefined) {
      this.notes.push(`invite_parameters: "${key}" is read from the calling channel; none was given, so it is left out here (routing-spec §6.2).`);
    }
    return v;
  }
}

/** The endpoint's SIP-Invite-Parameters, or undefined when the gateway has no `invite_parameters` object. */
export function inviteParameters(gw: Gateway, resource: Resource, req: RouteRequest): InviteParameters | undefined {
  const ip = gw.raw.invite_parameters;
  if (!isObject(ip)) return undefined;
  const where = `${resource.name} (${resource.id}), gateway ${gw.index + 1}`;
  const crash = (what: string) =>
    new RouteFailure('invite_parameters_crash', `${where}: ${what}; Kazoo crashes building the endpoint and the call fails (routing-spec §6.2, §11.20).`, resource.id);
  // kz_json:get_list_value: anything but a list reads as [].
  const statics = Array.isArray(ip.static) ? ip.static : [];
  const parameters: string[] = [];
  const notes: string[] = [];
  for (const s of statics) {
    if (typeof s === 'string') parameters.push(s);
    else {
      parameters.push(JSON.stringify(s));
      notes.push(`invite_parameters.static holds ${JSON.stringify(s)}, which is not text: what FreeSWITCH receives for it is not known (routing-spec §6.2).`);
    }
  }
  const lookup = new Lookup(req);
  const dynamic: string[] = [];
  for (const entry of Array.isArray(ip.dynamic) ? ip.dynamic : []) {
    if (typeof entry === 'string') {
      const v = lookup.value(entry);
      if (v !== undefined) dynamic.push(v);
      continue;
    }
    if (!isObject(entry)) throw crash(`invite_parameters.dynamic holds ${JSON.stringify(entry)}, which is neither a key nor an object`);
    const key = entry.key === '' ? undefined : entry.key;
    const v = lookup.value(key);
    if (v === undefined) continue;
    const tag = entry.tag === '' ? undefined : ioPart(entry.tag);
    // get_first_defined([separator, seperator]) with "=" by default; the misspelling is Kazoo's own.
    const sepRaw = entry.separator !== undefined ? entry.separator : entry.seperator !== undefined ? entry.seperator : '=';
    const sep = ioPart(sepRaw);
    if (tag === undefined) throw crash(`the dynamic invite parameter for "${String(key)}" has no usable "tag"`);
    if (sep === undefined) throw crash(`the dynamic invite parameter for "${String(key)}" has a "separator" that is not text`);
    dynamic.push(tag + sep + v);
  }
  // The dynamic values are accumulated by prepending: the last listed comes first.
  for (let i = dynamic.length - 1; i >= 0; i--) parameters.push(dynamic[i]!);
  return { parameters, notes: [...notes, ...lookup.notes] };
}
