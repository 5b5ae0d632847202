import { createHmac, timingSafeEqual } from 'node:crypto';

// Baton signs the state it keeps in the workspace's `.baton/` and must be able to trust later
// (checkpoint manifests, a proposal waiting for review) with HMAC-SHA256 under the workspace's
// SigningKey. `.baton/` can come with the repository: only what verifies was written by Baton on
// this machine for this folder. The purpose is signed too, so a signature made for one kind of
// state is never valid for another.

const SIGNATURE = /^[0-9a-f]{64}$/;

export function stateSignature(purpose: string, body: string, key: Uint8Array): string {
  return createHmac('sha256', key).update(`${purpose}\n`).update(body).digest('hex');
}

/** True when `signature` is the signature of `body` for `purpose` under `key` (compared in constant time). */
export function isValidStateSignature(purpose: string, body: string, signature: unknown, key: Uint8Array): boolean {
  if (typeof signature !== 'string' || !SIGNATURE.test(signature)) return false;
  return timingSafeEqual(Buffer.from(signature, 'hex'), Buffer.from(stateSignature(purpose, body, key), 'hex'));
}
