// Short-dial correction (routing-spec §5.6, stepswitch_util:correct_shortdial/3): when no endpoint results, digits of
// the caller id are put in front of the dialled number and routing starts over with the normalised result.
import type { RunContext } from './run-context.ts';

/** The corrected number, or undefined when stepswitch would not correct (or a call restriction denies it). */
export function correctShortdial(ctx: RunContext, n: string): string | undefined {
  const { config, flavor, normaliser, table } = ctx.world;
  // 4.3 only: min_shortdial_destination restricts correction to numbers of exactly that length.
  if (flavor === '4.3' && config.minShortdialDestination !== undefined && config.minShortdialDestination > 0 && n.length !== config.minShortdialDestination) return undefined;
  const cid = ctx.req.callerIdNumber ?? ctx.req.emergencyCallerIdNumber ?? n;
  const number = n.startsWith('+') ? n.slice(1) : n;
  const caller = cid.startsWith('+') ? cid.slice(1) : cid;
  let len: number;
  if (config.fixedLengthShortdial !== undefined) len = config.fixedLengthShortdial;
  else {
    const d = caller.length - number.length;
    len = d <= config.maxShortdial && d >= config.minShortdial ? d : 0;
  }
  if (len <= 0) return undefined;
  const corrected = normaliser.normalise(caller.slice(0, len) + number);
  const cls = table.classify(normaliser.normalise(corrected), ctx);
  const restriction = cls === null ? undefined : ctx.req.deniedCallRestrictions?.[cls];
  if (restriction?.action === 'deny') {
    ctx.warn('shortdial_denied', `Short-dial correction would dial ${corrected} (class ${cls}), but the caller's call restrictions deny that class (routing-spec §5.6).`);
    return undefined;
  }
  return corrected;
}
