// The usual setting of an end-to-end test: a temp data folder, emulated clusters, the app host in this process and
// Chromium, all closed after the test in the reverse order. With `failureShot`, a test that did not call `passed()`
// leaves a screenshot of the page as it was (test-results/screenshots/NAME.png).
import type { TestContext } from 'node:test';
import { startEmulator, type EmulatorHandle } from '../kazoo-emulator/index.ts';
import { startInProcessHost } from './app-host.ts';
import { openBrowser, screenshot } from './browser.ts';
import { tempDir } from './temp.ts';

type EmulatorOptions = Parameters<typeof startEmulator>[0];

export interface SettingOptions<E extends readonly EmulatorOptions[]> {
  /** One emulated cluster per entry, started together; `emus` holds them in the same order. */
  emulators?: E;
  browser?: Parameters<typeof openBrowser>[0];
  /** Screenshot name for a test that fails. */
  failureShot?: string;
}

export async function appSetting<const E extends readonly EmulatorOptions[] = []>(t: TestContext, opts: SettingOptions<E> = {}) {
  const dir = tempDir();
  const started: EmulatorHandle[] = await Promise.all((opts.emulators ?? []).map((o) => startEmulator(o)));
  const emus = started as { -readonly [K in keyof E]: EmulatorHandle };
  const host = await startInProcessHost(dir.path);
  const browser = await openBrowser(opts.browser);
  let ok = false;
  t.after(async () => {
    if (!ok && opts.failureShot) await screenshot(browser.page, opts.failureShot).catch(() => {});
    await browser.close();
    await host.close();
    for (const e of started) await e.close();
    dir.remove();
  });
  return {
    dir,
    emus,
    host,
    browser,
    page: browser.page,
    /** The test reached its end: no failure screenshot. */
    passed: () => {
      ok = true;
    },
  };
}
