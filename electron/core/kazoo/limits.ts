// Bounds on what a cluster may send: bytes per reply (by kind of call) and total time per request. A cluster (or
// anything pretending to be one) can send an endless, huge or trickling body; none of it may exhaust memory or hang.
import type { ReplyKind, ReplyLimits } from './types.ts';

const MB = 1024 * 1024;

/**
 * Generous next to what Kazoo sends: a whole listing is a few MB (50,000 accounts or 200,000 numbers ≈ 40 MB), a
 * resource a few KB, a job document about 1 KB per number (a 5,000-number job ≈ 5 MB), a login under 4 KB. Parsed
 * JSON takes several times its text in memory: a 63 MB listing peaks the CLI at about 300 MB (see the hostile tests),
 * so these keep it under 500 MB whatever a server sends. A listing's limit counts all its pages together, since a
 * server could otherwise send endless pages each under the limit.
 */
export const DEFAULT_REPLY_LIMITS: ReplyLimits = {
  deadlineMs: 120_000,
  bytes: { listing: 64 * MB, document: 16 * MB, job: 64 * MB, login: 1 * MB },
};

export interface ReplyLimitsInput {
  deadlineMs?: number;
  listingBytes?: number;
  documentBytes?: number;
  jobBytes?: number;
}

/** Defaults overridden by what is given (the `clusters.replyLimits` setting). */
export function replyLimits(input: ReplyLimitsInput | undefined): ReplyLimits {
  const d = DEFAULT_REPLY_LIMITS;
  return {
    deadlineMs: input?.deadlineMs ?? d.deadlineMs,
    bytes: {
      listing: input?.listingBytes ?? d.bytes.listing,
      document: input?.documentBytes ?? d.bytes.document,
      job: input?.jobBytes ?? d.bytes.job,
      login: d.bytes.login,
    },
  };
}

export const KIND_WORDS: Record<ReplyKind, string> = {
  listing: 'a listing (all its pages together)',
  document: 'a document',
  job: 'a job document',
  login: 'a login reply',
};

export function sizeText(bytes: number): string {
  return bytes >= MB ? `${Math.round((bytes / MB) * 10) / 10} MB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;
}
