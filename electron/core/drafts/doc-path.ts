// Dotted field paths ('gateways.1.server', Kazoo's own notation; a dot inside a key is written %2E): parse, read, write.
import { UserInputError } from '../errors.ts';
import { isObject, type JsonObject } from './canonical.ts';
import { readJson } from '../../shared/json-limits.ts';

export type PathSegment = string | number;

export function parsePath(path: string): PathSegment[] {
  if (path.trim() === '') throw new UserInputError('The field path is empty; use e.g. gateways.0.server.');
  return path.split('.').map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s.replace(/%2E/gi, '.')));
}

/** A path a person typed (`drafts edit --set`): no empty segment, which is a typo ('a..b', '.a', 'a.'), not a key. */
export function checkTypedPath(path: string): void {
  if (path.split('.').some((s) => s.trim() === '')) {
    throw new UserInputError(`'${path}' is not a field path: a part between dots is empty. Write it like gateways.0.server. Nothing was saved.`);
  }
}

export function formatPath(segments: readonly PathSegment[]): string {
  return segments.map((s) => (typeof s === 'number' ? String(s) : s.replace(/\./g, '%2E'))).join('.');
}

export function joinPath(parent: string, key: PathSegment): string {
  const k = typeof key === 'number' ? String(key) : key.replace(/\./g, '%2E');
  return parent === '' ? k : `${parent}.${k}`;
}

export function getAt(doc: unknown, path: string | readonly PathSegment[]): unknown {
  const segs = typeof path === 'string' ? (path === '' ? [] : parsePath(path)) : path;
  let cur: unknown = doc;
  for (const s of segs) {
    if (Array.isArray(cur)) cur = typeof s === 'number' ? cur[s] : undefined;
    else if (isObject(cur)) cur = cur[String(s)];
    else return undefined;
  }
  return cur;
}

/** Sets (or with `undefined`, removes) the value at path, creating objects/arrays on the way. Mutates doc. */
export function setAt(doc: JsonObject, path: string | readonly PathSegment[], value: unknown): void {
  const segs = typeof path === 'string' ? parsePath(path) : path;
  if (segs.length === 0) throw new UserInputError('Give a field path to set.');
  let cur: unknown = doc;
  for (let i = 0; i < segs.length - 1; i++) {
    const s = segs[i]!;
    const nextIsIndex = typeof segs[i + 1] === 'number';
    if (Array.isArray(cur)) {
      if (typeof s !== 'number') throw new UserInputError(`${formatPath(segs.slice(0, i + 1))}: '${s}' is not a list index.`);
      if (s > cur.length) throw new UserInputError(`${formatPath(segs.slice(0, i + 1))}: index ${s} is past the end of the list (length ${cur.length}).`);
      if (cur[s] === undefined || cur[s] === null || typeof cur[s] !== 'object') cur[s] = nextIsIndex ? [] : {};
      cur = cur[s];
    } else if (isObject(cur)) {
      const k = String(s);
      if (cur[k] === undefined || cur[k] === null || typeof cur[k] !== 'object') cur[k] = nextIsIndex ? [] : {};
      cur = cur[k];
    }
  }
  const last = segs[segs.length - 1]!;
  if (Array.isArray(cur)) {
    if (typeof last !== 'number') throw new UserInputError(`${formatPath(segs)}: '${last}' is not a list index.`);
    if (last > cur.length) throw new UserInputError(`${formatPath(segs)}: index ${last} is past the end of the list (length ${cur.length}).`);
    if (value === undefined) cur.splice(last, 1);
    else cur[last] = value;
  } else if (isObject(cur)) {
    if (value === undefined) delete cur[String(last)];
    else cur[String(last)] = value;
  }
}

/** A `--set path=value` value: JSON when it parses (numbers, booleans, lists, objects, "quoted"), else the plain text. */
export function parseValueText(text: string): unknown {
  const read = readJson(text, { what: 'The value', maxChars: 16 * 1024 * 1024 });
  if (read.ok) return read.value;
  if (read.code === 'json_syntax') return text;
  throw new UserInputError(read.message);
}
