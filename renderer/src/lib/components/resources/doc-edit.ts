// Pure helpers of the resource editor: which fields the app knows, enum values, and edits that
// change only what the user touched (an emptied optional field is removed, never sent as "").
export type Obj = Record<string, unknown>;

export const KNOWN_TOP = new Set([
  'name', 'enabled', 'emergency', 'weight_cost', 'grace_period', 'gateway_strategy', 'flags', 'require_flags', 'ignore_flags',
  'rules', 'rules_test', 'cid_rules', 'caller_id_options', 'classifiers', 'formatters', 'media', 'gateways', 'format_from_uri',
  'from_uri_realm', 'from_account_realm', 'flat_rate_whitelist', 'flat_rate_blacklist',
]);
/** Read-only fields Kazoo sets; shown in "other fields" but never editable. */
export const SERVER_FIELDS = new Set(['id', '_read_only']);

export const KNOWN_GATEWAY = new Set([
  'server', 'realm', 'username', 'password', 'port', 'enabled', 'prefix', 'suffix', 'invite_format', 'endpoint_type',
  'channel_selection', 'caller_id_type', 'codecs', 'bypass_media', 'force_port', 'format_from_uri', 'from_uri_realm',
  'custom_sip_headers', 'custom_sip_interface', 'invite_parameters', 'media', 'progress_timeout', 'route', 'skype_interface',
  'skype_rr', 'span',
]);

export const GATEWAY_CODECS = ['G729', 'PCMU', 'PCMA', 'G722_16', 'G722_32', 'CELT_48', 'CELT_64', 'Speex', 'GSM', 'OPUS', 'H261', 'H263', 'H264', 'VP8'];
export const AUDIO_CODECS = ['OPUS', 'CELT@32000h', 'G7221@32000h', 'G7221@16000h', 'G722', 'speex@32000h', 'speex@16000h', 'PCMU', 'PCMA', 'G729', 'GSM', 'CELT@48000h', 'CELT@64000h', 'G722_16', 'G722_32', 'CELT_48', 'CELT_64', 'Speex', 'speex'];
export const VIDEO_CODECS = ['H261', 'H263', 'H264', 'VP8'];
export const INVITE_FORMATS = ['route', 'username', 'e164', 'npan', '1npan', 'strip_plus'];
export const ENDPOINT_TYPES = ['sip', 'freetdm', 'skype', 'amqp'];
export const CALLER_ID_TYPES = ['internal', 'external', 'emergency'];

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a dotted key ('media.fax_option') below obj. */
export function getAt(obj: Obj, key: string): unknown {
  let cur: unknown = obj;
  for (const k of key.split('.')) cur = isObj(cur) ? cur[k] : undefined;
  return cur;
}

/** Sets a dotted key, creating parents; an empty value (undefined, '' or NaN) deletes it and prunes empty parents. */
export function setOrDelete(obj: Obj, key: string, value: unknown): void {
  const parts = key.split('.');
  const empty = value === undefined || value === '' || (typeof value === 'number' && Number.isNaN(value));
  const chain: Obj[] = [obj];
  for (const k of parts.slice(0, -1)) {
    const cur = chain[chain.length - 1]!;
    if (!isObj(cur[k])) {
      if (empty) return;
      cur[k] = {};
    }
    chain.push(cur[k] as Obj);
  }
  const last = parts[parts.length - 1]!;
  if (!empty) {
    chain[chain.length - 1]![last] = value;
    return;
  }
  delete chain[chain.length - 1]![last];
  for (let i = chain.length - 1; i > 0; i--) {
    if (Object.keys(chain[i]!).length > 0) break;
    delete chain[i - 1]![parts[i - 1]!];
  }
}

/** The list at a dotted key, created when missing (call only from event handlers, never while rendering). */
export function listAt(obj: Obj, key: string): unknown[] {
  const cur = getAt(obj, key);
  if (Array.isArray(cur)) return cur;
  setOrDelete(obj, key, []);
  return getAt(obj, key) as unknown[];
}


export function unknownFields(obj: Obj, known: Set<string>): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(obj)) if (!known.has(k)) out[k] = v;
  return out;
}

export function move<T>(list: T[], from: number, to: number): void {
  if (to < 0 || to >= list.length) return;
  const [x] = list.splice(from, 1);
  list.splice(to, 0, x as T);
}

/** Issues by field path, for showing validation errors at the field. */
export type IssueLookup = (path: string) => string | undefined;
export const noIssues: IssueLookup = () => undefined;
