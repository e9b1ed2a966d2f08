/**
 * Identity keys: how a participant is recognised across files before it is pseudonymised.
 * Pure functions; the ingest service turns keys into HMAC pseudonyms.
 */
import { asciiDigits, cleanText } from '../text/clean';

/** Digits of a phone number with `+` for international: `phoneKey("‪+40 521 028 61 88‬")` → `"phone:+40521028618"`. */
export function phoneKey(raw: string): string {
  let s = asciiDigits(cleanText(raw)).trim();
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  const plus = s.startsWith('+') ? '+' : '';
  return `phone:${plus}${s.replace(/\D/g, '')}`;
}

/** True when the string is a phone number and nothing else: `looksLikePhone("+1 (555) 010-2030")` → true. */
export function looksLikePhone(raw: string): boolean {
  const s = asciiDigits(cleanText(raw)).trim();
  if (!/^\+?[\d\s\-().]+$/.test(s)) return false;
  const digits = s.replace(/\D/g, '').length;
  return digits >= 7 && digits <= 15;
}

/** A person's name as a key: `nameKey(" ~ Jane  Doe")` → `"name:jane doe"`. */
export function nameKey(raw: string): string {
  return `name:${displayName(raw).normalize('NFKC').toLowerCase()}`;
}

/** A name as shown, minus WhatsApp's `~` non-contact mark and invisible characters: `"~ Jane"` → `"Jane"`. */
export function displayName(raw: string): string {
  return cleanText(raw).replace(/^\s*~\s*/, '').replace(/\s+/g, ' ').trim();
}

/** Key for a chat author, phone or name: `authorKey("Jane")` → `"name:jane"`. */
export function authorKey(raw: string): string {
  return looksLikePhone(raw) ? phoneKey(raw) : nameKey(raw);
}

/** Key for an email address: `emailKey("A@B.org")` → `"email:a@b.org"`. */
export function emailKey(raw: string): string {
  return `email:${cleanText(raw).trim().toLowerCase()}`;
}
