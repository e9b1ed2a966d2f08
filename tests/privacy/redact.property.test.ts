import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { buildRedactor, isCommonWord } from '../../src/privacy/redact';

const RUNS = 10_000;
/** Eight digits in a row, in any decimal script: what a phone number leaves behind if missed. */
const EIGHT_DIGITS = /\p{Nd}{8,}/u;
/** Default-ignorable format characters (Cf and DI): what the redactor treats as invisible, and ZWJ/ZWNJ. */
const INVISIBLES = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]/gu;

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
  // Isolates with nothing else around them, so that an invisible may stand between a name and a word.
  ...['\u2068', '\u2069', '\u200B'],
);
/** Display names often carry an emoji, and emoji often end with a variation selector. */
const decoration = fc.constantFrom('', '', '✌️', '❤️ ', ' 🌸');
/** What may stand between the parts of one name. */
const gap = fc.constantFrom(' ', '  ', '\u00A0', '\u202F', ' \u200E', '\u2068 ', '-');
const caseOf = fc.constantFrom('as-is', 'lower', 'upper', 'nfd');
/** Invisible characters that text pasted from Word or the web carries inside words, and joiners. */
const INVISIBLE = ['\u00AD', '\u200B', '\u2060', '\uFEFF', '\u200E', '\u200F', '\u2066', '\u2069', '\u202B', '\u200C', '\u200D'];
/** Maybe an invisible, and where to put it inside a name part (after its first character at least). */
const inside = fc.option(fc.tuple(fc.constantFrom(...INVISIBLE), fc.nat()), { nil: undefined });

function withInvisible(part: string, at: [string, number] | undefined): string {
  if (!at) return part;
  const cs = [...part];
  const i = 1 + (at[1] % (cs.length - 1));
  return cs.slice(0, i).join('') + at[0] + cs.slice(i).join('');
}

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

function written(parts: string[], gaps: string[], how: string, pro: string, at: [string, number] | undefined): string {
  const s = parts
    .map((p) => withInvisible(p, at))
    .map((p, i) => (i === 0 ? withProclitic(pro, p) : (gaps[i] ?? ' ') + p))
    .join('');
  if (how === 'nfd') return s.normalize('NFD');
  return how === 'lower' ? s.toLowerCase() : how === 'upper' ? s.toUpperCase() : s;
}

describe('redaction properties', () => {
  test('a known name never survives, nor does any run of 8+ digits', () => {
    fc.assert(
      fc.property(
        name,
        decoration,
        fc.array(fc.tuple(filler, edge, gap, gap, caseOf, edge, proclitic, inside), { minLength: 1, maxLength: 4 }),
        filler,
        (parts, deco, pieces, tail) => {
          const redactor = buildRedactor([{ label: '⟨P⟩', names: [deco + parts.join(' ')] }]);
          let text = '';
          for (const [before, open, g1, g2, how, close, pro, at] of pieces) {
            text += before + open + written(parts, ['', g1, g2], how, pro, at) + close;
          }
          text += tail;
          // Compared in NFC and without invisibles: a name that survives decomposed or cut by an
          // invisible has survived.
          const out = redactor.redact(text).text.normalize('NFC').replace(INVISIBLES, '').toLowerCase();
          for (const p of parts) expect(out).not.toContain(trace(p));
          expect(out).not.toMatch(EIGHT_DIGITS);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
