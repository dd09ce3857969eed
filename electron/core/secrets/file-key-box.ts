// SecretBox for the browser host and the CLI: AES-256-GCM with a random key kept in a 0600 file in the data dir.
// A key file that cannot be used is one clear error naming the file and what to do; a missing one is made anew
// (createdKey), and the core then says once which saved secrets became unreadable.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fstatSync, linkSync, openSync, readSync, rmSync } from 'node:fs';
import { writeNewPrivateFile } from '../private-file.ts';
import { join } from 'node:path';
import { AppError } from '../errors.ts';
import { SecretUnavailableError, type SecretBox } from './secret-box.ts';

export const KEY_FILE = 'secret.key';
const KEY_BYTES = 32;
/** How values sealed by this box start. */
export const FILE_KEY_PREFIX = 'gcm1:';
const PREFIX = FILE_KEY_PREFIX;

/** The key file exists but cannot be used; nothing was changed. */
export class SecretKeyFileError extends AppError {
  constructor(message: string, path: string, cause?: string) {
    super('secret_key_unreadable', message, { path, ...(cause ? { cause } : {}) });
  }
}

export class FileKeyBox implements SecretBox {
  readonly kind = 'file-key';
  readonly createdKey: boolean;
  private readonly key: Buffer;
  private readonly refKey: Buffer;

  constructor(dataDir: string) {
    const { key, created } = loadOrCreateKey(join(dataDir, KEY_FILE));
    this.key = key;
    this.createdKey = created;
    // A key of its own for references, derived from the file key, so a reference never exposes the sealing key.
    this.refKey = createHmac('sha256', key).update('carrier-desk secret reference/1').digest();
  }

  ref(plaintext: string): string {
    return createHmac('sha256', this.refKey).update(plaintext, 'utf8').digest('hex').slice(0, 12);
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  open(sealed: string): string {
    if (!sealed.startsWith(PREFIX)) throw new SecretUnavailableError();
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretUnavailableError();
    }
  }
}

const NEW_KEY = 'to start with a new key (saved passwords and API keys then have to be entered again)';
const START_AFRESH = `or move it away ${NEW_KEY}`;
const MOVE_AWAY = `Move it away ${NEW_KEY}`;

function loadOrCreateKey(path: string): { key: Buffer; created: boolean } {
  const existing = readKey(path);
  if (existing) return { key: existing, created: false };
  const key = randomBytes(KEY_BYTES);
  // Written whole to a private temporary file, then linked into place: another process starting at the same moment
  // sees either no key file or a complete one, and link() never replaces a key that appeared meanwhile.
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeNewPrivateFile(tmp, key);
    linkSync(tmp, path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const other = code === 'EEXIST' ? readKey(path) : null;
    if (other) return { key: other, created: false };
    throw new SecretKeyFileError(`Cannot create the secret key file ${path} (${reason(code)}). Check that the data folder is yours and writable.`, path, code);
  } finally {
    rmSync(tmp, { force: true });
  }
  return { key, created: true };
}

/** The key in the file, or null when there is no file; every other problem is a SecretKeyFileError. */
function readKey(path: string): Buffer | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'EISDIR') throw new SecretKeyFileError(`${path} is a folder, not the secret key file. ${MOVE_AWAY}.`, path, code);
    throw new SecretKeyFileError(`Cannot read the secret key file ${path} (${reason(code)}). It must belong to the user running Carrier Desk and be readable by it (chmod 600), ${START_AFRESH}.`, path, code);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new SecretKeyFileError(`${path} is a folder, not the secret key file. ${MOVE_AWAY}.`, path, 'EISDIR');
    if (!st.isFile()) throw new SecretKeyFileError(`${path} is not a regular file, so it cannot be the secret key file. ${MOVE_AWAY}.`, path);
    const key = Buffer.alloc(KEY_BYTES + 1);
    let got = 0;
    try {
      for (let n = 1; n > 0 && got < key.length; got += n) n = readSync(fd, key, got, key.length - got, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new SecretKeyFileError(`Cannot read the secret key file ${path} (${reason(code)}). Restore it from a backup, ${START_AFRESH}.`, path, code);
    }
    if (got !== KEY_BYTES) {
      throw new SecretKeyFileError(
        `The secret key file ${path} is damaged (${got > KEY_BYTES ? 'longer than' : `${got} bytes instead of`} ${KEY_BYTES} bytes). Restore it from a backup, ${START_AFRESH}.`,
        path,
      );
    }
    // Tighten permissions if someone loosened them; a key others can read and we cannot fix is refused (like ssh).
    if ((st.mode & 0o077) !== 0) {
      try {
        chmodSync(path, 0o600);
      } catch (e) {
        throw new SecretKeyFileError(
          `The secret key file ${path} can be read by other users and Carrier Desk cannot make it private (${reason((e as NodeJS.ErrnoException).code)}). Its owner must run: chmod 600 ${path}`,
          path,
          (e as NodeJS.ErrnoException).code,
        );
      }
    }
    return key.subarray(0, KEY_BYTES);
  } finally {
    closeSync(fd);
  }
}

function reason(code: string | undefined): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the disk is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'EIO':
      return 'a disk error';
    default:
      return code ?? 'unknown error';
  }
}
