// Guard: every contract argument that names a file on the core's machine is declared in its method's `files`, so
// the browser host limits it to the files folder (electron/web/file-access.ts). A new `path`/`…File`/`…Dir`
// argument fails here until it is declared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { z } from 'zod';
import { methods } from '../../electron/shared/contract.ts';

/** Dotted paths of every string argument in a schema (objects, optionals, defaults, pipes, unions). */
function stringArgs(schema: z.ZodType, path: string[] = [], out: string[] = []): string[] {
  const def = (schema as unknown as { def: { type: string; innerType?: z.ZodType; in?: z.ZodType; options?: z.ZodType[] } }).def;
  if (def.type === 'object') for (const [k, v] of Object.entries((schema as unknown as z.ZodObject).shape)) stringArgs(v as z.ZodType, [...path, k], out);
  else if ((def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') && def.innerType) stringArgs(def.innerType, path, out);
  else if (def.type === 'pipe' && def.in) stringArgs(def.in, path, out);
  else if (def.type === 'union' && def.options) for (const o of def.options) stringArgs(o, path, out);
  else if (def.type === 'string') out.push(path.join('.'));
  return out;
}

/** `fileName` is only shown (the name of a file the page read itself); it is never opened. */
const looksLikeFile = (arg: string) => /(^|\.)(path|file|dir|out)$|[a-z](File|Dir|Path)$/.test(arg) && !arg.endsWith('fileName');

test('every file-path argument of the contract is declared, and every declared one exists', () => {
  const found: string[] = [];
  for (const [name, spec] of Object.entries(methods) as [string, { args: z.ZodType; files?: readonly string[] }][]) {
    const args = stringArgs(spec.args);
    for (const a of args.filter(looksLikeFile)) {
      found.push(`${name} ${a}`);
      assert.ok(spec.files?.includes(a), `${name}: argument '${a}' names a file but is not in its files list`);
    }
    for (const f of spec.files ?? []) assert.ok(args.includes(f), `${name}: files lists '${f}', which is not a string argument`);
  }
  assert.deepEqual(found.sort(), [
    'clusters.add tls.caFile',
    'clusters.update tls.caFile',
    'numbers.export path',
    'numbers.import path',
    'numbers.preview path',
  ]);
});
