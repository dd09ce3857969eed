// SecretBox for the browser host and the CLI: AES-256-GCM with a random key kept in a 0600 file in the data dir.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeSync, chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SecretUnavailableError, type SecretBox } from './secret-box.ts';

const KEY_FILE = 'secret.key';
const PREFIX = 'gcm1:';

export class FileKeyBox implements SecretBox {
  readonly kind = 'file-key';
  private readonly key: Buffer;

  constructor(dataDir: string) {
    this.key = loadOrCreateKey(join(dataDir, KEY_FILE));
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

function loadOrCreateKey(path: string): Buffer {
  try {
    const key = readFileSync(path);
    if (key.length !== 32) throw new Error(`The secret key file ${path} is damaged (expected 32 bytes). Move it away to start with new credentials.`);
    // Tighten permissions if someone loosened them.
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    return key;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const key = randomBytes(32);
  try {
    // 'wx': never overwrite a key another process created a moment ago.
    const fd = openSync(path, 'wx', 0o600);
    try {
      writeSync(fd, key);
    } finally {
      closeSync(fd);
    }
    return key;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(path);
    throw e;
  }
}
