import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { hash128, hash128Of } from '../../src/crypto/fast-hash';

describe('hash128', () => {
  test.each([
    ['empty', ''],
    ['ascii', 'hello'],
    ['arabic', 'مرحبا بالعالم'],
    ['emoji', '👍🏽'],
  ])('%s: 32 hex characters, stable', (_n, s) => {
    expect(hash128(s)).toMatch(/^[0-9a-f]{32}$/);
    expect(hash128(s)).toBe(hash128(s));
  });

  // Hashes are stored and new uploads dedupe against them: the exact output must never change.
  // Values computed by the original implementation (toString(16) per lane).
  test.each([
    ['empty', '', '520485e1fe0b1c4ff07a84dca25cb2f6'],
    ['ascii', 'hello', '07ee38423f72abc1b1764138c368e4ad'],
    ['arabic', 'مرحبا بالعالم', '052c17c7bffa188b86792943010bcc82'],
    ['emoji', '👍🏽', '8b0becf456da4fba0d9a6e2956c554d1'],
    ['lone surrogate', '\uD800', 'e2b4d9e9212c8f9e07ccc8a5131fe130'],
    ['a dedupe key (leading zeros in the first lane)', '2022-03-18T14:56\u0000\u0000\u0000\u0000hello', '007f94324e676a613f3475627e5eadc9'],
    ['first lane 0000…', 'k13883', '0000e15028c200a70d1f22a2d021ed54'],
    ['second lane 0000…', 'k10398', '136401aa00003b9e8fc6f7d4fbe9ba85'],
  ])('%s: the stored value', (_n, s, expected) => {
    expect(hash128(s)).toBe(expected);
  });

  test('one-character changes and swaps give different hashes', () => {
    expect(hash128('ab')).not.toBe(hash128('ba'));
    expect(hash128('2022-03-18T14:56\u0000hello')).not.toBe(hash128('2022-03-18T14:57\u0000hello'));
  });

  test('no collisions over 200,000 distinct short strings', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) seen.add(hash128(`item ${i} ${i % 7}`));
    expect(seen.size).toBe(200_000);
  });

  test('distinct random strings hash apart (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => a === b || hash128(a) !== hash128(b)),
      { numRuns: 10_000 },
    );
  });

  test('hash128Of(head, body) is hash128(head + body), wherever the cut falls', () => {
    expect(hash128Of('2022-03-18T14:56\u0000\u0000\u0000\u0000', 'hello')).toBe('007f94324e676a613f3475627e5eadc9');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), fc.nat(), (s, at) => {
        const cut = at % (s.length + 1);
        expect(hash128Of(s.slice(0, cut), s.slice(cut))).toBe(hash128(s));
      }),
      { numRuns: 5000 },
    );
  });
});
