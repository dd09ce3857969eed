// Page object of the Clusters screen: add/edit clusters through the dialog and read each row's state.
import type { Locator, Page } from 'playwright-core';

export interface ClusterLogin {
  name: string;
  url: string;
  accountName: string;
  username: string;
  password: string;
  insecure?: boolean;
}

export class ClustersPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Clusters/ }).click();
    await this.page.getByRole('heading', { name: 'Clusters', level: 1 }).waitFor();
  }

  get dialog(): Locator {
    return this.page.getByTestId('cluster-dialog');
  }

  row(name: string): Locator {
    return this.page.getByTestId(`cluster-row-${name}`);
  }

  /** Fills the add dialog and submits; does not wait for the outcome. */
  async submitAdd(c: ClusterLogin): Promise<void> {
    const first = this.page.getByRole('button', { name: 'Add your first cluster' });
    await ((await first.isVisible()) ? first : this.page.getByRole('button', { name: 'Add cluster', exact: true })).click();
    const d = this.dialog;
    await d.getByLabel('Name', { exact: true }).fill(c.name);
    await d.getByLabel('Crossbar URL').fill(c.url);
    await d.getByLabel('Account name', { exact: true }).fill(c.accountName);
    await d.getByLabel('User name', { exact: true }).fill(c.username);
    await d.getByLabel('Password', { exact: true }).fill(c.password);
    if (c.insecure) await d.getByLabel(/Do not verify the TLS certificate/).check();
    await d.getByLabel('Password', { exact: true }).press('Enter');
  }

  /** Adds a cluster and waits until the dialog closes after a successful check. */
  async add(c: ClusterLogin): Promise<void> {
    await this.submitAdd(c);
    await this.dialog.getByRole('heading').waitFor({ state: 'detached' });
    await this.row(c.name).getByTestId('cluster-reachability').filter({ hasText: 'reachable, logged in' }).waitFor();
  }

  /** The plain-words error of a failed check in the open dialog. */
  async checkError(): Promise<string> {
    const e = this.dialog.getByTestId('cluster-check-error');
    await e.waitFor();
    return (await e.textContent()) ?? '';
  }

  async closeDialog(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    await this.dialog.getByRole('heading').waitFor({ state: 'detached' });
  }

  async reachability(name: string): Promise<string> {
    return ((await this.row(name).getByTestId('cluster-reachability').textContent()) ?? '').trim();
  }

  async version(name: string): Promise<string> {
    return ((await this.row(name).getByTestId('cluster-version').textContent()) ?? '').trim();
  }

  async check(name: string): Promise<void> {
    await this.page.getByRole('button', { name: `Check connection to ${name}` }).click();
  }

  async remove(name: string): Promise<void> {
    await this.page.getByRole('button', { name: `Remove ${name}` }).click();
    const d = this.page.getByTestId('remove-cluster-dialog');
    await d.getByRole('button', { name: 'Remove' }).click();
    await this.row(name).waitFor({ state: 'detached' });
  }

  pill(name: string): Locator {
    return this.page.getByTestId(`pill-${name}`);
  }
}
