// One endpoint per (resource, enabled gateway) as stepswitch builds it (routing-spec §6.2, §6.3): the dial string,
// the Kazoo-shaped object formatters see (§7, built only for resources that have formatters), and the view the
// answer reports. Kept lean: bulk routing builds millions of these.
import { RouteFailure } from './failure.ts';
import { applyFormatters, type FormatContext } from './formatters.ts';
import { isObject } from './kz-json.ts';
import type { Gateway, Resource } from './load.ts';
import type { Match } from './run-context.ts';
import type { EndpointView, JsonObject, RouteRequest, RoutingFlavor } from './types.ts';

export interface BuiltEndpoint {
  resource: Resource;
  gateway: Gateway;
  /** The rule that decided (§5.2) and the number it gave (§5.3). */
  match: Match;
  matchedNumber: string;
  /** Route, To-DID and Invite-Format as they leave the bridge step (after formatters). */
  route: string;
  toDid: string;
  inviteFormat: string;
  /** The dial string stepswitch built (before formatters), when it built one (no `route` override). */
  built: string | undefined;
}

/** gateway_dialstring/2 (§6.3): a `route` is used verbatim; else sip:prefix+number+suffix@server[:port]. */
export function dialString(gw: Gateway, number: string, resource: Resource): string {
  if (gw.route !== undefined) return gw.route;
  if (gw.server === undefined) {
    throw new RouteFailure('gateway_without_server', `Gateway ${gw.index + 1} of ${resource.name} (${resource.id}) has neither a server nor a route: stepswitch crashes building its dial string and the call fails (routing-spec §6.3, §11.20).`, resource.id);
  }
  return `sip:${gw.prefix}${number}${gw.suffix}@${gw.server}${gw.portPart}`;
}

export function buildEndpoint(resource: Resource, gw: Gateway, match: Match): BuiltEndpoint {
  const matched = match.matched;
  const route = dialString(gw, matched, resource);
  return { resource, gateway: gw, match, matchedNumber: matched, route, toDid: matched, inviteFormat: gw.inviteFormat, built: gw.route === undefined ? route : undefined };
}

/** kz_custom_sip_headers:outbound/1: the "out" headers merged over the plain ones ("in" is for inbound calls). */
function outboundHeaders(h: unknown): JsonObject | undefined {
  if (!isObject(h)) return undefined;
  const { in: _in, out, ...rest } = h;
  const merged = { ...rest, ...(isObject(out) ? out : {}) };
  return Object.keys(merged).length ? merged : undefined;
}

function put(o: JsonObject, k: string, v: unknown): void {
  if (v === undefined || v === null || v === '' || (isObject(v) && Object.keys(v).length === 0)) return;
  o[k] = v;
}

/**
 * The endpoint object of gateway_to_endpoint/3 plus update_endpoint (§6.2) with the bridge-level caller id, for the
 * fields formatters may target (secrets left out); empty values are dropped as Kazoo's filter_empty does.
 */
export function kazooEndpoint(e: BuiltEndpoint, req: RouteRequest, flavor: RoutingFlavor, cid: { number?: string; name?: string; force: boolean }): JsonObject {
  const g = e.gateway.raw;
  const matched = e.matchedNumber;
  const k: JsonObject = {};
  put(k, 'Route', e.route);
  const callee = flavor === '4.3' ? 'Callee-ID' : 'Outbound-Callee-ID';
  put(k, `${callee}-Name`, matched);
  put(k, `${callee}-Number`, matched);
  put(k, 'To-DID', matched);
  put(k, 'Invite-Format', e.gateway.inviteFormat);
  put(k, 'Caller-ID-Type', typeof g.caller_id_type === 'string' && g.caller_id_type ? g.caller_id_type : 'external');
  put(k, 'Auth-User', g.username);
  if (flavor !== '4.3') put(k, 'Auth-Realm', g.realm);
  put(k, 'Custom-SIP-Headers', outboundHeaders(g.custom_sip_headers));
  put(k, 'SIP-Interface', g.custom_sip_interface);
  put(k, 'Endpoint-Type', typeof g.endpoint_type === 'string' && g.endpoint_type ? g.endpoint_type : 'sip');
  // The gateway's own caller id (emergency gateways use the emergency one), then the bridge's (§8, SU set_endpoint_caller_id).
  put(k, 'Outbound-Caller-ID-Number', cid.force ? cid.number : e.gateway.emergency ? (req.emergencyCallerIdNumber ?? req.callerIdNumber) : req.callerIdNumber);
  put(k, 'Outbound-Caller-ID-Name', cid.force ? cid.name : e.gateway.emergency ? (req.emergencyCallerIdName ?? req.callerIdName) : req.callerIdName);
  if (k['Outbound-Caller-ID-Number'] === undefined) put(k, 'Outbound-Caller-ID-Number', cid.number);
  if (k['Outbound-Caller-ID-Name'] === undefined) put(k, 'Outbound-Caller-ID-Name', cid.name);
  put(k, 'Name', e.resource.name);
  k.Weight = e.resource.weight;
  return k;
}

/** Runs the resource's formatters on the endpoint (§7) and keeps what the answer shows of it. */
export function formatEndpoint(e: BuiltEndpoint, kazoo: JsonObject, ctx: FormatContext): void {
  const out = applyFormatters(kazoo, e.resource.formatters, ctx);
  const route = out.Route;
  e.route = typeof route === 'string' ? route : route === undefined ? '' : JSON.stringify(route);
  e.toDid = typeof out['To-DID'] === 'string' ? out['To-DID'] : '';
  if (typeof out['Invite-Format'] === 'string') e.inviteFormat = out['Invite-Format'];
}

export function endpointView(e: BuiltEndpoint): EndpointView {
  const gw = e.gateway;
  // Plain assignments, no spreads: this runs for every endpoint of every number in bulk routing.
  const v: EndpointView = {
    resourceId: e.resource.id,
    gatewayIndex: gw.index,
    route: e.route,
    toDid: e.toDid,
    inviteFormat: e.inviteFormat,
    emergency: gw.emergency,
    name: e.resource.name,
    weight: e.resource.weight,
    matchedNumber: e.matchedNumber,
  };
  if (e.built !== undefined && e.inviteFormat === 'route' && e.route === e.built) v.inviteNumber = gw.prefix + e.matchedNumber + gw.suffix;
  if (gw.server !== undefined) v.server = gw.server;
  const notes = e.inviteFormat === gw.inviteFormat ? gw.notes : [...gw.notes.filter((n) => !n.startsWith('invite_format')), ...inviteFormatNote(e.inviteFormat)];
  if (notes.length) v.notes = notes;
  return v;
}

export function inviteFormatNote(format: string): string[] {
  return format === 'route' ? [] : [`invite_format ${format}: stepswitch passes it on unchanged; ecallmgr expects a registration or IP for this format, so this gateway may be skipped at call time (routing-spec §6.4, unverified).`];
}

/** What the answer always says about a gateway (computed once at load). */
export function gatewayNotes(route: string | undefined, inviteFormat: string): readonly string[] {
  const notes: string[] = [];
  if (route !== undefined) notes.push('Uses the gateway\'s fixed route: prefix, suffix, server, port and the dialled number are ignored (routing-spec §6.3, §11.18).');
  notes.push(...inviteFormatNote(inviteFormat));
  return notes;
}
