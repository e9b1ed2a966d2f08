/**
 * Grounding checks for summary points: every quote shown must be a verbatim excerpt of an item the point
 * cites. "Verbatim" allows only what a reader cannot see or would not call a change: Unicode composition
 * (NFC), bidi and zero-width marks, and runs of whitespace. Case, punctuation, spelling and apostrophes
 * must be as written. Pure functions.
 */

export interface PointCandidate {
  text: string;
  citations: readonly number[];
  quote: string;
}

export interface SummaryPoint {
  text: string;
  /** Item ids; the first one is the item the quote comes from. */
  citations: number[];
  /** Normalised (NFC, no invisible marks, single spaces) excerpt of the first cited item. */
  quote: string;
}

export type RejectReason = 'empty-text' | 'no-citations' | 'quote-too-short' | 'quote-not-found' | 'quote-from-uncited-item';

export interface RejectedPoint {
  point: PointCandidate;
  reason: RejectReason;
  /** What was wrong, for logs (contains no item text). */
  message: string;
  /** For 'quote-from-uncited-item': the item the quote does come from. */
  foundIn?: number;
}

export interface ValidationResult {
  kept: SummaryPoint[];
  rejected: RejectedPoint[];
  /** Citations dropped because they named no known item. */
  unknownCitations: number;
}

/** Bidi controls, zero-width characters, word joiners, soft hyphen, BOM, Arabic letter mark. */
const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
/** Scripts written without spaces, where a few characters already make a phrase. */
const NO_SPACE_CHAR = /[\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF]/gu;
const HAS_WORD_CHAR = /[\p{L}\p{N}]/u;

// A quote is long enough with MIN_QUOTE_CHARS characters (code points), or MIN_QUOTE_WORDS words, or
// MIN_QUOTE_NO_SPACE_CHARS characters of a script written without spaces (Japanese, Chinese, Thai), or
// when it is the whole item: a two-word fragment proves little about what someone meant.
export const MIN_QUOTE_CHARS = 12;
export const MIN_QUOTE_WORDS = 3;
export const MIN_QUOTE_NO_SPACE_CHARS = 6;

/** Quote marks a model may wrap around a quote; they are not part of it. */
const WRAPPERS: [string, string][] = [
  ['"', '"'],
  ["'", "'"],
  ['“', '”'],
  ['‘', '’'],
  ['«', '»'],
  ['„', '“'],
  ['‹', '›'],
  ['「', '」'],
  ['『', '』'],
];
const ELLIPSIS = /^(?:\.\.\.|…)\s*|\s*(?:\.\.\.|…)$/g;

