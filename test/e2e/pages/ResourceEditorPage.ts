// Page object of the carrier (resource) editor in a draft's Edit tab: the sections, a gateway's options,
// custom SIP headers, classifiers, formatters, string lists and codecs, typed the way a person types
// (key by key, moving on with a click or Tab), and saving.
import type { Locator, Page } from 'playwright-core';

export class ResourceEditorPage {
  constructor(readonly page: Page) {}

  get root(): Locator {
    return this.page.getByTestId('resource-editor');
  }

  /** Opens a collapsed section (General, Flags, Classifiers, Formatters, Media and codecs…). */
  async section(name: string): Promise<Locator> {
    const d = this.root.locator('details').filter({ has: this.page.locator('summary', { hasText: name }) });
    if ((await d.getAttribute('open')) === null) await d.locator('summary').click();
    return d;
  }

  gateway(i: number): Locator {
    return this.page.getByTestId(`gateway-${i}`);
  }

  async addGateway(server: string): Promise<Locator> {
    const n = await this.page.getByRole('article', { name: /^Gateway \d+$/ }).count();
    await this.page.getByRole('button', { name: 'Add gateway' }).click();
    const g = this.gateway(n);
    await g.getByLabel('Server (required)').pressSequentially(server);
    return g;
  }

  async moreOptions(g: Locator): Promise<void> {
    const b = g.getByRole('button', { name: /^More options/ });
    if (await b.count()) await b.click();
  }

  /** Types into the focused element key by key (what a person does; fill() would skip the events between). */
  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text);
  }

  async focusedId(): Promise<string> {
    return (await this.page.locator('*:focus').getAttribute('id')) ?? '';
  }

  async save(note?: string): Promise<void> {
    if (note) await this.page.getByLabel('Note for this version').fill(note);
    const before = (await this.page.getByTestId('save-state').textContent()) ?? '';
    await this.page.getByRole('button', { name: 'Save', exact: true }).click();
    await this.page
      .getByTestId('save-state')
      .filter({ hasText: /^Saved as version/ })
      .filter({ hasNotText: before })
      .waitFor();
  }

  /** The message shown next to a field (what its aria-describedby points at), or null. */
  async fieldError(field: Locator): Promise<string | null> {
    const id = await field.getAttribute('aria-describedby');
    if (!id || !id.endsWith('-err')) return null;
    return this.page.locator(`[id="${id}"]`).textContent();
  }
}
