// One endpoint per (resource, enabled gateway) as stepswitch builds it (routing-spec §6.2, §6.3): the dial string,
// the Kazoo-shaped object formatters see (§7), and the view the answer reports.
import { RouteFailure } from './failure.ts';
import { isObject } from './kz-json.ts';
import type { Gateway, Resource } from './load.ts';
import type { EndpointView, JsonObject, RouteRequest, RoutingFlavor } from './types.ts';

export interface BuiltEndpoint {
  resource: Resource;
  gateway: Gateway;
  matchedNumber: string;
  /** The endpoint with Kazoo's keys (Route, To-DID, Invite-Format, ...), empty values left out. */
  kazoo: JsonObject;
}

/** gateway_dialstring/2 (§6.3): a `route` is used verbatim; else sip:prefix+number+suffix@server[:port]. */
export function dialString(gw: Gateway, number: string, resource: Resource): string {
  if (gw.route !== undefined) return gw.route;
  if (gw.server === undefined) {
    throw new RouteFailure('gateway_without_server', `Gateway ${gw.index + 1} of ${resource.name} (${resource.id}) has neither a server nor a route: stepswitch crashes building its dial string and the call fails (routing-spec §6.3, §11.20).`, resource.id);
  }
  const port = gw.port !== undefined && gw.port !== 0 && gw.port !== 5060 ? `:${gw.port}` : '';
  return `sip:${gw.prefix}${number}${gw.suffix}@${gw.server}${port}`;
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

/** gateway_to_endpoint/3 plus update_endpoint (§6.2), for the fields formatters and the answer use. */
export function buildEndpoint(resource: Resource, gw: Gateway, matched: string, req: RouteRequest, flavor: RoutingFlavor): BuiltEndpoint {
  const route = dialString(gw, matched, resource);
  const g = gw.raw;
  const cidNumber = gw.emergency ? (req.emergencyCallerIdNumber ?? req.callerIdNumber) : req.callerIdNumber;
  const cidName = gw.emergency ? (req.emergencyCallerIdName ?? req.callerIdName) : req.callerIdName;
  const k: JsonObject = {};
  put(k, 'Route', route);
  const callee = flavor === '4.3' ? 'Callee-ID' : 'Outbound-Callee-ID';
  put(k, `${callee}-Name`, matched);
  put(k, `${callee}-Number`, matched);
  put(k, 'To-DID', matched);
  put(k, 'Invite-Format', gw.inviteFormat);
  put(k, 'Caller-ID-Type', typeof g.caller_id_type === 'string' && g.caller_id_type ? g.caller_id_type : 'external');
  put(k, 'Auth-User', g.username);
  if (flavor !== '4.3') put(k, 'Auth-Realm', g.realm);
  put(k, 'Custom-SIP-Headers', outboundHeaders(g.custom_sip_headers));
  put(k, 'SIP-Interface', g.custom_sip_interface);
  put(k, 'Endpoint-Type', typeof g.endpoint_type === 'string' && g.endpoint_type ? g.endpoint_type : 'sip');
  put(k, 'Outbound-Caller-ID-Number', cidNumber);
  put(k, 'Outbound-Caller-ID-Name', cidName);
  put(k, 'Name', resource.name);
  k.Weight = resource.weight;
  return { resource, gateway: gw, matchedNumber: matched, kazoo: k };
}

/** What the answer shows of an endpoint after the bridge step (formatters applied to `kazoo`). */
export function endpointView(e: BuiltEndpoint): EndpointView {
  const k = e.kazoo;
  const gw = e.gateway;
  const route = typeof k.Route === 'string' ? k.Route : String(k.Route ?? '');
  const inviteFormat = typeof k['Invite-Format'] === 'string' ? k['Invite-Format'] : gw.inviteFormat;
  const notes: string[] = [];
  const built = gw.route === undefined;
  if (!built) notes.push('Uses the gateway\'s fixed route: prefix, suffix, server, port and the dialled number are ignored (routing-spec §6.3, §11.18).');
  if (inviteFormat !== 'route') {
    notes.push(`invite_format ${inviteFormat}: stepswitch passes it on unchanged; ecallmgr expects a registration or IP for this format, so this gateway may be skipped at call time (routing-spec §6.4, unverified).`);
  }
  const sentByUs = built && inviteFormat === 'route' && route === dialString(gw, e.matchedNumber, e.resource);
  return {
    resourceId: e.resource.id,
    gatewayIndex: gw.index,
    route,
    ...(sentByUs ? { inviteNumber: `${gw.prefix}${e.matchedNumber}${gw.suffix}` } : {}),
    toDid: typeof k['To-DID'] === 'string' ? k['To-DID'] : '',
    inviteFormat,
    emergency: gw.emergency,
    name: e.resource.name,
    weight: e.resource.weight,
    matchedNumber: e.matchedNumber,
    ...(gw.server !== undefined ? { server: gw.server } : {}),
    ...(notes.length ? { notes } : {}),
  };
}
