// cowboy_rest's conditional requests (spec §3): If-Match → 412 with an empty body, If-None-Match → 304
// on GET (412 otherwise). Called after validation and loading, as the decision graph does.
import type { Ctx, Reply } from './context.ts';

function tags(h: string): string[] {
  return h.split(',').map((t) => t.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1')).filter(Boolean);
}

/** `rev` is the current revision, or undefined when the resource does not exist yet (PUT create). */
export function precondition(ctx: Ctx, rev: string | undefined): Reply | undefined {
  const ifMatch = ctx.headers['if-match'];
  if (typeof ifMatch === 'string') {
    if (rev === undefined) return { status: 412, empty: true };
    const t = tags(ifMatch);
    if (!t.includes('*') && !t.includes(rev)) return { status: 412, empty: true };
  }
  const ifNone = ctx.headers['if-none-match'];
  if (typeof ifNone === 'string' && rev !== undefined) {
    const t = tags(ifNone);
    if (t.includes('*') || t.includes(rev)) {
      if (ctx.method === 'GET' || ctx.method === 'HEAD') return { status: 304, empty: true, headers: { etag: `"${rev}"` } };
      return { status: 412, empty: true };
    }
  }
  return undefined;
}
