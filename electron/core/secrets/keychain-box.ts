// SecretBox of the desktop app: the OS keychain (Electron safeStorage, given as a StringEncryptor so this module stays
// plain Node). Values sealed by the browser host or the CLI (key file) are still opened, so a data folder can be shared
// between hosts; the reverse does not hold (the CLI cannot reach the keychain) and reads those secrets as missing.
import type { FileKeyBox } from './file-key-box.ts';
import { SecretUnavailableError, type SecretBox } from './secret-box.ts';

/** What Electron's safeStorage offers. */
export interface StringEncryptor {
  encryptString(plaintext: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export const KEYCHAIN_PREFIX = 'ss1:';

export class KeychainBox implements SecretBox {
  readonly kind = 'safe-storage';

  constructor(
    private readonly keychain: StringEncryptor,
    private readonly fileBox: FileKeyBox,
  ) {}

  get createdKey(): boolean {
    return this.fileBox.createdKey;
  }

  /** References come from the key file, which every host has, so they match whichever host made the output. */
  ref(plaintext: string): string {
    return this.fileBox.ref(plaintext);
  }

  seal(plaintext: string): string {
    return KEYCHAIN_PREFIX + this.keychain.encryptString(plaintext).toString('base64');
  }

  open(sealed: string): string {
    if (!sealed.startsWith(KEYCHAIN_PREFIX)) return this.fileBox.open(sealed);
    try {
      return this.keychain.decryptString(Buffer.from(sealed.slice(KEYCHAIN_PREFIX.length), 'base64'));
    } catch {
      throw new SecretUnavailableError();
    }
  }
}
