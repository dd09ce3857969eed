// Page object of the Route screen: the call to route (number, caller id, flags, calling account, carriers, plan) and
// one answer card per cluster.
import type { Locator, Page } from 'playwright-core';
import { selectMatching } from './select.ts';

export interface Call {
  number: string;
  callerId?: string;
  flags?: string;
  account?: string;
  own?: boolean;
  withDrafts?: boolean;
}

export class RoutePage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Route' }).click();
    await this.page.getByRole('heading', { name: 'Route a number' }).waitFor();
  }

  private get form(): Locator {
    return this.page.getByRole('form', { name: 'Call to route' });
  }

  /** Fills the form and routes; waits for the new set of answers (one card per cluster). */
  async route(c: Call, clusters: string[]): Promise<void> {
    const f = this.form;
    await f.getByLabel('Number dialled').fill(c.number);
    await f.getByLabel('Caller id', { exact: true }).fill(c.callerId ?? '');
    await f.getByLabel('Flags').fill(c.flags ?? '');
    await selectMatching(f.getByLabel('Calling account', { exact: true }), c.account ? new RegExp(`^${c.account}`) : 'None given');
    await f.getByRole('radio', { name: c.own ? /own carriers/ : /Global carriers/ }).check();
    const plan = f.getByRole('checkbox', { name: 'As after the current plan' });
    if (c.withDrafts) await plan.check();
    else await plan.uncheck();
    const before = await this.answeredCount();
    await f.getByRole('button', { name: 'Route' }).click();
    await this.page.locator(`[data-testid="route-answers"]:not([data-answered="${before}"])`).waitFor();
    for (const name of clusters) await this.answer(name).waitFor();
  }

  /** The answer sets received so far (the screen bumps it on every new answer, also after a change elsewhere). */
  async answeredCount(): Promise<number> {
    const el = this.page.getByTestId('route-answers');
    return (await el.count()) === 0 ? 0 : Number(await el.getAttribute('data-answered'));
  }

  answer(cluster: string): Locator {
    return this.page.getByTestId(`route-answer-${cluster}`);
  }

  async carriers(cluster: string): Promise<string[]> {
    const list = this.answer(cluster).getByTestId('route-carriers');
    if ((await list.count()) === 0) return [];
    return (await list.locator('li > strong').allTextContents()).map((s) => s.trim());
  }

  async dialStrings(cluster: string): Promise<string[]> {
    const list = this.answer(cluster).getByTestId('route-endpoints');
    if ((await list.count()) === 0) return [];
    return (await list.locator('code').allTextContents()).map((s) => s.trim());
  }
}
