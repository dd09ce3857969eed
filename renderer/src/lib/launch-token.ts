// The browser host's per-launch token, as the page keeps it: taken from the address the host printed (?token=…),
// kept for this tab only (sessionStorage, so a reload still works; never a cookie, which every server on 127.0.0.1
// would receive whatever its port), and removed from the address bar at once (history.replaceState).
import { TOKEN_PARAM } from '../../../electron/shared/web-auth.ts';

const STORAGE_KEY = 'carrier-desk.token';

/** The parts of window.location, window.history and sessionStorage used here (structural, so tests run in Node). */
export interface TokenPlace {
  location: { search: string; pathname: string; hash: string };
  history: { state: unknown; replaceState(data: unknown, unused: string, url?: string | null): void };
  storage: { getItem(key: string): string | null; setItem(key: string, value: string): void } | undefined;
}

/** The token of this tab: from the address (then stored and stripped), else from this tab's storage. */
export function takeLaunchToken(place: TokenPlace): string | undefined {
  const params = new URLSearchParams(place.location.search);
  const fromAddress = params.get(TOKEN_PARAM) ?? undefined;
  if (fromAddress !== undefined) {
    params.delete(TOKEN_PARAM);
    const rest = params.toString();
    place.history.replaceState(place.history.state, '', `${place.location.pathname}${rest ? `?${rest}` : ''}${place.location.hash}`);
    try {
      place.storage?.setItem(STORAGE_KEY, fromAddress);
    } catch {
      // Storage disabled: the token lives in memory only; a reload then needs the printed address again.
    }
    return fromAddress || undefined;
  }
  try {
    return place.storage?.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}
