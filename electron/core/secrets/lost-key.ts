// What to tell a person when the key file was missing and a new one was made while the store already held secrets
// sealed with the old key: those secrets now read as missing (see secret-fields.ts), and this says which and why.
import { join } from 'node:path';
import { count } from '../../shared/plural.ts';
import { KEY_FILE } from './file-key-box.ts';

/** The notice, or null when nothing was sealed with the lost key (a fresh data folder). */
export function newKeyNotice(dataDir: string, clusters: number, drafts: number): string | null {
  if (clusters + drafts === 0) return null;
  const lost = [
    ...(clusters ? [`the saved logins of ${count(clusters, 'cluster')} (edit each cluster and enter its password or API key)`] : []),
    ...(drafts ? [`the gateway passwords of ${count(drafts, 'draft')} (they show as missing; enter them in each draft)`] : []),
  ];
  return (
    `The secret key file ${join(dataDir, KEY_FILE)} was missing, so a new key was made. Secrets saved with the old key can no longer be read: ` +
    `${lost.join(' and ')}. If you have a backup of the old ${KEY_FILE}, stop Carrier Desk and put it back instead.`
  );
}
