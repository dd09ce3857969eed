// A WebSocket client of a browser host, as the page is one: it records every pushed event and waits for one that
// matches (event-driven, never a sleep; a deadline only turns a missing event into a clear failure).
import WebSocket from 'ws';
import type { EventMessage, EventName, Events } from '../../electron/shared/contract.ts';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../electron/shared/web-auth.ts';
import type { WebHost } from '../../electron/web/server.ts';

export interface EventClient {
  events: EventMessage[];
  /** Resolves with the first event (already received or still to come) of this name whose payload matches. */
  next<E extends EventName>(event: E, match?: (p: Events[E]) => boolean, timeoutMs?: number): Promise<Events[E]>;
  /** Forgets the events received so far (the next `next` waits for a new one). */
  clear(): void;
  close(): void;
}

export async function connectEvents(web: WebHost): Promise<EventClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${web.port}/ws`, [WS_PROTOCOL, WS_TOKEN_PREFIX + web.token], {
    headers: { origin: `http://127.0.0.1:${web.port}` },
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const events: EventMessage[] = [];
  const waiters = new Set<(m: EventMessage) => void>();
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as EventMessage | { id: number };
    if (!('event' in msg)) return;
    events.push(msg);
    for (const w of [...waiters]) w(msg);
  });
  return {
    events,
    next(event, match = () => true, timeoutMs = 20_000) {
      type P = Events[typeof event];
      const hit = (m: EventMessage): m is EventMessage<typeof event> => m.event === event && match(m.payload as P);
      const seen = events.find(hit);
      if (seen) return Promise.resolve(seen.payload as P);
      return new Promise<P>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no '${event}' event matched within ${timeoutMs} ms; received: ${events.map((e) => e.event).join(', ') || 'none'}`));
        }, timeoutMs);
        const waiter = (m: EventMessage) => {
          if (!hit(m)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(m.payload as P);
        };
        waiters.add(waiter);
      });
    },
    clear: () => void events.splice(0),
    close: () => ws.close(),
  };
}
