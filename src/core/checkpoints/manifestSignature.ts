import { createHmac, timingSafeEqual } from 'node:crypto';

// Baton signs every checkpoint manifest it writes (HMAC-SHA256 with the workspace's SigningKey),
// over the manifest's JSON without its signature field. A manifest without a valid signature was
// not written by Baton on this machine for this folder: it is listed as foreign, never restored,
// and nothing in it (its sequence, what it claims to revert) counts.

// Keeps these signatures from being valid for anything else signed with the same key.
const PURPOSE = 'baton checkpoint manifest\n';
const SIGNATURE = /^[0-9a-f]{64}$/;

export function manifestSignature(body: string, key: Uint8Array): string {
  return createHmac('sha256', key).update(PURPOSE).update(body).digest('hex');
}

/** True when `signature` is the signature of `body` under `key` (compared in constant time). */
export function isValidSignature(body: string, signature: unknown, key: Uint8Array): boolean {
  if (typeof signature !== 'string' || !SIGNATURE.test(signature)) return false;
  return timingSafeEqual(Buffer.from(signature, 'hex'), Buffer.from(manifestSignature(body, key), 'hex'));
}
