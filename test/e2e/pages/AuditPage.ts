// Page object of the Audit log screen.
import type { Locator, Page } from 'playwright-core';
import { selectMatching } from './select.ts';

export class AuditPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await this.page.getByRole('heading', { name: 'Audit log' }).waitFor();
  }

  rows(): Locator {
    return this.page.getByTestId('audit-table').locator('tbody > tr');
  }

  async filterCluster(name: string): Promise<void> {
    await selectMatching(this.page.getByLabel('Cluster', { exact: true }), name);
  }
}
