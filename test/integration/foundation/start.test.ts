// `npm start` where Electron cannot run: one line saying so, then the browser host, whose printed address carries the
// per-launch token the app's calls need (the page itself holds no secret and is served without it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { tempDir } from '../../support/temp.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

test('npm start without an Electron binary falls back to browser mode', async (t) => {
  if (existsSync(`${root}node_modules/electron/path.txt`)) return t.skip('an Electron binary is installed here: npm start would open it');
  const dir = tempDir();
  // No display: nothing is opened. No download: the fallback is taken even where the network would allow one.
  const env = { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '', ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };
  const child = spawn(process.execPath, ['scripts/start.mjs', '--data-dir', dir.path], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => {
    child.kill('SIGTERM');
    dir.remove();
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  const lines: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.on('line', (line) => {
      lines.push(line);
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\S*token=\S+)/.exec(line);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`npm start exited (${code}) before printing an address:\n${lines.join('\n')}\n${stderr}`)));
  });
  assert.match(lines[0] ?? '', /^Electron is not available here .*browser mode instead\.$/);
  const page = await request(url);
  await page.body.dump();
  assert.equal(page.statusCode, 200);
  const printed = new URL(url);
  const token = printed.searchParams.get('token')!;
  const session = new URL('/api/session', printed);
  const without = await request(session.href);
  await without.body.dump();
  assert.equal(without.statusCode, 401);
  const withToken = await request(session.href, { headers: { authorization: `Bearer ${token}` } });
  await withToken.body.dump();
  assert.equal(withToken.statusCode, 204);
});
