// Typed in-process event bus: services emit, hosts forward to the renderer (IPC or WebSocket).
import type { EventMessage, EventName, Events } from '../shared/contract.ts';

export type EventListener = (message: EventMessage) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    const message = { event, payload } as EventMessage;
    for (const listener of this.listeners) {
      try {
        listener(message);
      } catch {
        // A broken subscriber (a closed socket) must not stop the others or the emitting service.
      }
    }
  }

  /** Whether anyone listens (an event costly to make, like the outbox's counts, is made only then). */
  get listened(): boolean {
    return this.listeners.size > 0;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
