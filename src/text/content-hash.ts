/**
 * An item's content hash: what makes two messages "the same" for dedupe (two members' exports of one group,
 * the same file uploaded with other bytes). It is stored, so its value must never change for the same
 * message: `timeKey(at) + hash128Of(head, dedupeForm(text))`. `contentHash` computes exactly that, faster.
 */
import { HASH128_PRIMES, finishHash128, hash128Lanes, hash128Of } from '../crypto/fast-hash';

const PSEUDONYM_LABEL = /\bP-[0-9A-Z]{6}\b/g;

/**
 * The minute of an item as the head of its content hash: `2022-03-18T14:56:01` → `202203181456`, '' when
 * unknown. A chat's messages come in time order, so their hashes go into the (consultation, hash) index at
 * its end instead of at random places, which keeps an upload's index writes in a few pages (a 100k-message
 * upload wrote about a quarter faster). Migration 0004 gave existing hashes the same head, in SQL.
 */
export function timeKey(at: string | null): string {
  if (!at) return '';
  // The usual shape, without a regex: YYYY-MM-DDTHH:MM…
  if (at.length >= 16 && at.charCodeAt(4) === 45 && at.charCodeAt(7) === 45 && at.charCodeAt(10) === 84 && at.charCodeAt(13) === 58 && digitsAt(at, [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15])) {
    return at.slice(0, 4) + at.slice(5, 7) + at.slice(8, 10) + at.slice(11, 13) + at.slice(14, 16);
  }
  return at.slice(0, 16).replace(/[-T:]/g, '');
}

function digitsAt(s: string, positions: readonly number[]): boolean {
  for (const i of positions) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * The text as compared for dedupe: labels neutralised (two members' exports can name the same person
 * differently), case and runs of white space folded. Parsers have already removed invisible marks.
 * This is the definition; `contentHash` hashes the same form without building it.
 */
export function dedupeForm(text: string): string {
  const unlabelled = text.includes('P-') ? text.replace(PSEUDONYM_LABEL, 'P') : text;
  return (needsSpaceFolding(unlabelled) ? unlabelled.replace(/\s+/g, ' ') : unlabelled).toLowerCase();
}

/** Whether `s` has two white-space characters in a row or one other than a space: `/\s\s|[\t\n\r\f\v]/`, as a loop (a third of the regex's time). */
function needsSpaceFolding(s: string): boolean {
  let previous = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 32 && c < 0xa0) {
      previous = false;
      continue;
    }
    if (c >= 9 && c <= 13) return true;
    const space = c === 32 || isOtherSpace(c);
    if (space && previous) return true;
    previous = space;
  }
  return false;
}

