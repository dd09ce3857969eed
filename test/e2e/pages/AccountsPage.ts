// Page object of the Accounts screen: pick a cluster, search the tree.
import type { Locator, Page } from 'playwright-core';
import { selectMatching } from './select.ts';

export class AccountsPage {
  constructor(readonly page: Page) {}

  async open(cluster?: string): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
    await this.page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor();
    if (cluster) await selectMatching(this.page.getByLabel('Cluster', { exact: true }), cluster);
  }

  get tree(): Locator {
    return this.page.getByRole('tree', { name: 'Account tree' });
  }

  items(): Locator {
    return this.tree.getByRole('treeitem');
  }

  async search(q: string): Promise<void> {
    await this.page.getByLabel('Search accounts').fill(q);
  }
}
