// A store holding one 1,000,000-row number list, built once per run through the real import and shared by the
// benches that need it (ui, startup): in BENCH_SHARED_DIR when the runner gives one (benches run in separate
// processes), else in a temp folder removed by cleanupFixtures().
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { must, openCore, tempDir } from './core.ts';

export interface MillionStore {
  dataDir: string;
  listName: string;
  listId: string;
  rows: number;
  importMs: number;
}

let building: Promise<MillionStore> | null = null;
let builtRows = 0;
const dirs: { remove(): void }[] = [];

/** US numbers in a few written forms, ~1% not numbers: the shape of a real export. */
async function writeCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('name,phone\n');
  let buf = '';
  for (let i = 0; i < rows; i++) {
    const d = String(2122000000 + i);
    const phone = i % 100 === 99 ? 'n/a' : i % 3 === 0 ? `+1${d}` : i % 3 === 1 ? d : `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`;
    buf += `Customer ${i},${phone}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

async function build(rows: number, log: (l: string) => void): Promise<MillionStore> {
  const shared = process.env.BENCH_SHARED_DIR;
  let dir: { path: string; remove(): void };
  if (shared) {
    dir = { path: join(shared, `million-${rows}`), remove: () => undefined };
    const marker = join(dir.path, 'ready.json');
    if (existsSync(marker)) return JSON.parse(readFileSync(marker, 'utf8')) as MillionStore;
    rmSync(dir.path, { recursive: true, force: true });
    mkdirSync(dir.path, { recursive: true });
  } else {
    dir = tempDir('million');
    dirs.push(dir);
  }
  const csv = join(dir.path, 'numbers.csv');
  log(`fixture: writing a ${rows.toLocaleString('en-US')}-row CSV and importing it`);
  await writeCsv(csv, rows);
  const dataDir = join(dir.path, 'data');
  const core = openCore(dataDir);
  try {
    const t0 = performance.now();
    await must(core, 'numbers.import', { name: 'million', path: csv, country: 'US', wait: true });
    const importMs = performance.now() - t0;
    const list = await must(core, 'numbers.get', { list: 'million' });
    if (list.total !== rows) throw new Error(`fixture: the list holds ${list.total} rows, expected ${rows}`);
    const store: MillionStore = { dataDir, listName: 'million', listId: list.id, rows, importMs };
    if (shared) writeFileSync(join(dir.path, 'ready.json'), JSON.stringify(store));
    return store;
  } finally {
    await core.close();
    rmSync(csv, { force: true });
  }
}

/** The shared store (built on first use; a later call with another size builds again). */
export function millionStore(rows: number, log: (l: string) => void = () => undefined): Promise<MillionStore> {
  if (!building || builtRows !== rows) {
    builtRows = rows;
    building = build(rows, log);
  }
  return building;
}

export function cleanupFixtures(): void {
  for (const d of dirs.splice(0)) d.remove();
  building = null;
}
