// SecretBox of the desktop app: Electron safeStorage (OS keychain). Values sealed by the browser host or
// the CLI (key file) are still opened, so a data folder can be shared between hosts.
import { safeStorage } from 'electron';
import type { SecretBox } from '../core/secrets/secret-box.ts';
import { SecretUnavailableError } from '../core/secrets/secret-box.ts';
import { FileKeyBox } from '../core/secrets/file-key-box.ts';

const PREFIX = 'ss1:';

export class SafeStorageBox implements SecretBox {
  readonly kind = 'safe-storage';
  private readonly fileBox: FileKeyBox;

  constructor(dataDir: string) {
    this.fileBox = new FileKeyBox(dataDir);
  }

  seal(plaintext: string): string {
    return PREFIX + safeStorage.encryptString(plaintext).toString('base64');
  }

  open(sealed: string): string {
    if (!sealed.startsWith(PREFIX)) return this.fileBox.open(sealed);
    try {
      return safeStorage.decryptString(Buffer.from(sealed.slice(PREFIX.length), 'base64'));
    } catch {
      throw new SecretUnavailableError();
    }
  }
}

/** safeStorage is only worth using when the OS offers a real keychain; else the key file is as strong. */
export function createDesktopSecretBox(dataDir: string): SecretBox {
  const weakLinux = process.platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text';
  return safeStorage.isEncryptionAvailable() && !weakLinux ? new SafeStorageBox(dataDir) : new FileKeyBox(dataDir);
}
