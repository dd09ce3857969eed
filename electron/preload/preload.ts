// Preload (bundled to one sandboxed CommonJS file): exposes exactly the contract's methods and one
// event subscription on window.carrierDesk. Nothing else from Node or Electron reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { methodNames, type Api, type EventMessage } from '../shared/contract.ts';
import { IPC_CALL_PREFIX, IPC_EVENT_CHANNEL, type PreloadBridge } from '../shared/bridge.ts';

const methods = Object.fromEntries(
  methodNames.map((name) => [name, (args: unknown) => ipcRenderer.invoke(IPC_CALL_PREFIX + name, args)]),
) as unknown as Api;

const bridge: PreloadBridge = {
  methods,
  onEvent(listener) {
    const wrapped = (_event: IpcRendererEvent, message: EventMessage) => listener(message);
    ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('carrierDesk', bridge);
