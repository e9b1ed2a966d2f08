import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { buildRedactor, isCommonWord } from '../../src/privacy/redact';

const RUNS = 10_000;
/** Eight digits in a row, in any decimal script: what a phone number leaves behind if missed. */
const EIGHT_DIGITS = /\p{Nd}{8,}/u;

// Letters to build names from. Latin without vowels keeps random parts from being English words;
// Cyrillic and Arabic letters give names in those scripts.
const LATIN = [...'bcdfghjklmnpqrstvwxzçñłšžṣ'];
const CYRILLIC = [...'бвгджзклмнпрстфхцчшщ'];
const ARABIC = [...'بتثجحخدذرزسشصضطظعغفقكلمنهوي'];
/** Written without spaces, so matched by another rule; its syllables decompose into jamo (NFD). */
const HANGUL = [...'김민준박서연이지훈'];

/** Arabic family names often carry the article ال (المصري), which a joined ل changes (للمصري). */
const ARTICLE = 'ال';

const namePart = fc
  .constantFrom(LATIN, CYRILLIC, ARABIC, HANGUL)
  .chain((letters) =>
    fc.tuple(fc.array(fc.constantFrom(...letters), { minLength: 4, maxLength: 9 }), fc.boolean()).map(([cs, article]) => {
      const s = cs.join('');
      if (letters === ARABIC) return article ? ARTICLE + s : s;
      return s.charAt(0).toUpperCase() + s.slice(1);
    }),
  )
  .filter((s) => !isCommonWord(s));
const name = fc.array(namePart, { minLength: 1, maxLength: 3 });

/** Filler with no letters: digits of three scripts, spaces of every width, punctuation, marks, emoji. */
const FILLER = [
  ...'0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹',
  ...' \u00A0\u202F\u2009\n\t',
  ...'+-.,;:!?()[]/\'’"@#%&*',
  '\u200E',
  '\u2068',
  '\u2069',
  '😀',
  '🌸',
];
const filler = fc.array(fc.constantFrom(...FILLER), { maxLength: 24 }).map((cs) => cs.join(''));
/** What may stand between a name and the text around it. */
const edge = fc.constantFrom(
  ...[' ', '\n', ', ', ' (', ') ', ' @', '@\u2068', '\u2069 ', '\u00A0', ': ', '"', '👍', '🙏🏽 ', '😀'],
  // Emoji whose last code point is a variation selector or the keycap mark, both marks by category.
  ...['❤️', ' ✌️', '1️⃣', ' #️⃣'],
  // Half an emoji, as a truncated JSON export can leave: a high or a low surrogate alone.
  ...[' \uD83D', '\uDE00 '],
);
/** Display names often carry an emoji, and emoji often end with a variation selector. */
const decoration = fc.constantFrom('', '', '✌️', '❤️ ', ' 🌸');
/** What may stand between the parts of one name. */
const gap = fc.constantFrom(' ', '  ', '\u00A0', '\u202F', ' \u200E', '\u2068 ', '-');
const caseOf = fc.constantFrom('as-is', 'lower', 'upper', 'nfd');
/** Arabic one-letter proclitics written joined to a name (and, so, for, with, and for). */
const proclitic = fc.constantFrom('', '', 'و', 'ف', 'ل', 'ب', 'ول', 'فل');

/** A proclitic joined to an Arabic name as it is spelled: ل before the article takes the alef's place. */
function withProclitic(pro: string, part: string): string {
  const article = part.startsWith(ARTICLE);
  if (!article && !ARABIC.includes(part.charAt(0))) return part;
  return article && pro.endsWith('ل') ? pro + part.slice(1) : pro + part;
}

/** What must not be left of a name part: with the article, its letters after the alef (للمصري holds
 *  لمصري, not المصري). */
function trace(part: string): string {
  return (part.startsWith(ARTICLE) ? part.slice(1) : part).toLowerCase();
}

function written(parts: string[], gaps: string[], how: string, pro: string): string {
  const s = parts.map((p, i) => (i === 0 ? withProclitic(pro, p) : (gaps[i] ?? ' ') + p)).join('');
  if (how === 'nfd') return s.normalize('NFD');
  return how === 'lower' ? s.toLowerCase() : how === 'upper' ? s.toUpperCase() : s;
}

describe('redaction properties', () => {
  test('a known name never survives, nor does any run of 8+ digits', () => {
    fc.assert(
      fc.property(
        name,
        decoration,
        fc.array(fc.tuple(filler, edge, gap, gap, caseOf, edge, proclitic), { minLength: 1, maxLength: 4 }),
        filler,
        (parts, deco, pieces, tail) => {
          const redactor = buildRedactor([{ label: '⟨P⟩', names: [deco + parts.join(' ')] }]);
          let text = '';
          for (const [before, open, g1, g2, how, close, pro] of pieces) {
            text += before + open + written(parts, ['', g1, g2], how, pro) + close;
          }
          text += tail;
          // Compared in NFC: a name that survives decomposed has survived.
          const out = redactor.redact(text).text.normalize('NFC').toLowerCase();
          for (const p of parts) expect(out).not.toContain(trace(p));
          expect(out).not.toMatch(EIGHT_DIGITS);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
