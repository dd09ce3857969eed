// The desktop package flips Electron's fuses (issue 15 item 9): read electron-builder.yml with electron-builder's own
// YAML reader, and check the names against electron-builder 26's configuration schema so a misspelt fuse cannot pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';

const Ajv = AjvModule.default; // ajv is CommonJS: its class is the default export's `default`
const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);
// electron-builder reads its YAML config with js-yaml (a dependency of app-builder-lib): the same reader here.
const builderRequire = createRequire(require.resolve('app-builder-lib/package.json'));
const yaml = builderRequire('js-yaml') as { load(text: string): unknown };

test('electron-builder.yml sets the fuses that keep the packaged app from running as a plain Node runtime', () => {
  const config = yaml.load(readFileSync(`${root}electron-builder.yml`, 'utf8')) as { electronFuses?: Record<string, boolean> };
  assert.deepEqual(config.electronFuses, {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableCookieEncryption: true,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    grantFileProtocolExtraPrivileges: false,
  });
  const scheme = JSON.parse(readFileSync(builderRequire.resolve('./scheme.json'), 'utf8')) as { definitions: Record<string, object> };
  const fuses = { ...scheme.definitions.FuseOptionsV1, additionalProperties: false };
  const validate = new Ajv({ strict: false }).compile(fuses);
  assert.ok(validate(config.electronFuses), JSON.stringify(validate.errors));
});
