// Validation of a draft for each of its targets: the cluster's schema (cached or builtin) plus the local checks,
// and optionally the cluster's own PUT /v2/schemas/resources/validation.
import type { Issue, TargetValidation, ValidationReport } from '../../shared/contract/sync.ts';
import { ValidationError } from '../kazoo/index.ts';
import { AppError } from '../errors.ts';
import type { DraftRow } from '../db/repos/drafts-repo.ts';
import type { JsonObject } from '../drafts/canonical.ts';
import { localChecks } from '../drafts/local-checks.ts';
import { missingSecretPaths } from '../drafts/secret-fields.ts';
import { validateAgainstSchemas } from '../drafts/schema-validate.ts';
import type { SchemaSet } from '../drafts/defaults.ts';
import type { SyncStore } from './store.ts';
import type { ClusterRow } from '../db/repos/clusters-repo.ts';
import { lintForCluster } from '../routing/lint.ts';
import type { Ordered, RoutingFlavor } from '../routing/types.ts';
import { storedFacts } from '../routing-data/world.ts';

/**
 * The classifier table the linter checks a target against: the one read from the cluster at pull (routing-spec §10),
 * else the flavor's default (§3.2). Kazoo 4.3 and 5.x default tables have the same names, so an unknown flavor
 * reads as 4.3 (which skips only the 5.x-only friendly_name check).
 */
export function lintTable(store: SyncStore, cluster: ClusterRow): { flavor: RoutingFlavor; table: Ordered | undefined } {
  const facts = storedFacts(store, cluster.id);
  const f = facts.flavor.value?.flavor ?? cluster.flavor;
  return { flavor: f === '5.0' ? '5.0' : '4.3', table: facts.classifiers.value };
}

const schemaMemo = new WeakMap<SchemaSet, Map<string, Issue[]>>();

/** Schema issues of doc under set, memoised by (set identity, doc hash) for big plans. */
export function schemaIssues(doc: JsonObject, set: SchemaSet, docHash: string): Issue[] {
  let m = schemaMemo.get(set);
  if (!m) schemaMemo.set(set, (m = new Map()));
  let hit = m.get(docHash);
  if (!hit) {
    // A missing secret's placeholder is reported once by the local checks, not again as a bad value by the schema.
    const holes = new Set(missingSecretPaths(doc));
    hit = validateAgainstSchemas(doc, set);
    if (holes.size > 0) hit = hit.filter((i) => !holes.has(i.path));
    m.set(docHash, hit);
  }
  return hit;
}

export function fieldIssues(e: ValidationError): Issue[] {
  const out: Issue[] = [];
  for (const [path, rules] of Object.entries(e.fields)) {
    for (const [rule, v] of Object.entries(rules)) out.push({ path, rule, message: String(v?.message ?? rule), severity: 'error' });
  }
  return out.length ? out : [{ path: '', rule: 'validation', message: e.message, severity: 'error' }];
}

export async function validateDraft(store: SyncStore, d: DraftRow, doc: JsonObject, docHash: string, online: boolean): Promise<ValidationReport> {
  const local = localChecks(doc);
  const targets: TargetValidation[] = [];
  for (const t of store.drafts.targets(d.id)) {
    const cluster = store.ctx.clusters.find(t.cluster_id);
    if (!cluster) continue;
    const schemas = store.schemas.forCluster(cluster);
    const issues = schemaIssues(doc, schemas.set, docHash);
    const tv: TargetValidation = {
      clusterId: cluster.id,
      clusterName: cluster.name,
      scope: t.scope,
      schemaSource: schemas.source,
      errors: issues.filter((i) => i.severity === 'error'),
      // A pattern that could not be run here (schema-regex.ts) is a warning: the cluster still checks it.
      warnings: issues.filter((i) => i.severity !== 'error'),
    };
    const { flavor, table } = lintTable(store, cluster);
    tv.warnings.push(...lintForCluster(doc, flavor, table, cluster.name));
    if (t.scope === 'global' && cluster.super_duper === 0) {
      tv.warnings.push({ path: '', rule: 'super_duper', message: `Global resources on ${cluster.name} need a super-duper admin login; this login is not one.`, severity: 'warning' });
    }
    if (online) {
      try {
        await store.ctx.clients.use(cluster.id, (client) => client.schemas.validate('resources', doc));
        tv.online = { ok: true, errors: [] };
      } catch (e) {
        if (e instanceof ValidationError) tv.online = { ok: false, errors: fieldIssues(e) };
        else tv.online = { skipped: e instanceof AppError ? e.message : String(e) };
      }
    }
    targets.push(tv);
  }
  const ok =
    !local.some((i) => i.severity === 'error') && targets.every((t) => t.errors.length === 0 && (!t.online || !('ok' in t.online) || t.online.ok));
  return { draftId: d.id, local, targets, ok };
}
