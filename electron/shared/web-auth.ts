// What the page and the browser host agree on to carry the per-launch token (see electron/web/security.ts):
// never a cookie, always a header or, for the WebSocket, a subprotocol.

/** Query parameter of the address the host prints; the page removes it from the address bar at once. */
export const TOKEN_PARAM = 'token';
/** The subprotocol the page and the host speak over the WebSocket (the only one the host ever answers with). */
export const WS_PROTOCOL = 'carrier-desk.v1';
/**
 * Browsers cannot set headers on `new WebSocket()`, so the page offers the token as a second subprotocol, the way
 * Kubernetes' API server takes `base64url.bearer.authorization.k8s.io.<token>`. Tokens are base64url, which the
 * subprotocol grammar allows.
 */
export const WS_TOKEN_PREFIX = 'carrier-desk.token.';
/** The one HTTP endpoint that needs the token (as `Authorization: Bearer`): tells "token refused" from "host gone". */
export const SESSION_PATH = '/api/session';
