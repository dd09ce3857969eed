// Page object of the Jobs screen: the submission form with its pre-flight, the dashboard, results and history.
import type { Locator, Page } from 'playwright-core';

// These callbacks run in the page; the node tsconfig has no DOM lib, so declare the little they use.
interface El {
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(sel: string): El | null;
}
declare const document: { querySelectorAll(sel: string): Iterable<El> & ArrayLike<El> };

export interface JobForm {
  list: string;
  cluster: string;
  /** Account id; omit for a global carrier ("into the master account"). */
  accountId?: string;
  resource: string;
  chunkSize?: number;
}

export class JobsPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByRole('link', { name: 'Jobs' }).click();
    await this.page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
  }

  /** Fills the submission form, opening it first unless it is open already (e.g. from the Number lists screen). */
  async fillForm(f: JobForm): Promise<void> {
    await this.chooseScope(f);
    // The carrier is picked by name among those pulled from that scope; a scope never pulled is pulled first.
    const note = this.page.getByTestId('carrier-note');
    await note.filter({ hasText: /\S/ }).waitFor();
    const pullNow = note.getByRole('button', { name: 'Pull them now' });
    if (await pullNow.isVisible()) {
      await pullNow.click();
      await note.filter({ hasText: 'as pulled' }).waitFor();
    }
    await this.page.getByLabel('Carrier', { exact: true }).selectOption(f.resource);
    if (f.chunkSize) await this.page.getByLabel('Numbers per job', { exact: true }).fill(String(f.chunkSize));
  }

  /** Clears "Numbers per job" and types the text key by key, as a person would. */
  async typeChunkSize(text: string): Promise<void> {
    const field = this.page.getByLabel('Numbers per job', { exact: true });
    await field.fill('');
    await field.pressSequentially(text);
  }

  /** The message shown at a form field (the element its aria-describedby names), or null when there is none. */
  async fieldMessage(label: string): Promise<string | null> {
    const id = await this.page.getByLabel(label, { exact: true }).getAttribute('aria-describedby');
    return id ? this.page.locator(`[id="${id}"]`).textContent() : null;
  }

  /** Opens the form if needed and chooses the list, the cluster and where the numbers go (not the carrier). */
  async chooseScope(f: Omit<JobForm, 'resource'>): Promise<void> {
    const heading = this.page.getByRole('heading', { name: 'New import job' });
    if (!(await heading.isVisible())) await this.page.getByRole('button', { name: 'New import job…' }).click();
    await heading.waitFor();
    // Options read "<name> (<n> valid)".
    const lists = this.page.getByLabel('Number list', { exact: true });
    const option = lists.locator('option', { hasText: `${f.list} (` });
    await option.waitFor({ state: 'attached' });
    await lists.selectOption((await option.getAttribute('value'))!);
    await this.page.getByLabel('Cluster', { exact: true }).selectOption({ label: f.cluster });
    if (f.accountId) {
      await this.page.getByLabel('into an account, with one of its own carriers').check();
      const account = this.page.getByLabel('Account', { exact: true });
      await account.locator(`option[value="${f.accountId}"]`).waitFor({ state: 'attached' });
      await account.selectOption(f.accountId);
    } else {
      await this.page.getByLabel('into the master account, with a global carrier').check();
    }
  }

  async preflight(): Promise<Locator> {
    await this.page.getByRole('button', { name: 'Check before sending' }).click();
    const pf = this.page.getByTestId('preflight');
    await pf.waitFor();
    return pf;
  }

  async submit(): Promise<void> {
    await this.page.getByRole('button', { name: /^Submit \d+ numbers in \d+ jobs?$/ }).click();
    await this.page.getByRole('heading', { name: 'New import job' }).waitFor({ state: 'detached' });
  }

  get batches(): Locator {
    return this.page.getByTestId('batch');
  }

  get jobRows(): Locator {
    return this.page.getByTestId('job-row');
  }

  /** Numbers done over all job rows on screen, read from the page (live values). */
  async doneCounts(): Promise<number[]> {
    return this.page.getByTestId('job-done').evaluateAll((els) => els.map((e) => Number(e.textContent!.replace(/[^\d]/g, ''))));
  }

  /** Waits until some job shows progress strictly between none and all of its numbers. */
  async waitForPartialProgress(): Promise<void> {
    await this.page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="job-row"]')].some((row) => {
        const m = /([\d,]+) of ([\d,]+) done/.exec(row.querySelector('[data-testid="job-counts"]')?.textContent ?? '');
        if (!m) return false;
        const done = Number(m[1]!.replace(/,/g, ''));
        return done > 0 && done < Number(m[2]!.replace(/,/g, ''));
      }),
    );
  }

  /** Waits until every job row is complete. */
  async waitForAllComplete(jobs: number): Promise<void> {
    await this.page.waitForFunction(
      (n) => {
        const rows = [...document.querySelectorAll('[data-testid="job-row"]')];
        return rows.length === n && rows.every((r) => r.getAttribute('data-state') === 'complete');
      },
      jobs,
      { timeout: 60_000 },
    );
  }

  /** Waits until the job rows on screen are in exactly these states (any order). */
  async waitForJobStates(states: string[]): Promise<void> {
    await this.page.waitForFunction(
      (want) => [...document.querySelectorAll('[data-testid="job-row"]')].map((r) => r.getAttribute('data-state')).sort().join(',') === want,
      [...states].sort().join(','),
    );
  }

  /** Waits until the first batch's summary line matches. */
  async waitForBatchCounts(re: RegExp): Promise<void> {
    await this.page.getByTestId('batch-counts').first().filter({ hasText: re }).waitFor();
  }

  /** A batch's counts as its summary line shows them ("1,234 of 192,348 done · … imported · … failed · … cancelled · … to go"). */
  async countsOf(batch: Locator): Promise<{ done: number; total: number; imported: number; failed: number; cancelled: number; toGo: number }> {
    const text = (await batch.getByTestId('batch-counts').textContent())!.replace(/\s+/g, ' ');
    const n = (re: RegExp) => Number((re.exec(text)?.[1] ?? '0').replace(/,/g, ''));
    const m = /([\d,]+) of ([\d,]+) done/.exec(text);
    if (!m) throw new Error(`no counts in: ${text}`);
    return {
      done: Number(m[1]!.replace(/,/g, '')),
      total: Number(m[2]!.replace(/,/g, '')),
      imported: n(/([\d,]+) imported/),
      failed: n(/([\d,]+) failed/),
      cancelled: n(/([\d,]+) cancelled/),
      toGo: n(/([\d,]+) to go/),
    };
  }

  async batchCounts(): Promise<string> {
    return (await this.page.getByTestId('batch-counts').first().textContent())!.replace(/\s+/g, ' ').trim();
  }
}
