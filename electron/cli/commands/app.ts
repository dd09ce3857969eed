// CLI: `info` and `settings` commands.
import type { Command } from 'commander';
import { CliExit, EXIT_USAGE, type CliRuntime } from '../runtime.ts';
import type { AppInfo } from '../../shared/contract/app.ts';
import type { SettingView } from '../../shared/settings.ts';
import { readJson } from '../../shared/json-limits.ts';

export function registerAppCommands(program: Command, rt: CliRuntime): void {
  program
    .command('info')
    .description('show the version, data folder and store version')
    .action(async () => {
      const info = await rt.call('app.info', {});
      rt.print(info, (i: AppInfo) => `${i.name} ${i.version}\ndata folder: ${i.dataDir}\nstore version: ${i.schemaVersion}\nsecrets: ${i.secretsKind}`);
    });
  const settings = program.command('settings').description('show or change settings');
  settings
    .command('list')
    .description('show every setting')
    .action(async () => {
      const all = await rt.call('settings.get', {});
      rt.print(all, (list: SettingView[]) => list.map(settingText).join('\n\n'));
    });
  settings
    .command('set <key> <json>')
    .description('set a setting to a JSON value, e.g. settings set jobs.chunkSize 500 (null puts the default back)')
    .action(async (key: string, json: string) => {
      // JSON when it reads as JSON (within the limits a setting can need), else the text itself.
      const read = readJson(json, { what: 'The value', maxChars: 64 * 1024 });
      if (!read.ok && read.code !== 'json_syntax') throw new CliExit(EXIT_USAGE, read.message);
      const value: unknown = read.ok ? read.value : json;
      const all = await rt.call('settings.set', { key, value });
      rt.print(all, (list: SettingView[]) => settingText(list.find((s) => s.key === key)!));
    });
}

function settingText(s: SettingView): string {
  const shown = s.value === null && s.defaultText ? s.defaultText : JSON.stringify(s.value);
  const dflt = s.defaultText ?? JSON.stringify(s.default);
  return `${s.key} = ${shown}${s.isSet ? `  (default: ${dflt})` : '  (default)'}${s.advanced ? '  [advanced]' : ''}\n  ${s.description}; accepts ${s.accepts}`;
}
