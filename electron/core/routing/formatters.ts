// kz_formatters as stepswitch applies a resource's `formatters` to each endpoint in the bridge step (routing-spec §7):
// per field the first applicable action of the first applicable formatter wins (strip, value, match_invite_format,
// regex); user@realm fields keep their realm; Custom-SIP-Headers are formatted with the endpoint's Invite-Format.
import { to1npan, toNpan } from './e164.ts';
import { RouteFailure } from './failure.ts';
import { isObject, isTrue } from './kz-json.ts';
import { firstGroup, isUncertain, kregex, type KRegex } from './regex.ts';
import type { JsonObject, RoutingFlavor } from './types.ts';

export interface FormatContext {
  flavor: RoutingFlavor;
  direction: 'outbound' | 'inbound';
  normalise: (n: string) => string;
  /** Names the resource in failures. */
  resourceId?: string;
  onUncertain?: (r: KRegex) => void;
}

/** kz_json:normalize_key: lower case, '-' → '_'. */
export function normalizeKey(k: string): string {
  return k.replace(/-/g, '_').toLowerCase();
}

const USER_AT_REALM = new Set(['Request', 'To', 'From']);

/** kz_formatters:apply/3. Returns a new object; `obj` is not changed. */
export function applyFormatters(obj: JsonObject, formatters: unknown, ctx: FormatContext): JsonObject {
  if (formatters === undefined || formatters === null) return obj;
  let out = formatRequest(obj, formatters, ctx);
  const sub = out['Custom-SIP-Headers'];
  if (isObject(sub)) {
    const withFormat: JsonObject = { ...sub };
    if (typeof out['Invite-Format'] === 'string' && out['Invite-Format'] !== '') withFormat['Invite-Format'] = out['Invite-Format'];
    const formatted = formatRequest(withFormat, formatters, ctx);
    delete formatted['Invite-Format'];
    out = { ...out, 'Custom-SIP-Headers': formatted };
  }
  return out;
}

function fail(ctx: FormatContext, why: string): never {
  throw new RouteFailure('formatter_failed', `The formatters of resource ${ctx.resourceId ?? '?'} make Kazoo crash: ${why} The call fails (routing-spec §7).`, ctx.resourceId);
}

function formatRequest(obj: JsonObject, formatters: unknown, ctx: FormatContext): JsonObject {
  if (!isObject(formatters)) fail(ctx, '"formatters" is not an object.');
  const keys = new Map<string, string>();
  for (const k of Object.keys(obj)) keys.set(normalizeKey(k), k);
  let out = obj;
  for (const [metaKey, fs] of Object.entries(formatters)) {
    const list = applicable(fs, ctx);
    if (list.length === 0) continue;
    const key = keys.get(metaKey.toLowerCase());
    if (key === undefined) continue;
    out = applyToField(out, key, list, ctx);
  }
  return out;
}

/** Formatters with no direction or exactly this call's direction (§7: "both" is never applied). */
function applicable(fs: unknown, ctx: FormatContext): JsonObject[] {
  const list = Array.isArray(fs) ? fs : isObject(fs) ? [fs] : fail(ctx, 'a formatter is neither an object nor a list.');
  return list.filter((f): f is JsonObject => isObject(f) && (f.direction === undefined || f.direction === ctx.direction));
}

type Action = (value: unknown, f: JsonObject) => { set: unknown } | { strip: true } | false;

function applyToField(obj: JsonObject, key: string, list: JsonObject[], ctx: FormatContext): JsonObject {
  const raw = obj[key];
  let realm: string | null = null;
  let value: unknown = raw;
  if (USER_AT_REALM.has(key)) {
    const s = typeof raw === 'string' ? raw : '';
    const at = s.indexOf('@');
    if (at < 0) fail(ctx, `the field ${key} (${JSON.stringify(raw)}) is not user@realm.`);
    value = s.slice(0, at);
    realm = s.slice(at + 1);
  }
  const actions: Action[] = [
    (_v, f) => (isTrue(f.strip, false) === true ? { strip: true } : false),
    (_v, f) => (f.value === undefined ? false : { set: realm === null ? f.value : `${textOf(f.value, ctx)}@${realm}` }),
    (v, f) => matchInviteFormat(obj, key, v, f, ctx, realm),
    (v, f) => matchRegex(key, v, f, ctx, realm),
  ];
  for (const f of list) {
    for (const act of actions) {
      const r = act(value, f);
      if (r === false) continue;
      const out = { ...obj };
      if ('strip' in r) delete out[key];
      else out[key] = r.set;
      return out;
    }
  }
  return obj;
}

