// Picks a <select> option whose text matches (selectOption needs the exact label; ours add "(unreachable)").
import type { Locator } from 'playwright-core';

export async function selectMatching(select: Locator, match: string | RegExp): Promise<void> {
  await select.locator('option').first().waitFor({ state: 'attached' });
  const options = (await select.locator('option').allTextContents()).map((o) => o.trim());
  const test = (o: string) => (typeof match === 'string' ? o === match || o.startsWith(`${match} (`) : match.test(o));
  const label = options.find(test);
  if (!label) throw new Error(`no option like ${String(match)} in: ${options.join(' | ')}`);
  await select.selectOption({ label });
}
