// The only module of the renderer that talks to a transport: the Electron preload when present,
// else the browser host's WebSocket. Every call resolves to a Result; nothing here throws.
import type { Api, ArgsOf, EventMessage, EventName, Events, MethodName, ResultOf } from '../../../electron/shared/contract.ts';
import type { Result } from '../../../electron/shared/result.ts';
import { SESSION_PATH, WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../../electron/shared/web-auth.ts';
import { takeLaunchToken } from './launch-token.ts';

/** 'refused': the browser host does not accept this page's token (none given, or from an earlier start). */
export type ConnectionState = 'connecting' | 'open' | 'closed' | 'refused';

interface Transport {
  call(method: string, args: unknown): Promise<Result<unknown>>;
  onEvent(listener: (m: EventMessage) => void): () => void;
  onState(listener: (s: ConnectionState) => void): () => void;
}

function preloadTransport(bridge: NonNullable<Window['carrierDesk']>): Transport {
  return {
    call: (method, args) => {
      const fn = (bridge.methods as unknown as Record<string, (a: unknown) => Promise<Result<unknown>>>)[method];
      if (!fn) return Promise.resolve({ ok: false, error: { code: 'unknown_method', message: `Unknown method ${method}` } });
      return fn(args);
    },
    onEvent: (listener) => bridge.onEvent(listener),
    onState: (listener) => {
      listener('open');
      return () => {};
    },
  };
}

/** Asks the host whether it accepts the token: false only when it answers and refuses it. */
async function tokenAccepted(token: string): Promise<boolean> {
  try {
    const r = await fetch(SESSION_PATH, { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
    return r.status !== 401;
  } catch {
    return true;
  }
}

const REFUSED = { code: 'refused', message: 'This page has no valid access token. Open the address Carrier Desk printed when it started.' };

function webSocketTransport(): Transport {
  const token = takeLaunchToken({ location, history, storage: typeof sessionStorage === 'undefined' ? undefined : sessionStorage });
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const eventListeners = new Set<(m: EventMessage) => void>();
  const stateListeners = new Set<(s: ConnectionState) => void>();
  let socket: WebSocket | null = null;
  let state: ConnectionState = 'connecting';
  let nextId = 1;
  let retryMs = 250;
  let opened: Promise<void>;
  let markOpen: () => void = () => {};

  const setState = (s: ConnectionState) => {
    state = s;
    for (const l of stateListeners) l(s);
  };
  /** Final: a new token only comes with a new address, so there is nothing to retry. Waiting calls fail. */
  const refuse = () => {
    setState('refused');
    markOpen();
  };

  function connect() {
    opened = new Promise((resolve) => (markOpen = resolve));
    if (!token) return refuse();
    setState('connecting');
    // The token rides in the handshake as a subprotocol (browsers cannot set headers on a WebSocket).
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`, [WS_PROTOCOL, WS_TOKEN_PREFIX + token]);
    socket = ws;
    let wasOpen = false;
    ws.onopen = () => {
      wasOpen = true;
      retryMs = 250;
      setState('open');
      markOpen();
    };
    ws.onmessage = (e) => {
      const msg = JSON.parse(String(e.data));
      if (typeof msg.id === 'number') {
        pending.get(msg.id)?.(msg.result);
        pending.delete(msg.id);
      } else if (typeof msg.event === 'string') {
        for (const l of eventListeners) l(msg as EventMessage);
      }
    };
    ws.onclose = async () => {
      for (const [id, resolve] of pending) {
        resolve({ ok: false, error: { code: 'disconnected', message: 'Lost the connection to Carrier Desk. Reconnecting…' } });
        pending.delete(id);
      }
      // A handshake that never opened: either the host is gone (retry) or it refuses this token (stop and say so).
      if (!wasOpen && !(await tokenAccepted(token))) return refuse();
      setState('closed');
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  }
  connect();

  return {
    async call(method, args) {
      if (state !== 'open' && state !== 'refused') await opened;
      if (state === 'refused') return { ok: false, error: REFUSED };
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        socket!.send(JSON.stringify({ id, method, args }));
      });
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onState(listener) {
      stateListeners.add(listener);
      listener(state);
      return () => stateListeners.delete(listener);
    },
  };
}

const transport: Transport = typeof window !== 'undefined' && window.carrierDesk ? preloadTransport(window.carrierDesk) : webSocketTransport();

/** Calls one contract method. */
export function call<M extends MethodName>(method: M, args: ArgsOf<M>): Promise<Result<ResultOf<M>>> {
  return transport.call(method, args) as Promise<Result<ResultOf<M>>>;
}

/** The whole contract as an object: `api['clusters.list']({})`. */
export const api: Api = new Proxy({} as Api, {
  get: (_target, method: string) => (args: unknown) => transport.call(method, args),
});

/** Subscribes to one pushed event. */
export function on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
  return transport.onEvent((m) => {
    if (m.event === event) listener(m.payload as Events[E]);
  });
}

export function onConnectionState(listener: (s: ConnectionState) => void): () => void {
  return transport.onState(listener);
}
