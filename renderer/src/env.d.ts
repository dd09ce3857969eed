/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { PreloadBridge } from '../../electron/shared/bridge.ts';

declare global {
  interface Window {
    /** Present only in the Electron app (set by the preload). */
    carrierDesk?: PreloadBridge;
  }
}
