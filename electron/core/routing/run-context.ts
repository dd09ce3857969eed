// The state of one route computation: the request, the world, and what the answer collects on the way (resources
// left out and why, warnings, reasons for uncertainty). With `explain` off (bulk use) reasons are not built.
import { uncertainty, type KRegex } from './regex.ts';
import type { Excluded, Note, RouteRequest } from './types.ts';
import type { WorldState } from './world.ts';

export interface Match {
  ruleIndex: number | null;
  rule: string;
  matched: string;
}

export class RunContext {
  readonly excluded: Excluded[] = [];
  readonly warnings: Note[] = [];
  private uncertainByMessage: Map<string, Note> | undefined;

  constructor(
    readonly world: WorldState,
    readonly req: RouteRequest,
    readonly explain: boolean,
  ) {}

  exclude(r: { id: string; name?: string }, code: string, why: string): void {
    if (!this.explain) return;
    this.excluded.push({ resourceId: r.id, ...(r.name && r.name !== r.id ? { name: r.name } : {}), code, why });
  }

  warn(code: string, message: string, resourceId?: string): void {
    if (this.warnings.some((w) => w.message === message)) return;
    this.warnings.push({ code, message, ...(resourceId ? { resourceId } : {}) });
  }

  uncertain(code: string, message: string, resourceId?: string): void {
    this.uncertainByMessage ??= new Map();
    if (!this.uncertainByMessage.has(message)) this.uncertainByMessage.set(message, { code, message, ...(resourceId ? { resourceId } : {}) });
  }

  /** A pattern JavaScript cannot reproduce exactly was evaluated (or skipped) on the way to this answer. */
  regexUncertain(r: KRegex, resourceId?: string): void {
    this.uncertain('pcre', uncertainty(r), resourceId);
  }

  get uncertainNotes(): Note[] {
    return this.uncertainByMessage ? [...this.uncertainByMessage.values()] : [];
  }

  /** Starts over for a corrected number (short-dial, §5.6): what was left out before no longer applies. */
  resetForRetry(): void {
    this.excluded.length = 0;
  }
}
