// Validation issues by field path for the resource editor.
import type { ValidationReport } from '../../../../../electron/shared/contract/sync.ts';

/** Validation issues by field path for the editor (errors before warnings; a target's cluster named). */
export function issueMap(v: ValidationReport | null): Map<string, string> {
  const m = new Map<string, string>();
  if (!v) return m;
  const add = (path: string, msg: string) => {
    if (!m.has(path)) m.set(path, msg);
  };
  for (const i of v.local) if (i.severity === 'error') add(i.path, i.message);
  for (const t of v.targets) for (const i of t.errors) add(i.path, `${i.message} (${t.clusterName})`);
  for (const i of v.local) if (i.severity === 'warning') add(i.path, i.message);
  return m;
}

/** The value at a dotted path (object keys and array indexes), e.g. "gateways.0.port". */
function valueAt(doc: unknown, path: string): unknown {
  let cur = doc;
  for (const k of path.split('.')) {
    if (Array.isArray(cur)) cur = cur[Number(k)];
    else if (cur !== null && typeof cur === 'object') cur = (cur as Record<string, unknown>)[k];
    else return undefined;
  }
  return cur;
}

/**
 * The issue to show at a field: none when the field's value changed since the document that was validated (the
 * message would be about a value that is gone; the next check, when typing pauses, speaks about the new one).
 */
export function currentIssue(issues: Map<string, string>, validated: unknown, working: unknown, path: string): string | undefined {
  const msg = issues.get(path);
  if (msg === undefined || validated === null || path === '') return msg;
  return JSON.stringify(valueAt(validated, path)) === JSON.stringify(valueAt(working, path)) ? msg : undefined;
}
