// End-to-end (issue 15 items 7, 8): gateway passwords in the draft editor, in Chromium. The core never sends a stored
// password to the page: the field starts empty ("saved"), other edits and a reorder keep each password with its
// gateway, typing replaces it, emptying the field again keeps the stored one; a password this machine cannot decrypt
// shows as missing with the reason at the field, and is entered again from the editor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCore } from '../../electron/core/index.ts';
import { FileKeyBox } from '../../electron/core/secrets/file-key-box.ts';
import { tempDir } from '../support/temp.ts';
import { openBrowser, screenshot } from '../support/browser.ts';
import { startInProcessHost } from '../support/app-host.ts';
import { call } from '../support/core-calls.ts';
import { DraftsPage } from './pages/DraftsPage.ts';

type Gw = { server: string; password?: string };

test('the editor never receives a saved password and never loses one', async (t) => {
  const dir = tempDir();
  const other = tempDir();
  // A draft sealed with a key this folder does not hold (as after secret.key was replaced), made before the app starts.
  const foreign = createCore({ dataDir: dir.path, secrets: new FileKeyBox(other.path) });
  await call(foreign, 'drafts.create', { from: { kind: 'json', doc: { name: 'Old Key', rules: ['^\\+?(\\d+)$'], gateways: [{ server: 'old.example', password: 'Old-Pw-1' }] } } });
  await foreign.close();
  const host = await startInProcessHost(dir.path);
  const browser = await openBrowser({ width: 1280, height: 1000 });
  let passed = false;
  t.after(async () => {
    if (!passed) await screenshot(browser.page, 'secrets-failure').catch(() => {});
    await browser.close();
    await host.close();
    dir.remove();
    other.remove();
  });
  const core = host.core;
  const stored = async (name: string) => (await call(core, 'drafts.get', { draft: name, showSecrets: true })).doc.gateways as Gw[];
  await call(core, 'drafts.create', {
    from: { kind: 'json', doc: { name: 'Two Gateways', rules: ['^\\+?(\\d+)$'], gateways: [{ server: 'a.example', password: 'Pw-Alpha-1' }, { server: 'b.example', password: 'Pw-Bravo-2' }] } },
  });
  const { page } = browser;
  const sent: string[] = [];
  page.on('websocket', (ws) => ws.on('framereceived', (f) => sent.push(String(f.payload))));
  await page.goto(host.web.url);
  const drafts = new DraftsPage(page);
  await drafts.open();
  await drafts.select('Two Gateways');
  const pw = (i: number) => drafts.gateway(i).getByLabel('Password', { exact: true });

  // Nothing of the passwords reaches the page; the fields say a password is saved.
  assert.equal(await pw(0).inputValue(), '');
  assert.equal(await pw(0).getAttribute('placeholder'), '•••••• saved');
  await drafts.gateway(0).getByRole('button', { name: 'Show password' }).click();
  assert.equal(await pw(0).inputValue(), '', 'showing reveals only what was typed');
  assert.ok(!sent.some((m) => m.includes('Pw-Alpha-1') || m.includes('Pw-Bravo-2')), 'a password went to the page');
  await screenshot(page, 'secrets-saved-password');

  // Another field edited and the gateways reordered: each password stays with its gateway.
  await drafts.gateway(0).getByLabel('Server (required)').fill('a2.example');
  await page.getByRole('button', { name: 'Move gateway 1 down' }).click();
  await drafts.save('reordered');
  assert.deepEqual(await stored('Two Gateways'), [{ server: 'b.example', password: 'Pw-Bravo-2' }, { server: 'a2.example', password: 'Pw-Alpha-1' }]);

  // Typed then emptied: the saved one stays. Typed: it replaces the saved one.
  await pw(0).fill('temp');
  await pw(0).fill('');
  await pw(1).fill('Pw-New-3');
  await drafts.save('new password');
  assert.deepEqual(await stored('Two Gateways'), [{ server: 'b.example', password: 'Pw-Bravo-2' }, { server: 'a2.example', password: 'Pw-New-3' }]);
  assert.equal(await pw(1).inputValue(), '', 'after saving, the new password is not kept on the page either');

  // A password this machine cannot decrypt: shown missing, with the reason at the field; entered again here.
  await drafts.select('Old Key');
  assert.equal(await pw(0).getAttribute('placeholder'), 'missing');
  await drafts.gateway(0).getByRole('alert').filter({ hasText: 'Cannot be decrypted on this machine' }).waitFor();
  assert.match((await drafts.fieldError('Password')) ?? '', /Cannot be decrypted on this machine.*Enter it again/);
  await screenshot(page, 'secrets-unreadable-password');
  await pw(0).fill('Old-Pw-Again');
  await drafts.save('password entered again');
  assert.deepEqual(await stored('Old Key'), [{ server: 'old.example', password: 'Old-Pw-Again' }]);
  assert.equal(await drafts.fieldError('Password'), null);
  passed = true;
});
