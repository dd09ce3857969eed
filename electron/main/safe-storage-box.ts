// The desktop app's SecretBox: Electron safeStorage (the OS keychain) through KeychainBox, or the key file where the
// OS offers no real keychain.
import { safeStorage } from 'electron';
import type { SecretBox } from '../core/secrets/secret-box.ts';
import { FileKeyBox } from '../core/secrets/file-key-box.ts';
import { KeychainBox } from '../core/secrets/keychain-box.ts';

/** safeStorage is only worth using when the OS offers a real keychain; else the key file is as strong. */
export function createDesktopSecretBox(dataDir: string): SecretBox {
  const weakLinux = process.platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text';
  const fileBox = new FileKeyBox(dataDir);
  return safeStorage.isEncryptionAvailable() && !weakLinux ? new KeychainBox(safeStorage, fileBox) : fileBox;
}
