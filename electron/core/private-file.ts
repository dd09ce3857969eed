// A new file only its owner can read (0600), written whole and flushed before it is used: the secret key file and the
// CLI's exports holding secrets are made this way (then linked or renamed into place).
import { closeSync, fsyncSync, openSync, writeFileSync } from 'node:fs';

/** Fails (EEXIST) if path exists: a new file is never one someone else prepared. */
export function writeNewPrivateFile(path: string, data: string | Buffer): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeFileSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
