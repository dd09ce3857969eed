// The admin API on its own port (JSON, no Crossbar envelope) so other processes can drive an emulator:
// faults, request log, token revocation, executor kill/pause/resume, offline/online, recovery, clock, state, and the
// routing system configs (classifier table, converters, stepswitch settings).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Faults, JsonObject, RequestLogEntry } from './types.ts';

export const ADMIN_BASE = '/__emulator';

export interface AdminOps {
  info(): JsonObject;
  getFaults(): Faults;
  setFaults(f: Partial<Faults>): void;
  requestLog(): RequestLogEntry[];
  clearRequestLog(): void;
  revokeTokens(): void;
  killExecutor(): void;
  pauseExecutor(): void;
  resumeExecutor(): void;
  executorState(): JsonObject;
  goOffline(ms?: number): Promise<void>;
  goOnline(): Promise<void>;
  runRecovery(): number;
  dumpState(): unknown;
  advanceClock(ms: number): number;
  setAccountFlags(id: string, flags: JsonObject): JsonObject | undefined;
  setConfig(patch: JsonObject): JsonObject;
  /** Stored system_config document (number_manager, stepswitch); `mode` replaces it or patches its default node. */
  getSystemConfig(id: string): JsonObject | undefined;
  setSystemConfig(id: string, body: unknown, mode: 'replace' | 'patch'): JsonObject;
}

async function readJson(req: IncomingMessage): Promise<JsonObject> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  const v = JSON.parse(text) as unknown;
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('admin API: the body must be a JSON object');
  return v as JsonObject;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function handleAdmin(ops: AdminOps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://admin');
  const method = req.method ?? 'GET';
  if (!url.pathname.startsWith(ADMIN_BASE)) return send(res, 404, { error: `admin API lives under ${ADMIN_BASE}/` });
  const p = url.pathname.slice(ADMIN_BASE.length).replace(/\/+$/, '') || '/';
  try {
    const body = method === 'GET' || method === 'DELETE' ? {} : await readJson(req);
    const key = `${method} ${p}`;
    switch (key) {
      case 'GET /': return send(res, 200, ops.info());
      case 'GET /faults': return send(res, 200, ops.getFaults());
      case 'PUT /faults':
      case 'POST /faults':
      case 'PATCH /faults':
        ops.setFaults(body as Partial<Faults>);
        return send(res, 200, ops.getFaults());
      case 'GET /requests': return send(res, 200, ops.requestLog());
      case 'DELETE /requests':
        ops.clearRequestLog();
        return send(res, 200, { ok: true });
      case 'POST /revoke-tokens':
      case 'POST /tokens/revoke':
        ops.revokeTokens();
        return send(res, 200, { ok: true });
      case 'GET /executor': return send(res, 200, ops.executorState());
      case 'POST /executor/kill':
        ops.killExecutor();
        return send(res, 200, ops.executorState());
      case 'POST /executor/pause':
        ops.pauseExecutor();
        return send(res, 200, ops.executorState());
      case 'POST /executor/resume':
        ops.resumeExecutor();
        return send(res, 200, ops.executorState());
      case 'POST /offline': {
        const ms = body['ms'] ?? url.searchParams.get('ms');
        await ops.goOffline(ms === undefined || ms === null ? undefined : Number(ms));
        return send(res, 200, { ok: true, offline: true });
      }
      case 'POST /online':
        await ops.goOnline();
        return send(res, 200, { ok: true, offline: false });
      case 'POST /recovery': return send(res, 200, { ok: true, republished: ops.runRecovery() });
      case 'GET /state': return send(res, 200, ops.dumpState());
      case 'POST /clock': {
        const ms = Number(body['advanceMs'] ?? 0);
        if (!Number.isFinite(ms)) return send(res, 400, { error: 'advanceMs must be a number of milliseconds' });
        return send(res, 200, { now: ops.advanceClock(ms) });
      }
      case 'POST /config': return send(res, 200, ops.setConfig(body));
    }
    const sc = /^\/system_configs\/([^/]+)$/.exec(p);
    if (sc) {
      const id = decodeURIComponent(sc[1]!);
      if (method === 'GET') {
        const doc = ops.getSystemConfig(id);
        return doc ? send(res, 200, doc) : send(res, 404, { error: `no system config ${id}` });
      }
      if (method === 'PUT' || method === 'PATCH' || method === 'POST') {
        return send(res, 200, ops.setSystemConfig(id, body, method === 'PUT' ? 'replace' : 'patch'));
      }
    }
    const acc = /^\/accounts\/([^/]+)$/.exec(p);
    if (acc && (method === 'POST' || method === 'PATCH')) {
      const r = ops.setAccountFlags(decodeURIComponent(acc[1]!), body);
      return r ? send(res, 200, r) : send(res, 404, { error: `no account ${acc[1]}` });
    }
    return send(res, 404, { error: `unknown admin operation ${key}; see test/kazoo-emulator/README.md` });
  } catch (e) {
    return send(res, 400, { error: (e as Error).message });
  }
}
