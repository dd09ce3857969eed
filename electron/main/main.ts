// Electron main process: lifecycle, single instance, the hardened window, and IPC wiring to the core.
// Thin by design: every call goes to core.dispatch, the same as the browser host and the CLI.
import { app, dialog, ipcMain, BrowserWindow } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, type Core } from '../core/index.ts';
import { createLogger } from '../core/logging.ts';
import { resolveDataDir } from '../core/data-dir.ts';
import { methodNames } from '../shared/contract.ts';
import { IPC_CALL_PREFIX, IPC_EVENT_CHANNEL } from '../shared/bridge.ts';
import { createDesktopSecretBox } from './safe-storage-box.ts';
import { createMainWindow, hardenSessions, isTrustedSender, registerAppScheme, serveRenderer } from './window.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = join(here, '..', '..', 'renderer');
const preloadPath = join(here, '..', 'preload', 'preload.cjs');

const dataDirFlag = process.argv.find((a) => a.startsWith('--data-dir='))?.slice('--data-dir='.length);
const dataDir = resolveDataDir(dataDirFlag);
// One store for every host: Electron's userData follows the same per-OS folder as the CLI and browser host.
app.setPath('userData', dataDir);

let core: Core | null = null;
let win: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  app.whenReady().then(() => {
    hardenSessions();
    serveRenderer(rendererDir);
    try {
      core = createCore({
        dataDir,
        secrets: createDesktopSecretBox(dataDir),
        logger: createLogger({ file: join(dataDir, 'logs', 'desktop.log'), level: 'info' }),
        host: 'electron',
        // Browser mode on the same folder holds this lock too: the second app is refused, naming the first.
        appHost: 'electron',
        ...(process.env.CARRIER_DESK_SQLITE_BINDING ? { nativeBinding: process.env.CARRIER_DESK_SQLITE_BINDING } : {}),
      });
    } catch (e) {
      dialog.showErrorBox('Carrier Desk', (e as Error).message);
      app.exit(1);
      return;
    }
    const dispatch = core.dispatch;
    for (const name of methodNames) {
      ipcMain.handle(IPC_CALL_PREFIX + name, (event, args: unknown) => {
        if (!isTrustedSender(event.senderFrame?.url)) {
          return { ok: false, error: { code: 'forbidden', message: 'Calls are accepted only from the Carrier Desk window.' } };
        }
        return dispatch(name, args);
      });
    }
    core.events.subscribe((message) => {
      for (const w of BrowserWindow.getAllWindows()) if (!w.isDestroyed()) w.webContents.send(IPC_EVENT_CHANNEL, message);
    });
    core.background.start();
    win = createMainWindow(preloadPath);
    win.on('closed', () => (win = null));
    // Said once, at start, as the CLI and browser mode print them (e.g. a new secret.key made: which secrets it cost).
    for (const n of core.notices) void dialog.showMessageBox(win, { type: 'warning', title: 'Carrier Desk', message: n });
  });

  app.on('window-all-closed', () => app.quit());
  let closing = false;
  app.on('before-quit', (event) => {
    if (closing || !core) return;
    // Drain the background loop and close the store before the process ends.
    event.preventDefault();
    closing = true;
    void core.close().finally(() => app.quit());
  });
}
