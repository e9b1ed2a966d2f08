/**
 * Text clean-up shared by every parser and by redaction. Pure functions.
 */

/** Bidi controls, BOM, zero-width no-break and isolate marks that exports sprinkle into text. */
const INVISIBLE = /[\uFEFF\u200E\u200F\u202A-\u202E\u2066-\u2069\u061C]/g;
/** Spaces that should read as a plain space (narrow no-break before AM/PM, NBSP, thin space). */
const ODD_SPACE = /[\u00A0\u202F\u2009\u2007\u2008\u200A\u3000]/g;

/** Strip invisible marks and turn odd spaces into plain ones: `clean("\u200Ehi\u00A0there")` → `"hi there"`. */
export function cleanText(s: string): string {
  return s.replace(INVISIBLE, '').replace(ODD_SPACE, ' ');
}

/** Map Arabic-Indic (U+0660–0669) and Extended (U+06F0–06F9) digits to ASCII: `"١٨"` → `"18"`. */
export function asciiDigits(s: string): string {
  return s.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => {
    const c = d.charCodeAt(0);
    return String(c >= 0x06f0 ? c - 0x06f0 : c - 0x0660);
  });
}

/** Normalise a text for comparison and hashing: NFKC, no invisibles, single spaces, trimmed, lower case. */
export function normaliseForMatch(s: string): string {
  return asciiDigits(cleanText(s).normalize('NFKC')).replace(/\s+/g, ' ').trim().toLowerCase();
}
