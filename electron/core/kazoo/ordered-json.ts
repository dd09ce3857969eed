// Reads the member names of a JSON object in the order the text lists them. JSON.parse moves keys made only of digits
// ("7", "44") to the front, which would reorder a Kazoo classifier table or converter map (routing-spec §3.1, §3.2).
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { isObject } from './coerce.ts';

/** The keys of the object at `path` in `text`, in text order; undefined when there is no object there. */
export function orderedKeys(text: string, path: (string | number)[]): string[] | undefined {
  const root = parseTree(text);
  const node = root && (path.length ? findNodeAtLocation(root, path) : root);
  if (!node || node.type !== 'object') return undefined;
  return (node.children ?? []).map((prop) => prop.children?.[0]?.value).filter((k): k is string => typeof k === 'string');
}

/** The [key, value] pairs of `obj` (parsed from `text`, the object at `path`) in the order of the text. */
export function orderedEntries(text: string, path: (string | number)[], obj: Record<string, unknown>): [string, unknown][] {
  const keys = orderedKeys(text, path) ?? Object.keys(obj);
  return keys.filter((k) => Object.hasOwn(obj, k)).map((k) => [k, obj[k]]);
}

/** A reply's `data` with access to the key order of its objects (the text is a Crossbar envelope). */
export interface OrderedData {
  data: unknown;
  /** Kazoo version from the envelope (authenticated replies), for the flavor. */
  version: string | undefined;
  /** The members of the object at `path` under `data`, in the order of the reply text; undefined: not an object. */
  entries(path: string[]): [string, unknown][] | undefined;
}

export function orderedData(text: string, data: unknown, version: string | undefined): OrderedData {
  return {
    data,
    version,
    entries(path) {
      let obj: unknown = data;
      for (const k of path) obj = isObject(obj) ? obj[k] : undefined;
      return isObject(obj) ? orderedEntries(text, ['data', ...path], obj) : undefined;
    },
  };
}
