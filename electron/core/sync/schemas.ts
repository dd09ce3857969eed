// The schema set used to validate and default-fill drafts for one cluster: the cluster's own schemas (cached in
// SQLite with their fetch time), else the builtin schemas of its flavor, else none.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { KazooClient } from '../kazoo/index.ts';
import type { ClusterRow } from '../db/repos/clusters-repo.ts';
import type { SnapshotsRepo } from '../db/repos/snapshots-repo.ts';
import { isObject, type JsonObject } from '../drafts/canonical.ts';
import type { SchemaSet } from '../drafts/defaults.ts';

export interface ClusterSchemas {
  set: SchemaSet;
  source: 'cluster' | 'builtin' | 'none';
  fetchedAt?: number;
}

const BUILTIN_DIR = fileURLToPath(new URL('../kazoo/builtin-schemas/', import.meta.url));
const builtinCache = new Map<string, SchemaSet>();

function builtin(flavor: string): SchemaSet {
  const f = flavor === '4.3' ? '4.3' : '5.0';
  let set = builtinCache.get(f);
  if (!set) {
    const out: Record<string, JsonObject> = {};
    const dir = BUILTIN_DIR + f + '/';
    if (existsSync(dir)) {
      for (const file of readdirSync(dir)) {
        if (!file.endsWith('.json')) continue;
        try {
          out[file.replace(/\.json$/, '')] = JSON.parse(readFileSync(dir + file, 'utf8')) as JsonObject;
        } catch {
          // A broken builtin file only weakens offline validation.
        }
      }
    }
    set = Object.freeze(out);
    builtinCache.set(f, set);
  }
  return set;
}

/** Every bare `$ref` id used in a schema. */
export function refsOf(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) schema.forEach((s) => refsOf(s, out));
  else if (isObject(schema)) {
    for (const [k, v] of Object.entries(schema)) {
      if (k === '$ref' && typeof v === 'string' && !v.startsWith('#')) out.add(v.replace(/\.json$/, '').split('#')[0]!);
      else refsOf(v, out);
    }
  }
  return out;
}

/** Reads the 'resources' schema and everything it references from the cluster. */
export async function fetchSchemaSet(client: KazooClient): Promise<Record<string, JsonObject>> {
  const out: Record<string, JsonObject> = {};
  const queue = ['resources'];
  while (queue.length > 0 && Object.keys(out).length < 40) {
    const name = queue.shift()!;
    if (out[name]) continue;
    const schema = await client.schemas.get(name);
    out[name] = schema;
    for (const r of refsOf(schema)) if (!out[r]) queue.push(r);
  }
  return out;
}

export class SchemaProvider {
  private readonly memo = new Map<string, ClusterSchemas>();
  private readonly shared = new Map<string, SchemaSet>();

  constructor(private readonly repo: SnapshotsRepo) {}

  /** The same object for the same cluster until refreshed (the plan memoises on identity). */
  forCluster(row: ClusterRow): ClusterSchemas {
    const hit = this.memo.get(row.id);
    if (hit) return hit;
    const rows = this.repo.schemas(row.id);
    let result: ClusterSchemas;
    if (rows.some((r) => r.name === 'resources')) {
      // Clusters with the same schemas share one set object, so the plan fills a draft's defaults once for them. The
      // texts themselves are the key (a Map compares them as they are): hashing ~12 KB per cluster cost more.
      const key = rows.map((r) => `${r.name}\n${r.schema_json}`).sort().join('\n');
      let set = this.shared.get(key);
      if (!set) {
        const parsed: Record<string, JsonObject> = {};
        for (const r of rows) parsed[r.name] = JSON.parse(r.schema_json) as JsonObject;
        this.shared.set(key, (set = Object.freeze(parsed)));
      }
      result = { set, source: 'cluster', fetchedAt: Math.min(...rows.map((r) => r.fetched_at)) };
    } else {
      const set = builtin(row.flavor ?? '5.0');
      result = { set, source: set.resources ? 'builtin' : 'none' };
    }
    this.memo.set(row.id, result);
    return result;
  }

  /** The builtin schemas of a flavor (for a draft without a target cluster). */
  forFlavor(flavor: '4.3' | '5.0'): SchemaSet {
    return builtin(flavor);
  }

  has(clusterId: string): boolean {
    return this.repo.hasSchema(clusterId, 'resources');
  }

  async refresh(clusterId: string, client: KazooClient, now: number): Promise<void> {
    const set = await fetchSchemaSet(client);
    this.repo.saveSchemas(clusterId, Object.fromEntries(Object.entries(set).map(([k, v]) => [k, JSON.stringify(v)])), now);
    this.memo.delete(clusterId);
  }
}
