// drafts.validate checks an unsaved working copy when given one, and never saves it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCore } from '../../../electron/core/index.ts';
import { FileKeyBox } from '../../../electron/core/secrets/file-key-box.ts';
import { tempDir } from '../../support/temp.ts';
import type { ValidationReport } from '../../../electron/shared/contract/sync.ts';

test('an unsaved working copy is validated as given; the saved draft is untouched', async (t) => {
  const dir = tempDir();
  const core = createCore({ dataDir: dir.path, secrets: new FileKeyBox(dir.path) });
  t.after(async () => (await core.close(), dir.remove()));
  const created = await core.dispatch('drafts.create', {
    name: 'Carrier A',
    from: { kind: 'json', doc: { name: 'Carrier A', gateways: [{ server: 'sip.a.example' }], rules: ['^\\+1(\\d{10})$'] } },
  });
  assert.ok(created.ok, JSON.stringify(created));
  const id = (created.value as { id: string }).id;

  const saved = await core.dispatch('drafts.validate', { draft: id });
  assert.ok(saved.ok);
  assert.deepEqual((saved.value as ValidationReport).local.filter((i) => i.severity === 'error'), []);

  const working = await core.dispatch('drafts.validate', {
    draft: id,
    doc: { name: 'Carrier A', gateways: [{ server: 'sip.a.example' }], rules: ['^\\+1(\\d{10}$'] },
  });
  assert.ok(working.ok);
  const report = working.value as ValidationReport;
  const errors = report.local.filter((i) => i.severity === 'error');
  assert.ok(errors.some((i) => i.path === 'rules.0'), JSON.stringify(report.local));

  const again = await core.dispatch('drafts.get', { draft: id });
  assert.ok(again.ok);
  assert.deepEqual((again.value as { doc: { rules: string[] } }).doc.rules, ['^\\+1(\\d{10})$']);
});
