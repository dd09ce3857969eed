// A stand-in app host for tests: opens the data folder given as argv[2] the way an app host does (taking the
// app-host lock), prints "locked", and waits to be killed.
import { createCore } from '../../electron/core/index.ts';
import { FileKeyBox } from '../../electron/core/secrets/file-key-box.ts';

const dataDir = process.argv[2]!;
createCore({ dataDir, secrets: new FileKeyBox(dataDir), host: 'browser', appHost: 'browser' });
process.stdout.write('locked\n');
setInterval(() => {}, 60_000);
