// Page object of the Overview (carriers × clusters matrix).
import type { Locator, Page } from 'playwright-core';

export class MatrixPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
    await this.page.getByRole('heading', { name: /^Overview/ }).waitFor();
  }

  /** A cell by its row's carrier name; a carrier no draft is bound to is named "NAME (no draft)". */
  cell(carrier: string, cluster: string, scope = 'global'): Locator {
    return this.page.getByTestId(`cell-${carrier}-${cluster}-${scope}`);
  }

  async status(carrier: string, cluster: string, scope = 'global'): Promise<string | null> {
    return this.cell(carrier, cluster, scope).getAttribute('data-status');
  }

  /** Reads the clusters again and waits until the Overview has been rebuilt from what was read. */
  async refresh(): Promise<void> {
    const done = this.page.getByTestId('matrix-refresh');
    const before = (await done.count()) ? await done.getAttribute('data-at') : null;
    await this.page.getByRole('button', { name: 'Refresh' }).click();
    await this.page.locator(`[data-testid="matrix-refresh"]:not([data-at="${before ?? ''}"])`).waitFor();
  }

  get cellDialog(): Locator {
    return this.page.getByTestId('cell-dialog');
  }
}
