import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CODE_ALPHABET, CODE_BITS, CODE_BYTES, encodeVoterCode, groupCode, normaliseVoterCode } from '../../src/polls/codes';

const FORMAT = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){6}$/;

describe('voter code format', () => {
  test('at least 128 random bits, Crockford base32 in seven groups of four', () => {
    expect(CODE_BITS).toBeGreaterThanOrEqual(128);
    expect(CODE_ALPHABET).toHaveLength(32);
    expect(new Set(CODE_ALPHABET).size).toBe(32);
    expect(CODE_ALPHABET).not.toMatch(/[ILOU]/);
    expect(encodeVoterCode(crypto.getRandomValues(new Uint8Array(CODE_BYTES)))).toMatch(FORMAT);
  });

  test.each([
    { name: 'all zero bits', bytes: new Uint8Array(CODE_BYTES), code: '0000-0000-0000-0000-0000-0000-0000' },
    { name: 'all one bits (last 4 of 144 dropped)', bytes: new Uint8Array(CODE_BYTES).fill(255), code: 'ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ' },
    {
      name: 'bits read most significant first: 0x08 0x42 → 00001 00001 00001 0…',
      bytes: Uint8Array.from([0x08, 0x42, ...new Array(CODE_BYTES - 2).fill(0)]),
      code: '1110-0000-0000-0000-0000-0000-0000',
    },
  ])('$name', ({ bytes, code }) => {
    expect(encodeVoterCode(bytes)).toBe(code);
  });

  test('refuses too few random bytes', () => {
    expect(() => encodeVoterCode(new Uint8Array(CODE_BYTES - 1))).toThrow(RangeError);
  });

  test('every bit of the 140 is used: codes differing in one bit differ', () => {
    const base = new Uint8Array(CODE_BYTES);
    const seen = new Set([encodeVoterCode(base)]);
    for (let bit = 0; bit < CODE_BITS; bit++) {
      const b = new Uint8Array(CODE_BYTES);
      b[bit >> 3] = 0x80 >> (bit & 7);
      seen.add(encodeVoterCode(b));
    }
    expect(seen.size).toBe(CODE_BITS + 1);
  });

  test('10,000 random codes: all distinct, symbols used evenly (entropy check)', () => {
    const counts = new Map<string, number>();
    const codes = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const code = encodeVoterCode(crypto.getRandomValues(new Uint8Array(CODE_BYTES)));
      codes.add(code);
      for (const ch of code.replace(/-/g, '')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect(codes.size).toBe(10_000);
    // 280,000 symbols over 32: 8,750 each expected; a biased encoder (e.g. modulo) would be far off.
    expect(counts.size).toBe(32);
    for (const n of counts.values()) expect(Math.abs(n - 8750)).toBeLessThan(600);
  });
});

describe('normaliseVoterCode', () => {
  test.each([
    { name: 'the printed form', input: 'K7QF-2M9X-4TRB-8JWN-D3HC-Q6PV-Z1EA', out: 'K7QF2M9X4TRB8JWND3HCQ6PVZ1EA' },
    { name: 'lower case with spaces', input: ' k7qf 2m9x 4trb 8jwn d3hc q6pv z1ea ', out: 'K7QF2M9X4TRB8JWND3HCQ6PVZ1EA' },
    { name: 'O read as 0, I and L as 1', input: 'K7QF-2M9X-4TRB-8JWN-D3HC-Q6PV-ZLEA', out: 'K7QF2M9X4TRB8JWND3HCQ6PVZ1EA' },
    { name: 'o for zero', input: 'oooo-oooo-oooo-oooo-oooo-oooo-oooo', out: '0000000000000000000000000000' },
    { name: 'full-width characters from a Japanese keyboard', input: 'Ｋ７ＱＦ－２Ｍ９Ｘ－４ＴＲＢ－８ＪＷＮ－Ｄ３ＨＣ－Ｑ６ＰＶ－Ｚ１ＥＡ', out: 'K7QF2M9X4TRB8JWND3HCQ6PVZ1EA' },
    { name: 'Arabic-Indic digits', input: 'K٧QF-٢M٩X-٤TRB-٨JWN-D٣HC-Q٦PV-Z١EA', out: 'K7QF2M9X4TRB8JWND3HCQ6PVZ1EA' },
    { name: 'U is not a symbol', input: 'U7QF-2M9X-4TRB-8JWN-D3HC-Q6PV-Z1EA', out: null },
    { name: 'one symbol short', input: 'K7QF-2M9X-4TRB-8JWN-D3HC-Q6PV-Z1E', out: null },
    { name: 'one symbol too many', input: 'K7QF-2M9X-4TRB-8JWN-D3HC-Q6PV-Z1EAA', out: null },
    { name: 'empty', input: '', out: null },
    { name: 'punctuation', input: 'K7QF!2M9X-4TRB-8JWN-D3HC-Q6PV-Z1EA', out: null },
  ])('$name', ({ input, out }) => {
    expect(normaliseVoterCode(input)).toBe(out);
  });

  test('every generated code reads back to itself (10,000 runs)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: CODE_BYTES, maxLength: CODE_BYTES }), (bytes) => {
        const code = encodeVoterCode(bytes);
        const n = normaliseVoterCode(code);
        expect(n).not.toBeNull();
        expect(groupCode(n ?? '')).toBe(code);
        expect(normaliseVoterCode(code.toLowerCase())).toBe(n);
      }),
      { numRuns: 10_000 },
    );
  });

  test('never throws on any string (10,000 runs)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
        const n = normaliseVoterCode(s);
        expect(n === null || /^[0-9A-HJKMNP-TV-Z]{28}$/.test(n)).toBe(true);
      }),
      { numRuns: 10_000 },
    );
  });
});
