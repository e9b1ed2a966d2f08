/** Hashing and random helpers that run the same on Node and Workers (Web Crypto; node:crypto, which Workers have with nodejs_compat). */
import { createHash } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

const encoder = new TextEncoder();

/**
 * SHA-256 of bytes as hex, for upload identity: `await sha256Hex(bytes)`. node:crypto hashes the bytes where
 * they are: ~22 ms for a 35 MB upload here (SHA-NI), on the calling thread. Web Crypto's digest hashed on
 * another thread but first copied the bytes on this one (~25 ms), and that copy, as large as the upload,
 * stayed allocated until its job object was collected.
 */
export async function sha256Hex(data: Uint8Array<ArrayBuffer> | string): Promise<string> {
  return createHash('sha256').update(data).digest('hex');
}

/** Synchronous SHA-256 hex of a short string; used per item where awaiting each digest would cost. */
export function sha256HexSync(s: string): string {
  return bytesToHex(sha256(encoder.encode(s)));
}

/** `n` random bytes as base64url: `randomToken(32)`. */
export function randomToken(n = 32): string {
  const b = crypto.getRandomValues(new Uint8Array(n));
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Compares two strings in time independent of where they differ. */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
