// The placeholders that stand in a document where a secret is not shown or not known. Shared by the core (masking,
// exports, checks) and the renderer's password fields, so both read a placeholder the same way.

/** A masked secret in output. `***#` + a reference (12 hex) when saving the document back should keep that secret. */
export const SECRET_MASK = '***';
/** Written in place of a secret by an export without secrets (and where a masked secret could not be matched). */
export const SECRET_OMITTED = '__carrier_desk_secret_omitted__';
/** Stands for a stored secret this machine cannot decrypt (the key changed, or another host's keychain sealed it). */
export const SECRET_UNREADABLE = '__carrier_desk_secret_unreadable__';

const MASK = /^\*\*\*(?:#([0-9a-f]{12}))?$/;

/** '***' or '***#ref': a secret shown masked. */
export function isSecretMask(v: unknown): v is string {
  return typeof v === 'string' && MASK.test(v);
}

/** The reference of a '***#ref' mask (null for a plain '***'). */
export function maskRef(v: string): string | null {
  return MASK.exec(v)?.[1] ?? null;
}

/** A placeholder for a secret that is not there: left out of an export, or not decryptable here. */
export function isMissingSecret(v: unknown): v is string {
  return v === SECRET_OMITTED || v === SECRET_UNREADABLE;
}