/** Normalise for quote matching, keeping case: `normaliseQuote(" a\u200F  b\n")` → `"a b"`. */
export function normaliseQuote(s: string): string {
  return s.normalize('NFC').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/** The quote without surrounding quote marks or leading/trailing ellipses: `unwrapQuote('“Hi there…”')` → `"Hi there"`. */
export function unwrapQuote(normalised: string): string {
  let q = normalised;
  for (let round = 0; round < 2; round++) {
    const before = q;
    for (const [open, close] of WRAPPERS) {
      if (q.length > open.length + close.length && q.startsWith(open) && q.endsWith(close)) {
        q = q.slice(open.length, q.length - close.length).trim();
        break;
      }
    }
    q = q.replace(ELLIPSIS, '').trim();
    if (q === before) break;
  }
  return q;
}

/** Long enough to say something on its own: `quoteLongEnough("grants are late", "…")` → `true`. */
export function quoteLongEnough(normalisedQuote: string, normalisedItem: string): boolean {
  if (normalisedQuote.length === 0) return false;
  if (normalisedQuote === normalisedItem) return true;
  if (!HAS_WORD_CHAR.test(normalisedQuote)) return false;
  if ([...normalisedQuote].length >= MIN_QUOTE_CHARS) return true;
  const words = normalisedQuote.split(' ').filter((w) => HAS_WORD_CHAR.test(w)).length;
  if (words >= MIN_QUOTE_WORDS) return true;
  return (normalisedQuote.match(NO_SPACE_CHAR)?.length ?? 0) >= MIN_QUOTE_NO_SPACE_CHARS;
}

/**
 * The quote as it appears in the item (normalised), or null when it is not a verbatim excerpt long
 * enough to count: `findQuote("grants  are late", "The grants are late again")` → `"grants are late"`.
 */
export function findQuote(quote: string, itemText: string): string | null {
  return findInNormalised(quote, normaliseQuote(itemText));
}

/** True when `quote` is a verbatim excerpt of `itemText`: `quoteMatches("grants are late", "The grants are late")` → `true`. */
export function quoteMatches(quote: string, itemText: string): boolean {
  return findQuote(quote, itemText) !== null;
}

function findInNormalised(quote: string, item: string): string | null {
  const q = normaliseQuote(quote);
  const found = matchOne(q, item);
  if (found !== null) return found;
  const unwrapped = unwrapQuote(q);
  return unwrapped === q ? null : matchOne(unwrapped, item);
}

function matchOne(q: string, item: string): string | null {
  if (!quoteLongEnough(q, item)) return null;
  return item.includes(q) ? q : null;
}

/**
 * Keep only grounded points: citations narrowed to known items (deduplicated), and the quote found in one
 * of the point's own citations, which then comes first. `validatePoints([{text, citations: [2], quote}], items)`.
 */
export function validatePoints(
  points: readonly PointCandidate[],
  items: readonly { id: number; text: string }[],
): ValidationResult {
  const byId = new Map<number, string>();
  for (const item of items) byId.set(item.id, item.text);
  const normalised = new Map<number, string>();
  const norm = (id: number, text: string): string => {
    let n = normalised.get(id);
    if (n === undefined) {
      n = normaliseQuote(text);
      normalised.set(id, n);
    }
    return n;
  };

  const kept: SummaryPoint[] = [];
  const rejected: RejectedPoint[] = [];
  let unknownCitations = 0;

  for (const point of points) {
    const text = normaliseQuote(point.text);
    const citations: number[] = [];
    for (const id of point.citations) {
      if (!byId.has(id)) unknownCitations++;
      else if (!citations.includes(id)) citations.push(id);
    }
    const reject = (reason: RejectReason, message: string, foundIn?: number) =>
      rejected.push(foundIn === undefined ? { point, reason, message } : { point, reason, message, foundIn });
    if (text.length === 0) {
      reject('empty-text', 'the point has no text');
      continue;
    }
    if (citations.length === 0) {
      reject('no-citations', 'the point cites no known item');
      continue;
    }

    let quote: string | null = null;
    let source = -1;
    let tooShort = false;
    for (const id of citations) {
      const itemText = norm(id, byId.get(id) ?? '');
      quote = findInNormalised(point.quote, itemText);
      if (quote !== null) {
        source = id;
        break;
      }
      if (!tooShort) tooShort = isShortExcerpt(point.quote, itemText);
    }
    if (quote !== null) {
      kept.push({ text, citations: [source, ...citations.filter((c) => c !== source)], quote });
      continue;
    }
    if (tooShort) {
      reject('quote-too-short', `the quote is too short: give at least ${MIN_QUOTE_WORDS} words or the whole item`);
      continue;
    }
    const elsewhere = items.find((item) => !citations.includes(item.id) && findInNormalised(point.quote, norm(item.id, item.text)) !== null);
    if (elsewhere) reject('quote-from-uncited-item', `the quote comes from item ${elsewhere.id}, which the point does not cite`, elsewhere.id);
    else reject('quote-not-found', 'the quote is not a verbatim excerpt of any cited item');
  }
  return { kept, rejected, unknownCitations };
}

/** The quote is in the item but too short to count (so the re-ask can say so precisely). */
function isShortExcerpt(quote: string, item: string): boolean {
  const q = normaliseQuote(quote);
  const u = unwrapQuote(q);
  return (q.length > 0 && item.includes(q)) || (u.length > 0 && item.includes(u));
}
