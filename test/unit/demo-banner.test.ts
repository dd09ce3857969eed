// The demo's banner names what the user will pick in the job form (its carrier by name, as the form lists it), never a
// 32-hex id: the form has no box to type an id into (issue 14, names not ids).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bannerText } from '../../scripts/demo.ts';
import { demoSeed } from '../kazoo-emulator/index.ts';

test('the demo banner names the carrier to pick, not its id', () => {
  const emu = (flavor: '4.3' | '5.0', port: number) => ({ flavor, url: `http://127.0.0.1:${port}`, adminUrl: `http://127.0.0.1:${port + 1}/__emulator` });
  const text = bannerText({ url: 'http://127.0.0.1:9/?token=t', dataDir: '/tmp/demo', emulators: [emu('4.3', 7000), emu('5.0', 7100)] }, 150);
  assert.doesNotMatch(text, /[0-9a-f]{32}/);
  const acme = demoSeed().accounts?.find((a) => a.name === 'Acme Corp');
  const carrier = text.match(/account Acme Corp, carrier (.+?) →/)?.[1];
  assert.ok(acme && carrier, text);
  assert.ok(demoSeed().resources?.some((r) => r.name === carrier && r.account_id === acme.id), `${carrier} is a carrier of Acme Corp in the demo seed`);
});
