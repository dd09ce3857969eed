// Bounded JSON reading for every JSON text that comes from outside (cluster replies, bundles, plan and draft files,
// settings values, WebSocket messages): a size limit, and a nesting limit checked by a linear scan *before* parsing,
// because JSON.parse accepts any depth while every recursive walk after it (copying, hashing, validating) would end
// in "Maximum call stack size exceeded". Pure: no Node or DOM APIs, so any layer can use it.

/** Deeper than any Kazoo document or Carrier Desk file (a resource is about 6 levels deep). */
export const MAX_JSON_DEPTH = 64;

export type JsonRead = { ok: true; value: unknown } | { ok: false; code: 'json_too_big' | 'json_too_deep' | 'json_syntax'; message: string };

export interface JsonReadOptions {
  /** What the text is, for the message: 'The bundle', 'The reply to GET /v2/…'. */
  what: string;
  /** Longest text accepted, in characters (UTF-16 code units; about bytes for JSON, which is mostly ASCII). */
  maxChars: number;
  /** Deepest nesting of arrays and objects accepted (default MAX_JSON_DEPTH). */
  maxDepth?: number;
}

const MB = 1024 * 1024;

function size(chars: number): string {
  return chars >= MB ? `${(chars / MB).toFixed(chars >= 10 * MB ? 0 : 1)} MB` : chars >= 1024 ? `${Math.round(chars / 1024)} KB` : `${chars} characters`;
}

/** True when `text` nests arrays/objects deeper than `maxDepth` (brackets inside strings do not count). */
export function nestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > maxDepth) return true;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return false;
}

/** Parses `text` when it is within the limits; otherwise says which limit it broke, in one sentence. */
export function readJson(text: string, opts: JsonReadOptions): JsonRead {
  const maxDepth = opts.maxDepth ?? MAX_JSON_DEPTH;
  if (text.length > opts.maxChars) {
    return { ok: false, code: 'json_too_big', message: `${opts.what} is too large (${size(text.length)}; at most ${size(opts.maxChars)} is accepted).` };
  }
  if (nestsDeeperThan(text, maxDepth)) {
    return { ok: false, code: 'json_too_deep', message: `${opts.what} is nested deeper than ${maxDepth} levels, which no valid file, message or reply is; it was not read.` };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, code: 'json_syntax', message: `${opts.what} is not valid JSON (${(e as Error).message}).` };
  }
}

/** Nesting depth of an already parsed value, stopping past `maxDepth` (iterative: safe on any input). */
export function valueNestsDeeperThan(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d + 1 > maxDepth) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
  }
  return false;
}
