/**
 * One-time voter codes: 140 random bits written as 28 Crockford base32 symbols in groups of four
 * (`K7QF-2M9X-…`). Crockford's alphabet has no I, L, O or U, so a code read aloud or copied from paper
 * survives the usual mix-ups; reading maps o→0 and i/l→1 and ignores case, spaces and dashes.
 * Pure: the random bytes are passed in.
 */
import { asciiDigits } from '../text/clean';

export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_SYMBOLS = 28;
/** 5 bits per symbol: comfortably over the 128 bits asked for. */
export const CODE_BITS = CODE_SYMBOLS * 5;
/** Random bytes one code takes (the last 4 bits of the 144 are dropped). */
export const CODE_BYTES = Math.ceil(CODE_BITS / 8);
const GROUP = 4;

/**
 * A printable code from `CODE_BYTES` random bytes: `encodeVoterCode(new Uint8Array(18))` →
 * `"0000-0000-0000-0000-0000-0000-0000"`.
 */
export function encodeVoterCode(bytes: Uint8Array): string {
  if (bytes.length < CODE_BYTES) throw new RangeError(`a voter code needs ${CODE_BYTES} random bytes, got ${bytes.length}`);
  let symbols = '';
  let buffer = 0;
  let bits = 0;
  for (let i = 0; symbols.length < CODE_SYMBOLS; i++) {
    buffer = ((buffer << 8) | (bytes[i] ?? 0)) & 0xffff;
    bits += 8;
    while (bits >= 5 && symbols.length < CODE_SYMBOLS) {
      bits -= 5;
      symbols += CODE_ALPHABET[(buffer >> bits) & 31];
    }
  }
  return groupCode(symbols);
}

/**
 * The canonical form of what a voter typed, or null when it cannot be a code:
 * `normaliseVoterCode(" k7qf 2m9x-…")` → `"K7QF2M9X…"`; `o` reads as 0 and `i`/`l` as 1.
 */
export function normaliseVoterCode(input: string): string | null {
  // NFKC folds full-width letters and digits (typed on a Japanese keyboard) to ASCII.
  const folded = asciiDigits(input.normalize('NFKC'))
    .toUpperCase()
    .replace(/[\s\-_.\u2010-\u2015\u2212]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (folded.length !== CODE_SYMBOLS) return null;
  for (const ch of folded) if (!CODE_ALPHABET.includes(ch)) return null;
  return folded;
}

/** `groupCode("K7QF2M9X")` → `"K7QF-2M9X"`: the printed form of a normalised code. */
export function groupCode(normalised: string): string {
  const groups: string[] = [];
  for (let i = 0; i < normalised.length; i += GROUP) groups.push(normalised.slice(i, i + GROUP));
  return groups.join('-');
}
