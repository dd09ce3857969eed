// Page object of the Drafts & sync screen: create a draft, edit it (gateways, rules, tester), save,
// add targets, plan, resolve conflicts, apply, history and outbox.
import type { Locator, Page } from 'playwright-core';
import { selectMatching } from './select.ts';

export class DraftsPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Drafts & sync' }).click();
    await this.page.getByRole('heading', { name: 'Drafts', level: 1 }).waitFor();
  }

  async create(name: string): Promise<void> {
    await this.page.getByRole('button', { name: 'New draft' }).first().click();
    const d = this.page.getByTestId('new-draft-dialog');
    await d.getByLabel('Carrier name').fill(name);
    await d.getByRole('button', { name: 'Create draft' }).click();
    await this.page.getByTestId('draft-title').filter({ hasText: name }).waitFor();
  }

  async select(name: string): Promise<void> {
    await this.page.getByTestId(`draft-item-${name}`).click();
    await this.page.getByTestId('draft-title').filter({ hasText: name }).waitFor();
  }

  async tab(name: 'Edit' | 'Targets & sync' | 'History'): Promise<void> {
    await this.page.getByRole('tab', { name: new RegExp(`^${name.replace('&', '\\&')}`) }).click();
  }

  get editor(): Locator {
    return this.page.getByTestId('resource-editor');
  }

  gateway(i: number): Locator {
    return this.page.getByTestId(`gateway-${i}`);
  }

  /** Adds a gateway and fills the given fields (labels as shown in the editor). */
  async addGateway(fields: { server: string; port?: string; prefix?: string; suffix?: string; username?: string; password?: string }): Promise<number> {
    const before = await this.page.getByRole('article', { name: /^Gateway \d+$/ }).count();
    await this.page.getByRole('button', { name: 'Add gateway' }).click();
    const g = this.gateway(before);
    await g.getByLabel('Server (required)').fill(fields.server);
    if (fields.port) await g.getByLabel('Port').fill(fields.port);
    if (fields.prefix) await g.getByLabel('Prefix').fill(fields.prefix);
    if (fields.suffix) await g.getByLabel('Suffix').fill(fields.suffix);
    if (fields.username) await g.getByLabel('User name').fill(fields.username);
    if (fields.password) await g.getByLabel('Password', { exact: true }).fill(fields.password);
    return before;
  }

  async addRule(rule: string): Promise<void> {
    const list = this.page.getByTestId('list-rules');
    const n = await list.getByRole('textbox').count();
    await list.getByRole('button', { name: 'Add rule' }).click();
    await list.getByLabel(`Rules ${n + 1}`, { exact: true }).fill(rule);
  }

  async field(label: string): Promise<Locator> {
    return this.editor.getByLabel(label, { exact: true });
  }

  /** The message shown at a field (the element the input's aria-describedby points at), or null. */
  async fieldError(label: string): Promise<string | null> {
    const input = this.editor.getByLabel(label, { exact: true });
    const id = await input.getAttribute('aria-describedby');
    if (!id || !id.endsWith('-err')) return null;
    return this.page.locator(`[id="${id}"]`).textContent();
  }

  /** Types a number into the editor's tester and returns its answer once the core has answered for it. */
  async testNumber(n: string): Promise<string> {
    await this.page.getByLabel('Test a dialed number').fill(n);
    const result = this.page.locator(`[data-testid="rule-test-result"][data-number="${n}"][data-pending="false"]`);
    await result.waitFor();
    return (await result.textContent()) ?? '';
  }

  async save(note?: string): Promise<void> {
    if (note) await this.page.getByLabel('Note for this version').fill(note);
    await this.page.getByRole('button', { name: 'Save', exact: true }).click();
    await this.page.getByTestId('save-state').filter({ hasText: /^Saved as version/ }).waitFor();
  }

  async addTarget(cluster: string, scopeLabel: RegExp = /^Global/): Promise<void> {
    const group = this.page.getByRole('group', { name: 'Add a target' });
    await selectMatching(group.getByLabel('Cluster', { exact: true }), cluster);
    await selectMatching(group.getByLabel('Scope', { exact: true }), scopeLabel);
    await group.getByRole('button', { name: 'Add target' }).click();
    await this.page.getByTestId(`target-${cluster}`).waitFor();
  }

  /** Ticks the named clusters (or 'All clusters') in 'Add on several clusters' and adds; returns the summary line. */
  async addTargetsOn(clusters: string[] | 'all'): Promise<string> {
    const group = this.page.getByRole('group', { name: 'Add on several clusters' });
    if (clusters === 'all') await group.getByLabel('All clusters', { exact: true }).check();
    else for (const c of clusters) await group.getByLabel(c, { exact: true }).check();
    const before = (await group.getByTestId('targets-added').count()) ? await group.getByTestId('targets-added').textContent() : null;
    await group.getByRole('button', { name: /^Add on \d+ clusters?$/ }).click();
    const line = group.getByTestId('targets-added');
    await line.filter({ hasNotText: before ?? '\u0000' }).waitFor();
    return (await line.textContent()) ?? '';
  }

  async plan(): Promise<string> {
    const s = this.page.getByTestId('plan-summary');
    // A plan shown before stays on screen while the new one is made: wait for a summary of another plan.
    const before = (await s.count()) ? await s.getAttribute('data-created-at') : null;
    await this.page.getByRole('button', { name: 'Plan', exact: true }).click();
    await this.page.locator(`[data-testid="plan-summary"]:not([data-created-at="${before ?? ''}"])`).waitFor();
    return (await s.textContent()) ?? '';
  }

  planTarget(cluster: string): Locator {
    return this.page.getByTestId(`plan-target-${cluster}`);
  }

  async planAction(cluster: string): Promise<string> {
    return ((await this.planTarget(cluster).getByTestId('plan-action').textContent()) ?? '').trim();
  }

  /** The apply confirmation dialog (it lists what the plan does per cluster). */
  get confirmDialog(): Locator {
    return this.page.getByTestId('apply-confirm');
  }

  /** Presses Apply; the confirmation opens. Returns its counts per cluster: { cluster: { create, update, ... } }. */
  async startApply(): Promise<Record<string, Record<string, number>>> {
    await this.page.getByRole('button', { name: /^Apply/ }).click();
    const table = this.confirmDialog.getByRole('table', { name: 'Changes per cluster' });
    await table.waitFor();
    const heads = (await table.locator('thead th').allTextContents()).map((h) => h.trim().toLowerCase());
    const out: Record<string, Record<string, number>> = {};
    for (const row of await table.locator('tbody tr').all()) {
      const cells = (await row.locator('th, td').allTextContents()).map((c) => c.trim());
      out[cells[0]!] = Object.fromEntries(heads.slice(1).map((h, i) => [h, Number(cells[i + 1])]));
    }
    return out;
  }

  /** Confirms the open apply dialog and waits for the result summary. */
  async confirmApply(): Promise<string> {
    await this.confirmDialog.getByRole('button', { name: /^Apply \d+ change/ }).click();
    const s = this.page.getByTestId('apply-summary');
    await s.waitFor();
    return (await s.textContent()) ?? '';
  }

  /** Apply with its confirmation. */
  async apply(): Promise<string> {
    await this.startApply();
    return this.confirmApply();
  }

  async outcome(cluster: string): Promise<string> {
    return ((await this.planTarget(cluster).getByTestId('apply-outcome').textContent()) ?? '').trim();
  }

  async targetStatus(cluster: string): Promise<string> {
    return ((await this.page.getByTestId(`target-${cluster}`).getByTestId('target-status').textContent()) ?? '').trim();
  }

  /** The rows of a target's field diff, as [path, kind, text]. */
  async diffRows(cluster: string): Promise<{ path: string; kind: string; text: string }[]> {
    const rows = this.planTarget(cluster).getByRole('table', { name: 'Field changes' }).locator('tbody tr');
    const out: { path: string; kind: string; text: string }[] = [];
    for (const r of await rows.all()) {
      const id = (await r.getAttribute('data-testid')) ?? '';
      out.push({ path: id.replace(/^diff-/, ''), kind: ((await r.getAttribute('class')) ?? '').split(' ')[0]!, text: ((await r.textContent()) ?? '').replace(/\s+/g, ' ').trim() });
    }
    return out;
  }

  /** Picks mine/theirs for one conflicting field of a target, then resolves. */
  async resolve(cluster: string, choices: Record<string, 'mine' | 'theirs'>): Promise<void> {
    const t = this.planTarget(cluster);
    for (const [path, c] of Object.entries(choices)) await t.getByLabel(c === 'mine' ? `Keep mine for ${path}` : `Take theirs for ${path}`).check();
    await t.getByRole('button', { name: 'Resolve and plan again' }).click();
  }
}
