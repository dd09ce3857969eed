// Which files a page may name through the browser host: only files inside the folders the user chose when starting
// it (`--files-dir`). The contract marks its file-path arguments (`files` in contract/define.ts); the renderer itself
// never needs them (it sends text and downloads blobs), so by default every such path is refused.
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { methods } from '../shared/contract.ts';

function valueAt(args: unknown, dotted: string): unknown {
  let cur: unknown = args;
  for (const key of dotted.split('.')) {
    if (typeof cur !== 'object' || cur === null || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** The real path of `p`, resolving symbolic links of its nearest existing ancestor (the file may not exist yet). */
function realPath(p: string): string {
  let head = resolve(p);
  const tail: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(head), ...tail);
    } catch {
      const up = dirname(head);
      if (up === head) return resolve(p);
      tail.unshift(basename(head));
      head = up;
    }
  }
}

/** The folders as real paths (a folder that does not exist is dropped: nothing can be inside it). */
export function fileRoots(dirs: readonly string[]): string[] {
  const out: string[] = [];
  for (const d of dirs) {
    try {
      out.push(realpathSync(resolve(d)));
    } catch {
      // Not there: the server says so at start; it grants nothing.
    }
  }
  return out;
}

export interface PathRefusal {
  argument: string;
  message: string;
}

/**
 * Undefined when every file-path argument of the call lies inside one of `roots`; else which one does not.
 * Relative paths are refused (they would depend on the host's working folder). Arguments that are not strings are
 * left to the contract's own validation.
 */
export function refusedPath(method: string, args: unknown, roots: readonly string[]): PathRefusal | undefined {
  if (!Object.hasOwn(methods, method)) return undefined;
  const files = (methods as Record<string, { files?: readonly string[] }>)[method]?.files ?? [];
  for (const argument of files) {
    const value = valueAt(args, argument);
    if (typeof value !== 'string' || value === '') continue;
    const real = isAbsolute(value) ? realPath(value) : undefined;
    const inside = real !== undefined && roots.some((r) => real === r || real.startsWith(r.endsWith(sep) ? r : r + sep));
    if (inside) continue;
    const where = roots.length
      ? `inside the folder chosen when it was started (${roots.join(', ')})`
      : 'inside a folder chosen when it was started, and none was chosen';
    return {
      argument,
      message: `For safety, the browser version of Carrier Desk reads and writes files by name only ${where}; "${value}" is not. Open or drop the file in the app instead, or start Carrier Desk with that folder as its files folder.`,
    };
  }
  return undefined;
}
