// The e2e setting of the routing screens: two emulated clusters (Kazoo 4.3 and 5.0 with the routing demo seed) added
// as demo-4.3 and demo-5.0 to an in-process app host, and a Chromium page; closed after the test (a screenshot first
// when it failed: call passed() at its end).
import type { TestContext } from 'node:test';
import { tempDir } from './temp.ts';
import { openBrowser, screenshot, type BrowserSession } from './browser.ts';
import { startInProcessHost } from './app-host.ts';
import { addCluster } from './core-calls.ts';
import { routingDemoSeed, startEmulator, type EmulatorHandle } from '../kazoo-emulator/index.ts';

export interface RoutingDemo {
  host: Awaited<ReturnType<typeof startInProcessHost>>;
  browser: BrowserSession;
  e43: EmulatorHandle;
  e50: EmulatorHandle;
  passed(): void;
}

export async function startRoutingDemo(t: TestContext, name: string): Promise<RoutingDemo> {
  const dir = tempDir();
  const [e43, e50] = await Promise.all([startEmulator({ flavor: '4.3', seed: routingDemoSeed() }), startEmulator({ flavor: '5.0', seed: routingDemoSeed() })]);
  const host = await startInProcessHost(dir.path, { background: false });
  const browser = await openBrowser({ width: 1400, height: 1000 });
  let ok = false;
  t.after(async () => {
    if (!ok) await screenshot(browser.page, `${name}-failure`).catch(() => {});
    await browser.close();
    await host.close();
    await Promise.all([e43.close(), e50.close()]);
    dir.remove();
  });
  await addCluster(host.core, 'demo-4.3', e43);
  await addCluster(host.core, 'demo-5.0', e50);
  return { host, browser, e43, e50, passed: () => (ok = true) };
}
