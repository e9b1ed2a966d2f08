/** dedupeForm and timeKey feed stored content hashes: their fast paths must equal the plain regex forms exactly. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { hash128Of } from '../../src/crypto/fast-hash';
import { contentHash, dedupeForm, timeKey } from '../../src/text/content-hash';

const reference = {
  dedupeForm: (text: string) => {
    const unlabelled = text.includes('P-') ? text.replace(/\bP-[0-9A-Z]{6}\b/g, 'P') : text;
    return (/\s\s|[\t\n\r\f\v]/.test(unlabelled) ? unlabelled.replace(/\s+/g, ' ') : unlabelled).toLowerCase();
  },
  timeKey: (at: string | null) => (at ? at.slice(0, 16).replace(/[-T:]/g, '') : ''),
};

const spacey = fc.constantFrom(' ', '\t', '\n', '\r', '\u000b', '\f', '\u00a0', '\u1680', '\u2000', '\u2009', '\u200a', '\u200b', '\u2028', '\u202f', '\u205f', '\u3000', '\ufeff', '\u0085', '\u180e', 'a', 'É', 'P-ABC123', 'ش', '字', '1');

describe('dedupeForm', () => {
  test.each([
    ['plain', 'Hello World', 'hello world'],
    ['runs of spaces and tabs fold', 'a  b\tc\n\nd', 'a b c d'],
    ['a lone NBSP stays', 'a\u00a0b c', 'a\u00a0b c'],
    ['two NBSPs fold every space', 'a\u00a0b c\u00a0\u00a0d', 'a b c d'],
    ['labels neutralised', 'Agreed with P-7KQ2XD', 'agreed with p'],
  ])('%s', (_name, input, output) => {
    expect(dedupeForm(input)).toBe(output);
  });

  test('equals the regex form on 10,000 generated texts', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme' }), fc.array(spacey, { maxLength: 30 }).map((a) => a.join(''))), (s) => {
        expect(dedupeForm(s)).toBe(reference.dedupeForm(s));
      }),
      { numRuns: 10_000 },
    );
  });
});

describe('timeKey fast path', () => {
  test('equals the regex form on 10,000 generated times, usual and odd', () => {
    const digit = fc.constantFrom('0', '1', '2', '5', '9');
    const odd = fc.constantFrom('-', 'T', ':', 'x', ' ', '٣');
    const usual = fc
      .tuple(fc.array(fc.oneof(digit, odd), { minLength: 16, maxLength: 16 }), fc.constantFrom('', ':01', ':59.000Z', 'Z'))
      .map(([cs, tail]) => {
        const a = [...cs];
        a[4] = '-';
        a[7] = '-';
        a[10] = 'T';
        a[13] = ':';
        return a.join('') + tail;
      });
    fc.assert(
      fc.property(fc.oneof(usual, fc.string(), fc.constant(null)), (at) => {
        expect(timeKey(at)).toBe(reference.timeKey(at));
      }),
      { numRuns: 10_000 },
    );
  });
});

describe('contentHash: the folded one-pass hash is timeKey(at) + hash128Of(head, dedupeForm(text))', () => {
  const slow = (at: string | null, head: string, text: string) => timeKey(at) + hash128Of(head, reference.dedupeForm(text));
  const HEAD = '2022-03-18T14:56\u0000\u0000\u0000\u0000';

  test.each([
    ['plain', 'Hello World'],
    ['empty', ''],
    ['a label', 'Agreed with P-7KQ2XD, thanks'],
    ['labels at both ends and glued', 'P-AAAAAA P-BBBBBBP-CCCCCC xP-DDDDDD P-EEEEEE_ P-FFFFFF'],
    ['a label cut short at the end', 'see P-ABC12'],
    ['a lone NBSP stays, two fold', 'a\u00a0b and a\u00a0\u00a0b'],
    ['a newline folds', 'line one\nline two'],
    ['control characters', 'a\u0001b\u001fc\u007fd\u0085e'],
    ['final sigma', 'ΟΔΟΣ ΣΟΦΙΑΣ'],
    ['dotted capital I', 'İSTANBUL İzmir'],
    ['emoji and astral letters', 'Thanks 👍🏽 𐐀𐐨 𝐀'],
    ['lone surrogates', 'a\ud83d b \udc4d c'],
    ['scripts', 'ÉCOLE Ölçü ДОБРО ԱՐԵՎ Ⴀ ǅ ᾈ Ω K Å ⅠⅡ ⒶⓏ Ａ'],
  ])('%s', (_name, text) => {
    expect(contentHash('2022-03-18T14:56:01', HEAD, text)).toBe(slow('2022-03-18T14:56:01', HEAD, text));
  });

  test('every BMP unit, alone, upper-cased, doubled and between letters and spaces', () => {
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      for (const text of [ch, `A${ch}b`, `${ch}${ch}`, ` ${ch} `, `${ch}P-ABCDEF${ch}`, ch.toUpperCase()]) {
        if (contentHash(null, '', text) !== slow(null, '', text)) expect(contentHash(null, '', text)).toBe(slow(null, '', text));
      }
    }
  });

  test('equals the long way on 20,000 generated texts', () => {
    const piece = fc.constantFrom(' ', '  ', '\t', '\n', '\u00a0', '\u3000', '\ufeff', 'P-ABC123', 'P-', 'p-abc123', '_', 'Σ', 'ς', 'İ', 'I', 'É', 'ß', 'ẞ', '👍', '\ud83d', '\udc4d', '𐐀', 'Ⅻ', 'ǅ', 'a', 'Z', '9', 'ش', '字', 'ক', 'Ж');
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.array(piece, { maxLength: 40 }).map((a) => a.join(''))),
        fc.string({ maxLength: 20 }),
        fc.oneof(fc.constant(null), fc.constant('2022-03-18T14:56:01')),
        (text, head, at) => {
          expect(contentHash(at, head, text)).toBe(slow(at, head, text));
        },
      ),
      { numRuns: 20_000 },
    );
  });
});
