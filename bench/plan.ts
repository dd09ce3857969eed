// Benchmark: the pure plan (electron/core/sync/plan.ts) over 1,000 carriers × 3 clusters (3,000 targets) built the
// way plan-builder builds them: drafts with gateways/rules, sealed bases opened per target, remote documents as
// the cluster stores them (schema defaults filled, id added), two clusters sharing the 5.0 schema set and one 4.3.
// Cases: all noop, all update, mixed. Baseline in the same run: comparing each target's documents by canonical
// JSON only. Run standalone: npx tsx bench/plan.ts [--quick]
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { plan, type PlanTargetInput, type RemoteState } from '../electron/core/sync/plan.ts';
import type { PlanSummary } from '../electron/shared/contract/sync.ts';
import { canonicalJson, clone, hashDoc, publicFields, type JsonObject } from '../electron/core/drafts/canonical.ts';
import { applyDefaults, type SchemaSet } from '../electron/core/drafts/defaults.ts';
import { metric, type BenchOptions, type BenchResult, type Metric } from './lib/metrics.ts';
import { max, median, timeRuns } from './lib/stats.ts';
import { carrierDoc, resourceId } from './lib/resources.ts';

const ACME = 'c0000000000000000000000000000003';

function schemaSet(flavor: '4.3' | '5.0'): SchemaSet {
  const dir = fileURLToPath(new URL(`../electron/core/kazoo/builtin-schemas/${flavor}/`, import.meta.url));
  const out: Record<string, JsonObject> = {};
  for (const f of readdirSync(dir)) if (f.endsWith('.json')) out[f.slice(0, -5)] = JSON.parse(readFileSync(dir + f, 'utf8')) as JsonObject;
  return Object.freeze(out);
}

type Kind = 'noop' | 'drift' | 'update' | 'create' | 'merge' | 'conflict' | 'delete';

/** What the cluster stores for a draft document: public fields with the schema's defaults, plus the id. */
function stored(doc: JsonObject, schemas: SchemaSet, id: string): JsonObject {
  return { ...applyDefaults(publicFields(doc), schemas), id };
}

function edited(doc: JsonObject, i: number): JsonObject {
  const d = clone(doc);
  (d.gateways as JsonObject[])[0]!.server = `edge${i}.example.net`;
  d.weight_cost = ((d.weight_cost as number) % 90) + 5;
  return d;
}

export function buildInputs(resources: number, kindOf: (i: number) => Kind): { inputs: PlanTargetInput[]; expected: PlanSummary } {
  const sets = [schemaSet('5.0'), schemaSet('4.3')];
  const clusters = [
    { id: 'k-alpha', name: 'alpha', scope: 'global', schemas: sets[0]! },
    { id: 'k-beta', name: 'beta', scope: ACME, schemas: sets[1]! },
    { id: 'k-gamma', name: 'gamma', scope: 'global', schemas: sets[0]! },
  ];
  const expected: PlanSummary = { create: 0, update: 0, delete: 0, noop: 0, conflict: 0, blocked: 0 };
  const inputs: PlanTargetInput[] = [];
  for (let i = 0; i < resources; i++) {
    const kind = kindOf(i);
    const original = carrierDoc(i);
    // One draft document shared by its three targets (plan-builder opens it once per draft).
    const desired = kind === 'delete' ? null : kind === 'update' || kind === 'merge' || kind === 'conflict' ? edited(original, i) : clone(original);
    // As plan-builder's gatherWork has it: hashed once per draft when its document is read.
    const desiredHash = desired ? hashDoc(desired) : null;
    for (const [c, cl] of clusters.entries()) {
      const id = resourceId(i, c);
      const baseDoc = stored(original, cl.schemas, id);
      const baseRevision = `3-${hashDoc(baseDoc).slice(0, 32)}`;
      const baseJson = JSON.stringify(baseDoc);
      const baseMineJson = JSON.stringify(original);
      let remote: RemoteState = { state: 'found', doc: JSON.parse(baseJson) as JsonObject, revision: baseRevision };
      if (kind === 'drift' || kind === 'merge') {
        const theirs = JSON.parse(baseJson) as JsonObject;
        theirs.flags = ['changed-on-cluster'];
        remote = { state: 'found', doc: theirs, revision: `4-${hashDoc(theirs).slice(0, 32)}` };
      } else if (kind === 'conflict') {
        const theirs = JSON.parse(baseJson) as JsonObject;
        (theirs.gateways as JsonObject[])[0]!.server = `theirs${i}.example.net`;
        remote = { state: 'found', doc: theirs, revision: `4-${hashDoc(theirs).slice(0, 32)}` };
      }
      const isNew = kind === 'create';
      inputs.push({
        targetId: `t-${i}-${c}`,
        draftId: `d-${i}`,
        draftName: original.name as string,
        clusterId: cl.id,
        clusterName: cl.name,
        scope: cl.scope,
        desired,
        desiredHash,
        remoteId: isNew ? null : id,
        baseRevision: isNew ? null : baseRevision,
        baseRemote: isNew ? null : (JSON.parse(baseJson) as JsonObject),
        baseMine: isNew ? null : (JSON.parse(baseMineJson) as JsonObject),
        remote: isNew ? { state: 'absent' } : remote,
        errors: [],
        warnings: [],
        superDuper: true,
        schemas: cl.schemas,
        existing: isNew ? [] : null,
        createAnyway: false,
      });
      const action = kind === 'drift' ? 'noop' : kind === 'merge' ? 'update' : kind;
      expected[action]++;
    }
  }
  return { inputs, expected };
}

