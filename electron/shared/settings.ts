// The settings a person may change: key, default, meaning and accepted values. The one list that the core
// checks `settings.set` against, that `settings list` prints, and that the core reads its defaults from.
import { z } from 'zod';

export interface SettingSpec {
  key: string;
  /** The value used while none is set; `null` means "decided elsewhere", which `defaultText` explains. */
  default: unknown;
  defaultText?: string;
  description: string;
  /** What `set` accepts, in words, for error messages. */
  accepts: string;
  schema: z.ZodType;
  /** Tuning for tests and troubleshooting, listed after the others. */
  advanced?: boolean;
}

const wholeNumber = (min: number, max: number) => z.number().int().min(min).max(max);

export const SETTINGS = [
  {
    key: 'jobs.chunkSize',
    // Why 500: see the README ("Choosing the job size").
    default: 500,
    description: 'numbers per Kazoo job',
    accepts: 'a whole number from 1 to 10000',
    schema: wholeNumber(1, 10_000),
  },
  {
    key: 'jobs.stallAfterS',
    default: null,
    defaultText: "the cluster's job_recovery_threshold_s (else 3600)",
    description: 'seconds without progress before a job counts as stalled',
    accepts: 'a number of seconds above 0',
    schema: z.number().positive().max(30 * 86_400),
  },
  {
    key: 'jobs.autoResubmit',
    default: true,
    description: "resubmit a stalled job's remainder without asking",
    accepts: 'true or false',
    schema: z.boolean(),
  },
  {
    key: 'jobs.maxActivePerCluster',
    default: 2,
    description: 'jobs sent and not yet finished on one cluster at a time (the rest wait, queued, on this machine)',
    accepts: 'a whole number from 1 to 10000',
    schema: wholeNumber(1, 10_000),
  },
  {
    key: 'jobs.requestConcurrency',
    default: 4,
    description: 'watcher requests in flight per cluster',
    accepts: 'a whole number from 1 to 32',
    schema: wholeNumber(1, 32),
  },
  {
    key: 'numbers.uploadIdleMs',
    default: 300_000,
    description: 'how long a file upload from the browser may pause before the import fails (milliseconds)',
    accepts: 'a whole number of milliseconds from 100 to 86400000',
    schema: wholeNumber(100, 86_400_000),
  },
  {
    key: 'clusters.replyLimits',
    default: {},
    description:
      'advanced: limits on every reply from a cluster: deadlineMs (one request, headers and body; default 120000), listingBytes (one listing, all its pages together; default 64 MB), documentBytes (default 16 MB), jobBytes (a job document; default 64 MB)',
    accepts: 'an object of those keys with whole numbers above 0',
    schema: z
      .object({
        deadlineMs: wholeNumber(1, 86_400_000),
        listingBytes: wholeNumber(1, 1024 * 1024 * 1024),
        documentBytes: wholeNumber(1, 1024 * 1024 * 1024),
        jobBytes: wholeNumber(1, 1024 * 1024 * 1024),
      })
      .partial()
      .strict(),
    advanced: true,
  },
  {
    key: 'jobs.timing',
    default: {},
    description: "the watcher's poll and back-off intervals in milliseconds (pollMinMs, pollMaxMs, idlePollMaxMs, errorBaseMs, errorMaxMs, verifyGraceMs, submitTimeoutMs)",
    accepts: 'an object of those keys with numbers of milliseconds above 0',
    schema: z
      .object({
        pollMinMs: z.number().positive(),
        pollMaxMs: z.number().positive(),
        idlePollMaxMs: z.number().positive(),
        errorBaseMs: z.number().positive(),
        errorMaxMs: z.number().positive(),
        verifyGraceMs: z.number().positive(),
        submitTimeoutMs: z.number().positive(),
      })
      .partial()
      .strict(),
    advanced: true,
  },
] as const satisfies readonly SettingSpec[];

export type SettingKey = (typeof SETTINGS)[number]['key'];

export function settingSpec(key: string): SettingSpec | undefined {
  return SETTINGS.find((s) => s.key === key);
}

/** One setting as `settings.get` reports it. */
export interface SettingView {
  key: string;
  /** The value in force: the one set, else the default (null when decided elsewhere). */
  value: unknown;
  isSet: boolean;
  default: unknown;
  defaultText?: string;
  description: string;
  accepts: string;
  advanced: boolean;
}
