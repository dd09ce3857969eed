// Pure helpers over an account tree (core, CLI and renderer): depth-first order and search that keeps the ancestors of matches.
import type { AccountNode } from './contract/clusters.ts';

/** Nodes whose name or id contains the query, plus their ancestors so the tree stays readable. */
export function filterTree(nodes: AccountNode[], query: string): { visible: AccountNode[]; matches: Set<string> } {
  const q = query.trim().toLowerCase();
  if (!q) return { visible: nodes, matches: new Set() };
  const matches = new Set(nodes.filter((n) => n.name.toLowerCase().includes(q) || n.id.toLowerCase().includes(q)).map((n) => n.id));
  const keep = new Set<string>();
  for (const n of nodes) if (matches.has(n.id)) for (const id of [...n.tree, n.id]) keep.add(id);
  return { visible: nodes.filter((n) => keep.has(n.id)), matches };
}

/** Depth-first order (parents before children, siblings by name) whatever order the cluster sent. */
export function treeOrder(nodes: AccountNode[]): AccountNode[] {
  const children = new Map<string, AccountNode[]>();
  const ids = new Set(nodes.map((n) => n.id));
  const roots: AccountNode[] = [];
  for (const n of nodes) {
    if (n.parentId && ids.has(n.parentId) && n.parentId !== n.id) {
      const list = children.get(n.parentId) ?? [];
      list.push(n);
      children.set(n.parentId, list);
    } else roots.push(n);
  }
  const out: AccountNode[] = [];
  const byName = (a: AccountNode, b: AccountNode) => a.name.localeCompare(b.name);
  const walk = (n: AccountNode) => {
    out.push(n);
    for (const c of (children.get(n.id) ?? []).sort(byName)) walk(c);
  };
  for (const r of roots.sort((a, b) => a.depth - b.depth || byName(a, b))) walk(r);
  return out;
}
