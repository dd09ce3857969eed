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
