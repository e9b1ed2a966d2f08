/** dedupeForm and timeKey feed stored content hashes: their fast paths must equal the plain regex forms exactly. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { dedupeForm, timeKey } from '../../src/services/ingest';

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
