// GET /v2/schemas, GET /v2/schemas/{name}, PUT /v2/schemas/{name}/validation (spec §6.5) and
// GET /v2/system_configs/crossbar.resources (+ 4.3 crossbar.local_resources), stepswitch and number_manager
// (routing-spec §10) for super-duper admins.
import { badIdentifier, fail, ok, validationError, type Ctx, type Endpoint } from './context.ts';
import { configView, isRoutingConfigId } from './routing-config.ts';

export function schemasEndpoint(args: string[]): Endpoint | undefined {
  if (args.length === 0) {
    return {
      allowed: ['GET'], auth: 'get-none',
      handle: (ctx) => ok(ctx.em.schemas.names().filter((n) => ctx.query.get('internals') === 'true' || !n.startsWith('kapi.'))),
    };
  }
  const name = args[0]!;
  if (args.length === 1) {
    return {
      allowed: ['GET'], auth: 'get-none',
      handle(ctx) {
        const doc = ctx.em.schemas.get(name);
        return doc ? ok(doc, { etag: true, revision: `1-${Buffer.from(name).toString('hex').slice(0, 32)}` }) : badIdentifier(name);
      },
    };
  }
  if (args.length === 2 && args[1] === 'validation') {
    return {
      allowed: ['PUT'], auth: 'token',
      handle(ctx) {
        if (!ctx.em.schemas.has(name)) return badIdentifier(name);
        const v = ctx.em.schemas.validate(name, ctx.data ?? {});
        // cowboy answers 201 to every successful PUT (§1.5, §1.13), validation included.
        return v.ok ? { status: 201, data: v.data } : validationError(v.errors);
      },
    };
  }
  return undefined;
}

/** Only super-duper admins may read system configs; others get 403 forbidden (documented choice). */
export function systemConfigsEndpoint(args: string[]): Endpoint | undefined {
  if (args.length !== 1) return undefined;
  const id = args[0]!;
  return {
    allowed: ['GET'], auth: 'token',
    authorize: (ctx: Ctx) => (ctx.auth!.superduper ? undefined : fail(403, 'forbidden', { message: 'forbidden' })),
    handle(ctx) {
      const c = ctx.em.store.config;
      if (id === 'crossbar.resources') {
        return ok({
          id, job_recovery_timeout_s: c.job_recovery_timeout_s, job_recovery_threshold_s: c.job_recovery_threshold_s,
          ...(ctx.em.flavor === '5.0' ? { allow_peers: c.allow_peers } : {}),
        });
      }
      if (id === 'crossbar.local_resources' && ctx.em.flavor === '4.3') return ok({ id, allow_peers: c.allow_peers });
      if (isRoutingConfigId(id)) return ok(configView(id, ctx.em.store, ctx.em.flavor), { ordered: true });
      return badIdentifier(id);
    },
  };
}
