import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { hash128 } from '../../src/crypto/fast-hash';

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
});
