// The one Content-Security-Policy of the renderer, sent by the Electron protocol handler and the browser host.
// Scripts only from the app itself; no eval, no plugins, no framing, no foreign connections.
// style-src allows inline styles because Svelte sets style attributes for dynamic sizes (virtual lists, bars).
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
  "worker-src 'self' blob:",
].join('; ');
