import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { buildRedactor, scrubIdentity } from '../../src/privacy/redact';

const RUNS = 10_000;
/** Eight digits in a row, in any decimal script: what a phone number leaves behind if missed. */
const EIGHT_DIGITS = /\p{Nd}{8,}/u;
/** Digits of three scripts, spaces, punctuation, marks, emoji: the raw material of phone numbers. */
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

// Random text has no web links, so the rule "no 8+ digits outside plain links" applies to all of it.
describe('redaction of arbitrary text', () => {
  test('any text: no crash, counts are whole numbers, no run of 8+ digits left', () => {
    const redactor = buildRedactor([
      { label: 'P-AAAAAA', names: ['Jane Doe'] },
      { label: 'P-BBBBBB', names: ['أحمد المصري'] },
      { label: 'P-CCCCCC', names: ['山田 太郎'] },
    ]);
    const valid = [
      'Thanks @\u2068Jane Doe\u2069, call +44 20 7946 0958 or jane.doe@example.org',
      'قال أحمد: رقمي ٠٧٩٤٦٠٩٥٨١ والموعد ١٨/٠٣/٢٠٢٢',
      '山田さんの電話は０３－１２３４－５６７８です',
      'on 18.03.2022 we need 1.500.000 € — write jane [at] example [dot] org',
    ];
    // A valid message with random pieces put in at random places.
    const mutated = fc
      .tuple(fc.constantFrom(...valid), fc.array(fc.tuple(fc.nat(), fc.string({ unit: 'grapheme', maxLength: 4 })), { maxLength: 6 }))
      .map(([base, edits]) =>
        edits.reduce((s, [at, piece]) => s.slice(0, at % (s.length + 1)) + piece + s.slice(at % (s.length + 1)), base),
      );
    const anyText = fc.oneof(
      mutated,
      fc.string({ unit: 'grapheme', maxLength: 120 }),
      fc.string({ unit: 'binary', maxLength: 120 }),
      fc.array(fc.constantFrom(...FILLER, 'Jane', 'Doe', 'أحمد', '山田', '@', 'example.org', ' at ', '[at]', ' dot '), {
        maxLength: 60,
      }).map((xs) => xs.join('')),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        const r = redactor.redact(text);
        for (const n of Object.values(r.counts)) expect(Number.isInteger(n) && n >= 0).toBe(true);
        expect(r.text).not.toMatch(EIGHT_DIGITS);
        expect(scrubIdentity(text).text).not.toMatch(EIGHT_DIGITS);
      }),
      { numRuns: RUNS },
    );
  });
});
