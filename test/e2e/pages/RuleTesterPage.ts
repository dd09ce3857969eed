// Page object of the draft editor's "Test a dialed number" box: ask for a number (and caller id), read the answer the
// core gave (deciding rule, number sent, dial string per gateway, notes, what is uncertain) per target group.
import type { Locator, Page } from 'playwright-core';

export class RuleTesterPage {
  constructor(readonly page: Page) {}

  get root(): Locator {
    return this.page.getByTestId('rule-tester');
  }

  /** Asks about `number` and waits until the core's answer for it is on screen. */
  async test(number: string, callerId?: string): Promise<void> {
    if (callerId !== undefined) await this.root.getByLabel('Caller id (for cid_rules)').fill(callerId);
    await this.root.getByLabel('Test a dialed number').fill(number);
    await this.settled(number);
  }

  /** Waits until the answer on screen is for `number` and no newer question is waiting (after an edit, too). */
  async settled(number: string): Promise<void> {
    await this.root.locator(`[data-testid="rule-test-result"][data-number="${number}"][data-pending="false"]`).waitFor();
  }

  answers(): Locator {
    return this.root.getByTestId('rule-test-answer');
  }

  async decision(i = 0): Promise<string> {
    return this.answers().nth(i).getByTestId('rule-test-decision').innerText();
  }

  async sent(i = 0): Promise<string> {
    return this.answers().nth(i).getByTestId('rule-test-sent').innerText();
  }

  /** The dial string of each gateway (null: the gateway gives no endpoint). */
  async dialStrings(gateways: number, i = 0): Promise<(string | null)[]> {
    const a = this.answers().nth(i);
    const out: (string | null)[] = [];
    for (let g = 0; g < gateways; g++) {
      const d = a.getByTestId(`dial-${g}`);
      out.push((await d.count()) ? await d.innerText() : null);
    }
    return out;
  }

  async dialNote(gateway: number, i = 0): Promise<string> {
    return this.answers().nth(i).getByTestId(`dial-note-${gateway}`).innerText();
  }

  uncertain(i = 0): Locator {
    return this.answers().nth(i).getByTestId('rule-test-uncertain');
  }
}
