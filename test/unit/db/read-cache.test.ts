// Cluster profiles and settings are kept between reads (db/repos/read-cache.ts), on a real SQLite file in WAL mode:
// what another connection commits (another process on the same folder) is read on the next look, what the repo
// itself writes too, a row read inside a transaction that rolls back is never kept, and a kept row cannot be changed
// by one of the callers that share it. A reply that changes nothing on the profile writes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDatabase } from '../../../electron/core/db/open.ts';
import { ClustersRepo, type NewCluster } from '../../../electron/core/db/repos/clusters-repo.ts';
import { SettingsRepo } from '../../../electron/core/db/repos/settings-repo.ts';
import { settingSpec } from '../../../electron/shared/settings.ts';
import { tempDir } from '../../support/temp.ts';

const PROFILE: NewCluster = {
  id: 'c1', name: 'Lab', base_url: 'http://127.0.0.1:1', auth_kind: 'user', account_name: 'Master', username: 'admin', auth_hash: 'md5', secret_sealed: 'x', ca_file: null, tls_insecure: 0,
};

function setting() {
  const dir = tempDir('cd-read-cache-');
  const file = join(dir.path, 'store.sqlite');
  const mine = openDatabase(file).db;
  // Another connection to the same file: what another process on the folder would hold.
  const other = openDatabase(file).db;
  const clusters = new ClustersRepo(mine);
  clusters.insert(PROFILE, 1000);
  return {
    mine, other, clusters, settings: new SettingsRepo(mine), otherClusters: new ClustersRepo(other), otherSettings: new SettingsRepo(other),
    close() {
      other.close();
      mine.close();
      dir.remove();
    },
  };
}

test("another connection's commit is seen on the next read (profile by id and by name, and a setting)", (t) => {
  const s = setting();
  t.after(() => s.close());
  assert.equal(s.clusters.find('c1')?.reachability, 'unknown');
  assert.equal(s.clusters.find('lab')?.base_url, 'http://127.0.0.1:1');
  const chunk = s.settings.current<number>('jobs.chunkSize');
  assert.equal(chunk, settingSpec('jobs.chunkSize')?.default, 'not set: the catalogue default');

  s.otherClusters.recordOutcome('c1', { reachability: 'online', login: 'accepted' });
  s.otherClusters.updateConnection({ ...PROFILE, base_url: 'http://127.0.0.1:2' }, 2000, true);
  s.otherSettings.set('jobs.chunkSize', chunk + 1, 2000);

  assert.equal(s.clusters.find('c1')?.base_url, 'http://127.0.0.1:2');
  assert.equal(s.clusters.find('lab')?.base_url, 'http://127.0.0.1:2');
  assert.equal(s.settings.current<number>('jobs.chunkSize'), chunk + 1);
  s.otherClusters.remove('c1');
  assert.equal(s.clusters.find('c1'), undefined);
});

test("the repo's own writes are read back at once", (t) => {
  const s = setting();
  t.after(() => s.close());
  assert.equal(s.clusters.find('c1')?.token_sealed, null);
  s.clusters.setToken('c1', 1000, 'sealed-token', 'acc', 99);
  assert.equal(s.clusters.find('c1')?.token_sealed, 'sealed-token');
  assert.equal(s.clusters.recordOutcome('c1', { reachability: 'offline', lastErrorJson: '{"code":"unreachable"}' }), true);
  assert.equal(s.clusters.find('c1')?.reachability, 'offline');
  assert.equal(s.clusters.find('c1')?.last_error_json, '{"code":"unreachable"}');
  s.settings.set('jobs.chunkSize', 123, 1);
  assert.equal(s.settings.current<number>('jobs.chunkSize'), 123);
  s.settings.remove('jobs.chunkSize');
  assert.notEqual(s.settings.current<number>('jobs.chunkSize'), 123);
});

test('a row read inside a transaction that rolls back is not kept', (t) => {
  const s = setting();
  t.after(() => s.close());
  assert.equal(s.clusters.find('c1')?.reachability, 'unknown');
  assert.throws(() =>
    s.mine.transaction(() => {
      s.clusters.recordOutcome('c1', { reachability: 'online' });
      assert.equal(s.clusters.find('c1')?.reachability, 'online');
      throw new Error('undone');
    })(),
  );
  assert.equal(s.clusters.find('c1')?.reachability, 'unknown');
});

test('a kept profile is shared read-only: a caller cannot change what the next one reads', (t) => {
  const s = setting();
  t.after(() => s.close());
  const row = s.clusters.find('c1')!;
  assert.throws(() => {
    (row as { reachability: string }).reachability = 'online';
  }, TypeError);
  assert.equal(s.clusters.find('c1')?.reachability, 'unknown');
});

test('a reply that changes nothing on the profile writes nothing; one that does is written (its change event follows)', (t) => {
  const s = setting();
  t.after(() => s.close());
  const changes = () => s.mine.prepare('SELECT total_changes() AS n').get() as { n: number };
  assert.equal(s.clusters.recordOutcome('c1', { reachability: 'online', login: 'accepted', profileAt: 1000 }), true);
  const before = changes().n;
  assert.equal(s.clusters.recordOutcome('c1', { reachability: 'online', profileAt: 1000 }), false);
  assert.equal(s.clusters.recordOutcome('c1', { reachability: 'online', login: 'accepted', lastErrorJson: null }), false);
  assert.equal(changes().n, before);
  // An outcome for an older version of the profile is dropped, as the update's own condition drops it.
  assert.equal(s.clusters.recordOutcome('c1', { reachability: 'offline', profileAt: 999 }), false);
  assert.equal(s.clusters.find('c1')?.reachability, 'online');
  assert.equal(s.clusters.recordOutcome('c1', { reachability: 'online', login: 'refused' }), true);
  assert.equal(s.clusters.find('c1')?.login, 'refused');
});