function textOf(v: unknown, ctx: FormatContext): string {
  if (typeof v !== 'string') fail(ctx, `a formatter value ${JSON.stringify(v)} is not text.`);
  return v;
}

function inviteFormatFun(obj: JsonObject, f: JsonObject, ctx: FormatContext): ((n: string) => string) | null {
  if (isTrue(f.match_invite_format, false) !== true) return null;
  const fmt = obj['Invite-Format'];
  if (typeof fmt !== 'string' || fmt === '') return null;
  switch (fmt) {
    case 'loopback':
    case 'route':
    case 'username':
      return null;
    case 'e164':
      return ctx.normalise;
    case 'npan':
      return toNpan;
    case '1npan':
      return to1npan;
    default:
      // 4.3 has no clause for other formats (e.g. strip_plus) and crashes; master leaves the field alone (§7, §9).
      if (ctx.flavor === '4.3') fail(ctx, `match_invite_format meets the invite format ${JSON.stringify(fmt)}, which Kazoo 4.3's formatter does not know.`);
      return null;
  }
}

function matchInviteFormat(obj: JsonObject, key: string, v: unknown, f: JsonObject, ctx: FormatContext, realm: string | null) {
  const fn = inviteFormatFun(obj, f, ctx);
  if (!fn) return false;
  if (key === 'Diversions') return { set: rewriteDiversion(v, ctx, (user) => fn(user)) };
  const formatted = fn(textOf(v, ctx));
  return { set: realm === null ? formatted : `${formatted}@${realm}` };
}

function matchRegex(key: string, v: unknown, f: JsonObject, ctx: FormatContext, realm: string | null) {
  const src = f.regex;
  if (src === undefined || src === null || (realm !== null && src === '')) return false;
  if (typeof src !== 'string') fail(ctx, `the formatter regex ${JSON.stringify(src)} is not text.`);
  const r = kregex(src);
  if (ctx.onUncertain && isUncertain(r)) ctx.onUncertain(r);
  if (!r.re) {
    if (r.kazooKeeps) return false;
    fail(ctx, `the formatter regex ${JSON.stringify(src)} is not valid (${r.error}).`);
  }
  const build = (captured: string) => `${textOf(f.prefix ?? '', ctx)}${captured}${textOf(f.suffix ?? '', ctx)}`;
  if (key === 'Diversions') {
    const user = diversionUser(v, ctx);
    const m = r.re.exec(user);
    return m ? { set: rewriteDiversion(v, ctx, () => build(firstGroup(m))) } : false;
  }
  const m = r.re.exec(textOf(v, ctx));
  if (!m) return false;
  const value = build(firstGroup(m));
  return { set: realm === null ? value : `${value}@${realm}` };
}

/** The first Diversion header of a list (or the header itself). */
function firstDiversion(v: unknown, ctx: FormatContext): string {
  const d = Array.isArray(v) ? v[0] : v;
  if (typeof d !== 'string') fail(ctx, 'the Diversions header is not text.');
  return d;
}

const DIVERSION_USER = /(sips?:)([^@;>]*)@/;

function diversionUser(v: unknown, ctx: FormatContext): string {
  const m = DIVERSION_USER.exec(firstDiversion(v, ctx));
  return m ? m[2]! : '';
}

/** The first Diversion with its user part rewritten; it replaces the list (§7, code reading). */
function rewriteDiversion(v: unknown, ctx: FormatContext, fn: (user: string) => string): string {
  const d = firstDiversion(v, ctx);
  return d.replace(DIVERSION_USER, (_all, scheme: string, user: string) => `${scheme}${fn(user)}@`);
}