/** The baseline: decide "changed or not" by comparing canonical JSON of the draft and the remote document. */
function canonicalOnly(inputs: readonly PlanTargetInput[]): number {
  let changed = 0;
  for (const t of inputs) {
    const remote = t.remote.state === 'found' ? canonicalJson(t.remote.doc) : 'null';
    if (canonicalJson(t.desired) !== remote) changed++;
  }
  return changed;
}

export const CASES: { name: string; kindOf: (i: number) => Kind }[] = [
  { name: 'all noop', kindOf: () => 'noop' },
  { name: 'all update', kindOf: () => 'update' },
  {
    name: 'mixed',
    // 50% noop, 10% drift (noop + rebase), 10% update, 10% create, 10% update merged with a remote change,
    // 5% conflict, 5% delete.
    kindOf: (i) => (['noop', 'noop', 'noop', 'noop', 'noop', 'drift', 'update', 'create', 'merge', i % 20 === 9 ? 'conflict' : 'delete'] as const)[i % 10]!,
  },
];

export async function run(opts: Partial<BenchOptions> = {}): Promise<BenchResult> {
  const log = opts.log ?? (() => undefined);
  const resources = 1000;
  const runs = opts.quick ? 5 : 15;
  const metrics: Metric[] = [];
  const notes: string[] = [];
  for (const c of CASES) {
    log(`plan: ${c.name}`);
    const { inputs, expected } = buildInputs(resources, c.kindOf);
    const got = plan(inputs).summary;
    if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`plan case '${c.name}' planned ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
    const cpu0 = process.cpuUsage();
    const planMs = await timeRuns(() => plan(inputs), runs, 3);
    const cpu = process.cpuUsage(cpu0);
    const baseMs = await timeRuns(() => canonicalOnly(inputs), runs, 3);
    metrics.push(
      metric(`plan ${resources} × 3 clusters, ${c.name} (median of ${runs})`, median(planMs), 'ms', {
        baseline: median(baseMs), goal: '< 100 ms', digits: 1, baselineNote: 'canonical-JSON compare',
      }),
      // Issue 16 item 5: median < 100 ms and the slowest of 15 < 150 ms (issue 8 asked < 200 ms of the median).
      metric(`plan ${resources} × 3 clusters, ${c.name} (slowest of ${runs})`, max(planMs), 'ms', { baseline: max(baseMs), goal: '< 150 ms', digits: 1 }),
      // CPU time of this process per plan (mean of the timed and warm-up runs): what the wall time comes to when the
      // machine is quiet, and a figure other processes on a shared machine distort much less.
      metric(`plan ${resources} × 3 clusters, ${c.name}: CPU time per plan (mean)`, (cpu.user + cpu.system) / 1000 / (runs + 3), 'ms', { digits: 1 }),
    );
    notes.push(`${c.name}: ${Object.entries(got).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ')}`);
  }
  return { name: 'plan', metrics, notes };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run({ quick: process.argv.includes('--quick'), log: (l) => console.error(l) }).then((r) => console.log(JSON.stringify(r, null, 2)));
}
