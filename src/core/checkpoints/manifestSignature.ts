import { isValidStateSignature, stateSignature } from '../security/stateSignature';

// Baton signs every checkpoint manifest it writes (HMAC-SHA256 with the workspace's SigningKey),
// over the manifest's JSON without its signature field. A manifest without a valid signature was
// not written by Baton on this machine for this folder: it is listed as foreign, never restored,
// and nothing in it (its sequence, what it claims to revert) counts.

const PURPOSE = 'baton checkpoint manifest';

export function manifestSignature(body: string, key: Uint8Array): string {
  return stateSignature(PURPOSE, body, key);
}

/** True when `signature` is the signature of `body` under `key` (compared in constant time). */
export function isValidSignature(body: string, signature: unknown, key: Uint8Array): boolean {
  return isValidStateSignature(PURPOSE, body, signature, key);
}
