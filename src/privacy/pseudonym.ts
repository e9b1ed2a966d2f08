/**
 * Keyed pseudonyms for participants, on Web Crypto only (`crypto.subtle`) so the same code runs on
 * Cloudflare Workers and Node 20.
 *
 * Why keyed: identity keys are guessable (a phone number has ~30 bits of entropy), so a plain hash
 * could be reversed by enumeration. The HMAC key is derived from a server secret that never leaves
 * the server and a per-consultation salt, so the same person gets unrelated pseudonyms in two
 * consultations and nobody without the secret can test a guess.
 *
 * Labels: 6 Crockford base32 characters = 30 bits. Birthday odds of at least one label collision in
 * one consultation are about n² / 2³¹: 0.05 % for 1,000 participants, 4.6 % for 10,000. The full `id`
 * (64 hex) is what identifies a participant; the label is only for people reading the text. A store
 * that must keep labels unique within a consultation can ask `labelFromId(id, 8)` for the colliding one.
 */
import { AppError } from '../errors';

export interface Pseudonym {
  /** 64 hex characters: HMAC-SHA256(consultation key, identity key). */
  id: string;
  /** Short human label, `P-` and 6 Crockford base32 characters, e.g. `P-3F9K2A`. */
  label: string;
}

const encoder = new TextEncoder();
const HMAC = { name: 'HMAC', hash: 'SHA-256' } as const;
/** Crockford's alphabet: no I, L, O, U, so labels are not misread and rarely spell words. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Below this, a secret could be brute-forced together with guessable identity keys. */
const MIN_SECRET_BYTES = 16;

function toBytes(s: Uint8Array | string): Uint8Array<ArrayBuffer> {
  return typeof s === 'string' ? encoder.encode(s) : new Uint8Array(s);
}

function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16);
  return s;
}

async function hmac(key: CryptoKey, data: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(data)));
}

/**
 * HMAC key for one consultation: HMAC(secret, "pseudonym:" + salt).
 * `await derivePseudonymKey(env.PSEUDONYM_SECRET, consultation.pseudonymSalt)`
 */
export async function derivePseudonymKey(secret: Uint8Array | string, consultationSalt: string): Promise<CryptoKey> {
  const secretBytes = toBytes(secret);
  if (secretBytes.length < MIN_SECRET_BYTES) {
    throw new AppError(
      'internal',
      `The pseudonym secret is too short (${secretBytes.length} bytes): set PSEUDONYM_SECRET to at least ${MIN_SECRET_BYTES} random bytes.`,
    );
  }
  if (consultationSalt === '') {
    throw new AppError('internal', 'The consultation has no pseudonym salt: pseudonyms would repeat across consultations.');
  }
  const master = await crypto.subtle.importKey('raw', secretBytes, HMAC, false, ['sign']);
  const derived = await hmac(master, `pseudonym:${consultationSalt}`);
  return crypto.subtle.importKey('raw', new Uint8Array(derived), HMAC, false, ['sign']);
}

/** Crockford base32 label from the first bits of a hex id: `labelFromId("c3a1…")` → `"P-RGGY3Q"`. */
export function labelFromId(id: string, length = 6): string {
  let out = 'P-';
  let bits = 0;
  let acc = 0;
  for (let i = 0; i < id.length && out.length < length + 2; i++) {
    acc = (acc << 4) | Number.parseInt(id.charAt(i), 16);
    bits += 4;
    if (bits >= 5) {
      bits -= 5;
      out += CROCKFORD.charAt((acc >> bits) & 31);
      acc &= (1 << bits) - 1;
    }
  }
  return out;
}

/** Pseudonym of one identity key: `await pseudonymFor(key, "phone:+442079460000")` → `{ id: "9c…", label: "P-KE0T3M" }`. */
export async function pseudonymFor(key: CryptoKey, identityKey: string): Promise<Pseudonym> {
  const id = toHex(await hmac(key, identityKey));
  return { id, label: labelFromId(id) };
}

/** Pseudonyms for many identity keys, deduplicated: `(await pseudonymsFor(key, ["name:jane"])).get("name:jane")`. */
export async function pseudonymsFor(key: CryptoKey, keys: string[]): Promise<Map<string, Pseudonym>> {
  const unique = [...new Set(keys)];
  const values = await Promise.all(unique.map((k) => pseudonymFor(key, k)));
  const out = new Map<string, Pseudonym>();
  unique.forEach((k, i) => {
    const v = values[i];
    if (v) out.set(k, v);
  });
  return out;
}

/** A fresh per-consultation salt, 128 random bits as hex: `randomSalt()` → `"5f0c…"` (32 chars). */
export function randomSalt(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(16)));
}
