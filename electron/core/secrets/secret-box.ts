// The secrets interface: seal a secret before it touches SQLite, open it when it is needed.
// Two implementations: Electron safeStorage (electron/main/safe-storage-box.ts) and a key file (file-key-box.ts).
import { redactor } from './redactor.ts';

export interface SecretBox {
  /** Which implementation sealed the data ('safe-storage' | 'file-key'); stored beside nothing, for diagnostics. */
  readonly kind: string;
  /** Returns an opaque, printable string that does not contain the secret. */
  seal(plaintext: string): string;
  /** Reverses seal(); throws SecretUnavailableError when the data cannot be opened with this box. */
  open(sealed: string): string;
}

export class SecretUnavailableError extends Error {
  readonly code = 'secret_unavailable';
  constructor() {
    super('A stored secret cannot be decrypted on this machine (the key changed). Enter the credentials again.');
  }
}

/** Opens a sealed value and registers the plaintext with the redactor, so it can never be logged. */
export function openAndGuard(box: SecretBox, sealed: string): string {
  const plain = box.open(sealed);
  redactor.add(plain);
  return plain;
}
