// The secrets interface: seal a secret before it touches SQLite, open it when it is needed.
// Two implementations: Electron safeStorage (keychain-box.ts, wired in electron/main) and a key file (file-key-box.ts).
import { AppError } from '../errors.ts';
import { redactor } from './redactor.ts';

export interface SecretBox {
  /** Which implementation sealed the data ('safe-storage' | 'file-key'); stored beside nothing, for diagnostics. */
  readonly kind: string;
  /**
   * True when this box made a new key file because none was there: secrets sealed with the old key (if any were
   * saved) can no longer be opened, and the core says so once (see createCore).
   */
  readonly createdKey?: boolean;
  /** Returns an opaque, printable string that does not contain the secret. */
  seal(plaintext: string): string;
  /** Reverses seal(); throws SecretUnavailableError when the data cannot be opened with this box. */
  open(sealed: string): string;
  /**
   * A short reference to a secret (12 hex), the same every time for the same secret in this data folder and telling
   * nothing about it without the key: masked outputs carry it so a copy saved back keeps that secret.
   */
  ref(plaintext: string): string;
}

export class SecretUnavailableError extends AppError {
  constructor() {
    super('secret_unavailable', 'A stored secret cannot be decrypted on this machine (the key changed). Enter the credentials again.');
  }
}

/** Opens a sealed value and registers the plaintext with the redactor, so it can never be logged. */
export function openAndGuard(box: SecretBox, sealed: string): string {
  const plain = box.open(sealed);
  redactor.add(plain);
  return plain;
}
