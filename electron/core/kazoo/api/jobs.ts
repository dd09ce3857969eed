// Resource jobs (bulk number import): create (never retried blindly), get (tolerant), and listing walked month by
// month with a filter always set, because upstream lists nothing without one (§5.2, §5.4).
import type { Clock } from '../../platform.ts';
import { asNumber, asString, isObject } from '../coerce.ts';
import { envelopeOf, p, type Caller } from '../caller.ts';
import { expectObject, listItems } from '../shapes.ts';
import type { CallOptions, JsonObject, Scope } from '../types.ts';
import { monthWindows } from '../windows.ts';
import type { ResourcePaths } from './resource-paths.ts';

export interface KazooJob extends JsonObject {
  id: string;
  name?: string;
  resource_id?: string;
  numbers?: string[];
  /** Per-number results keyed by normalised E.164 (`success`, or the docs' `successes` map). */
  success?: Record<string, unknown>;
  /** Per-number failures keyed by the raw input string. */
  errors?: Record<string, unknown>;
  /** 'pending' | 'running' | 'complete' as sent (GET one job, or the documented summary). */
  status?: string;
  /** Gregorian seconds (pvt_created) when sent. */
  timestamp?: number;
  /** From the maps when present, else from the summary's `successes`/`failures` counts. */
  successCount?: number;
  failureCount?: number;
}

export interface NewJob extends JsonObject {
  numbers: string[];
  resource_id: string;
  name?: string;
}

export interface JobListOptions extends CallOptions {
  from?: Date;
  /** Default: now. */
  to?: Date;
  /** Query filters; default {has_key: 'numbers'} (any filter makes Crossbar return the documents). */
  filter?: Record<string, string>;
  pageSize?: number;
}

export interface JobsApi {
  create(scope: Scope, job: NewJob, opts?: CallOptions): Promise<KazooJob>;
  get(scope: Scope, jobId: string, opts?: CallOptions): Promise<KazooJob>;
  list(scope: Scope, opts?: JobListOptions): Promise<KazooJob[]>;
}

const DEFAULT_FILTER = { has_key: 'numbers' };
const DEFAULT_SPAN_MS = 30 * 24 * 3600 * 1000;

/** Normalises one job document or listing item; unknown fields are kept as sent. */
export function normaliseJob(raw: JsonObject, full: boolean): KazooJob {
  const out: KazooJob = { ...raw, id: asString(raw.id) ?? asString(raw._id) ?? '' };
  const success = isObject(raw.success) ? raw.success : isObject(raw.successes) ? raw.successes : undefined;
  if (success) {
    out.success = success;
    delete out.successes;
  } else if (full) out.success = {};
  if (isObject(raw.errors)) out.errors = raw.errors;
  else if (full) out.errors = {};
  if (Array.isArray(raw.numbers)) out.numbers = raw.numbers.map((n) => String(n));
  else if (full) out.numbers = [];
  const status = asString(raw.status) ?? asString(raw.pvt_status);
  if (status) out.status = status;
  const ts = asNumber(raw.timestamp);
  if (ts !== undefined) out.timestamp = ts;
  const sc = success ? Object.keys(success).length : asNumber(raw.successes);
  if (sc !== undefined) out.successCount = sc;
  const fc = isObject(raw.errors) ? Object.keys(raw.errors).length : asNumber(raw.failures);
  if (fc !== undefined) out.failureCount = fc;
  return out;
}

export function jobsApi(c: Caller, paths: ResourcePaths, clock: Clock): JobsApi {
  return {
    create: (scope, job, opts) =>
      // Not idempotent: a retry could start a second import. Callers tag `name` to find a lost job.
      paths.run(scope, async (base) => {
        const spec = { method: 'PUT', path: `${base}/jobs`, data: job, idempotent: false, reply: 'job', signal: opts?.signal } as const;
        const reply = await c.call(spec);
        return normaliseJob(expectObject(envelopeOf(reply).data, { ...spec, requestId: reply.requestId, status: reply.httpStatus }), true);
      }),

    get: (scope, jobId, opts) =>
      paths.run(scope, async (base) => {
        return normaliseJob(await c.object({ method: 'GET', path: `${base}/jobs` + p`/${jobId}`, reply: 'job', signal: opts?.signal }), true);
      }),

    async list(scope, opts) {
      const toMs = opts?.to?.getTime() ?? clock.now();
      const fromMs = opts?.from?.getTime() ?? toMs - DEFAULT_SPAN_MS;
      const filter = opts?.filter && Object.keys(opts.filter).length > 0 ? opts.filter : DEFAULT_FILTER;
      const byId = new Map<string, KazooJob>();
      for (const w of monthWindows(fromMs, toMs)) {
        const items = await paths.run(scope, (base) =>
          c.all<unknown, JsonObject>(
            { method: 'GET', path: `${base}/jobs`, query: { ...filter, created_from: w.from, created_to: w.to }, pageSize: opts?.pageSize, signal: opts?.signal },
            listItems,
          ),
        );
        for (const j of items.map((i) => normaliseJob(i, false))) if (j.id && !byId.has(j.id)) byId.set(j.id, j);
      }
      return [...byId.values()];
    },
  };
}
