// App-wide state: app info and the connection to the core.
import type { AppInfo } from '../../../../electron/shared/contract/app.ts';
import { call, onConnectionState, type ConnectionState } from '../api.ts';

class AppState {
  info = $state.raw<AppInfo | null>(null);
  infoError = $state<string | null>(null);
  connection = $state<ConnectionState>('connecting');

  constructor() {
    onConnectionState((s) => {
      this.connection = s;
      if (s === 'open') void this.loadInfo();
    });
  }

  async loadInfo(): Promise<void> {
    const r = await call('app.info', {});
    if (r.ok) {
      this.info = r.value;
      this.infoError = null;
    } else this.infoError = r.error.message;
  }
}

export const appState = new AppState();
