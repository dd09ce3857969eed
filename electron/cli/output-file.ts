// Files the CLI writes for the user (exports, saved plans): a clear one-line error instead of a raw errno, and files
// holding secrets made private (0600) whether or not the file existed before.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { writeNewPrivateFile } from '../core/private-file.ts';
import { randomBytes } from 'node:crypto';
import { dirname, join, basename } from 'node:path';
import { CliExit, EXIT_FAILED } from './runtime.ts';

/**
 * Writes text to path. With `secret`, the text goes to a new 0600 file beside it that then replaces path: the secrets
 * are never in a file others can read (an existing file's looser mode is not kept, and a reader holding the old file
 * open never sees them). Otherwise an existing file keeps its mode and a new one gets the usual one (umask).
 */
export function writeOutputFile(path: string, text: string, opts: { secret?: boolean } = {}): void {
  try {
    if (!opts.secret) return writeFileSync(path, text);
    const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      writeNewPrivateFile(tmp, text);
      renameSync(tmp, path);
    } finally {
      rmSync(tmp, { force: true });
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'EACCES' || err.code === 'EPERM' ? 'permission denied' : err.code === 'EISDIR' ? 'it is a folder' : err.code === 'ENOENT' ? 'its folder does not exist' : err.code === 'ENOSPC' ? 'the disk is full' : (err.code ?? err.message);
    throw new CliExit(EXIT_FAILED, `Cannot write ${path} (${why}). Nothing was written there.`);
  }
}