/** JavaScript's \s beyond ASCII. */
function isOtherSpace(c: number): boolean {
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * `timeKey(at) + hash128Of(head, dedupeForm(text))`, in one pass over the text in the usual case: labels,
 * case and spaces are folded unit by unit as they are hashed, so the folded copy of every message (and the
 * two scans that made it) is never built. A text the single pass cannot fold exactly on its own goes the
 * long way: white space that needs folding (whether a lone NBSP is kept depends on the rest of the text),
 * and characters whose lower case is not one unit of their own (İ, Σ, which depends on its neighbours).
 */
export function contentHash(at: string | null, head: string, text: string): string {
  return timeKey(at) + (foldedHash(head, text) ?? hash128Of(head, dedupeForm(text)));
}

const [P1, P2, P3, P4] = HASH128_PRIMES;

/** hash128Of(head, dedupeForm(text)), or null when `text` needs the long way (see contentHash). */
function foldedHash(head: string, text: string): string | null {
  const lanes = hash128Lanes(head);
  let h1 = lanes[0] ?? 0;
  let h2 = lanes[1] ?? 0;
  let h3 = lanes[2] ?? 0;
  let h4 = lanes[3] ?? 0;
  let folded = 0;
  let previousSpace = false;
  /** The low half of a surrogate pair comes next and is hashed as it is. */
  let pairLow = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      if (c <= 32) {
        if (c !== 32) return null;
        if (previousSpace) return null;
        previousSpace = true;
      } else {
        previousSpace = false;
        if (c >= 65 && c <= 90) {
          // A label (P-XXXXXX between word boundaries) is hashed as the "p" it folds to.
          if (c === 80 && isLabelAt(text, i)) i += 7;
          c += 32;
        }
      }
    } else {
      let lower = LOWER[c] ?? 0;
      if (lower === 0) lower = lowerAt(c);
      if (lower === SPACE) {
        if (previousSpace) return null;
        previousSpace = true;
      } else if (lower === SURROGATE) {
        // A pair whose code point has no other lower case (emoji, most letters outside the BMP) hashes as it
        // is: its high half now, its low half on the next turn. A half on its own, or a cased pair, cannot.
        if (pairLow) pairLow = false;
        else {
          const cp = text.codePointAt(i) ?? c;
          if (cp <= 0xffff || !isUncased(cp)) return null;
          pairLow = true;
        }
        previousSpace = false;
      } else if (lower === SPECIAL) {
        return null;
      } else {
        previousSpace = false;
        c = lower;
      }
    }
    h1 = Math.imul(h1 ^ c, P1);
    h2 = Math.imul(h2 ^ c, P2);
    h3 = Math.imul(h3 ^ c, P3);
    h4 = Math.imul(h4 ^ c, P4);
    folded++;
  }
  return finishHash128(h1, h2, h3, h4, head.length + folded);
}

/** Whether text[i..] starts a pseudonym label that PSEUDONYM_LABEL matches there: `\bP-[0-9A-Z]{6}\b`. */
function isLabelAt(text: string, i: number): boolean {
  if (text.charCodeAt(i + 1) !== 45 || i + 8 > text.length) return false;
  if (i > 0 && isWordUnit(text.charCodeAt(i - 1))) return false;
  for (let k = i + 2; k < i + 8; k++) {
    const c = text.charCodeAt(k);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90))) return false;
  }
  return i + 8 === text.length || !isWordUnit(text.charCodeAt(i + 8));
}

/** A character \b counts as part of a word (without the u flag): [A-Za-z0-9_]. */
function isWordUnit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

// LOWER[c] for a unit ≥ 0x80: its lower case when that is one unit and needs no context, or one of the marks
// below. Filled one 256-unit page at a time on first sight; 0 means not filled yet (no unit ≥ 0x80 lowers to 0).
const SPACE = 1;
const SURROGATE = 2;
const SPECIAL = 3;
const LOWER = new Uint16Array(0x10000);

function lowerAt(c: number): number {
  const page = c & 0xff00;
  for (let u = Math.max(page, 0x80); u < page + 256; u++) LOWER[u] = lowerOf(u);
  return LOWER[c] ?? SPECIAL;
}

function lowerOf(u: number): number {
  if (isOtherSpace(u)) return SPACE;
  if (u >= 0xd800 && u <= 0xdfff) return SURROGATE;
  // Σ lowers to σ or to ς depending on the letters around it.
  if (u === 0x03a3) return SPECIAL;
  const lower = String.fromCharCode(u).toLowerCase();
  const l = lower.charCodeAt(0);
  // A lower case of two units (İ → i̇), or one the marks above would be mistaken for.
  return lower.length === 1 && l > SPECIAL ? l : SPECIAL;
}

/** Code points outside the BMP whose lower case is themselves, as found so far (emoji recur). */
const UNCASED = new Map<number, boolean>();

function isUncased(cp: number): boolean {
  let known = UNCASED.get(cp);
  if (known === undefined) {
    const ch = String.fromCodePoint(cp);
    known = ch.toLowerCase() === ch;
    UNCASED.set(cp, known);
  }
  return known;
}
