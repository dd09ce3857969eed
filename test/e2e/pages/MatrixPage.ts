// Page object of the Overview (carriers × clusters matrix).
import type { Locator, Page } from 'playwright-core';

export class MatrixPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
    await this.page.getByRole('heading', { name: /^Overview/ }).waitFor();
  }

  cell(carrier: string, cluster: string, scope = 'global'): Locator {
    return this.page.getByTestId(`cell-${carrier}-${cluster}-${scope}`);
  }

  async status(carrier: string, cluster: string, scope = 'global'): Promise<string | null> {
    return this.cell(carrier, cluster, scope).getAttribute('data-status');
  }

  get cellDialog(): Locator {
    return this.page.getByTestId('cell-dialog');
  }
}
