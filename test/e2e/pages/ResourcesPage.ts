// Page object of the Resources screen: pick cluster and scope, pull, filter, open a carrier as a draft.
import type { Locator, Page } from 'playwright-core';
import { selectMatching } from './select.ts';

export class ResourcesPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Resources' }).click();
    await this.page.getByRole('heading', { name: 'Resources (carriers)' }).waitFor();
  }

  async select(cluster: string, scopeLabel: string | RegExp = /^Global/): Promise<void> {
    await selectMatching(this.page.getByLabel('Cluster', { exact: true }), cluster);
    await selectMatching(this.page.getByLabel('Scope', { exact: true }), scopeLabel);
  }

  /** Pulls and waits for the pull summary. */
  async pull(): Promise<string> {
    await this.page.getByRole('button', { name: 'Pull from cluster' }).click();
    const status = this.page.getByTestId('pull-status');
    await status.filter({ hasText: 'Pulled:' }).waitFor();
    return (await status.textContent()) ?? '';
  }

  /**
   * Pulls every account; returns the summary and every text the status line showed on the way (recorded in the
   * page as it changed, so a progress line shown for a moment is not missed).
   */
  async pullEveryAccount(): Promise<{ summary: string; seen: string[] }> {
    const status = this.page.getByTestId('pull-status');
    // A string: this file is type-checked without the DOM library.
    await this.page.evaluate(`(() => {
      const el = document.querySelector('[data-testid="pull-status"]');
      const seen = (window.__pullSeen = []);
      new MutationObserver(() => seen.push(el.textContent.replace(/\\s+/g, ' ').trim())).observe(el, { subtree: true, childList: true, characterData: true });
    })()`);
    await this.page.getByRole('button', { name: 'Pull every account' }).click();
    await status.filter({ hasText: 'Pulled:' }).waitFor();
    const seen = (await this.page.evaluate('window.__pullSeen')) as string[];
    return { summary: ((await status.textContent()) ?? '').replace(/\s+/g, ' ').trim(), seen };
  }

  rows(): Locator {
    return this.page.getByRole('table', { name: 'Carriers' }).locator('tbody tr');
  }

  row(name: string): Locator {
    return this.page.getByTestId(`resource-row-${name}`);
  }

  async search(q: string): Promise<void> {
    await this.page.getByLabel('Search carriers').fill(q);
  }

  async filter(name: 'Enabled' | 'Emergency', value: 'any' | 'yes' | 'no'): Promise<void> {
    await this.page.getByLabel(name, { exact: true }).selectOption(value);
  }

  async editAsDraft(name: string): Promise<void> {
    await this.page.getByRole('button', { name: `Edit ${name} as a draft` }).click();
    await this.page.getByTestId('draft-title').filter({ hasText: name }).waitFor();
  }
}
