// Shape of what the Electron preload exposes on window.carrierDesk: one function per contract method,
// and one event subscription. Nothing else crosses the context bridge.
import type { Api, EventMessage } from './contract.ts';

export interface PreloadBridge {
  methods: Api;
  /** Subscribes to pushed events; returns the unsubscribe function. */
  onEvent(listener: (message: EventMessage) => void): () => void;
}

export const IPC_CALL_PREFIX = 'cd:call:';
export const IPC_EVENT_CHANNEL = 'cd:event';
