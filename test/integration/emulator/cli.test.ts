// The CLI (npm run emulator): prints URL, admin URL and logins, serves the demo seed, stops on SIGTERM;
// and an emulator running on the builtin schemas only (a fresh clone without ../shared/kazoo).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { builtinSchemasDir } from '../../kazoo-emulator/validation.ts';
import { call, emulator, FLAVORS, login, resourceBody, ACME } from './helpers.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

for (const flavor of FLAVORS) {
  test(`CLI --flavor ${flavor} prints its URLs and logins and stops on SIGTERM`, async (t) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/kazoo-emulator/cli.ts', '--port', '0', '--flavor', flavor], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    t.after(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
    let out = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (/api key of "Northwind Reseller"/.test(out)) resolve();
      });
      child.on('exit', () => reject(new Error(`CLI exited early: ${out}`)));
    });
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
    assert.match(out, /Admin API: http:\/\/127\.0\.0\.1:\d+\/__emulator/);
    assert.match(out, /account "Master"\s+user "admin"\s+password "demo-admin-pass"/);
    const token = await login({ url });
    const r = await call({ url }, 'GET', '/v2/resources', { token });
    assert.equal(r.status, 200);
    assert.ok(r.body.version.startsWith(flavor));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  test(`builtin schemas drive the emulator (${flavor})`, async (t) => {
    const em = await emulator(t, { flavor, schemasDir: builtinSchemasDir('5.0') });
    const token = await login(em);
    const ok = await call(em, 'PUT', `/v2/accounts/${ACME}/resources`, { token, body: resourceBody('B', { media: {} }) });
    assert.equal(ok.status, 201);
    assert.equal(ok.body.data.weight_cost, 50);
    const sp = await call(em, 'PUT', `/v2/accounts/${ACME}/resources`, { token, body: resourceBody('S', { gateways: [{ server: 'x', invite_format: 'strip_plus' }] }) });
    assert.equal(sp.status, flavor === '5.0' ? 201 : 400);
    const one = await call(em, 'GET', '/v2/schemas/resources');
    assert.match(one.body.data.description, /Carrier Desk builtin/);
  });
}
