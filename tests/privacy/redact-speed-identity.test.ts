import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { buildRedactor, type PersonNames } from '../../src/privacy/redact';

// The redactor keeps state between messages for speed: a word buffer it reuses and a memo of words
// that start no name (found by a hash, confirmed against the text). Neither may change an answer: a
// redactor that has seen other texts first must answer every text as a fresh one does.

const PEOPLE: PersonNames[] = [
  { label: 'P-AAAAAA', names: ['Jane Doe', 'Jane'] },
  { label: 'P-BBBBBB', names: ['José Núñez'] },
  { label: 'P-CCCCCC', names: ['أحمد المصري'] },
  { label: 'P-DDDDDD', names: ['Мария Иванова'] },
  { label: 'P-EEEEEE', names: ['রহিম উদ্দিন'] },
  { label: 'P-FFFFFF', names: ['山田 太郎'] },
  { label: 'P-GGGGGG', names: ['+44 20 7946 0766'] },
  { label: 'P-HHHHHH', names: ['Hope'] },
  // "AaBB" and "BBAa" (and "AaAa", "BBBB") have the same 31-polynomial hash as the scan computes it.
  { label: 'P-IIIIII', names: ['AaBB Søren'] },
  { label: 'P-JJJJJJ', names: ['Łukasz Straße', 'Æsa Œdipe'] },
  { label: 'P-KKKKKK', names: ['Ludo Tel'] },
];

const WORDS = [
  'Jane', 'jane', 'JANE', 'Janet', 'Doe', 'José', 'Jose', 'JOSE', 'Nunez', 'Núñez', 'أحمد', 'وأحمد', 'لأحمد', 'بأحمد',
  'أَحْمَد', 'المصري', 'Мария', 'Марией', 'Ивановой', 'রহিম', 'রহিমের', 'উদ্দিনকে', '山田', '太郎', 'Hope', 'hope',
  'AaBB', 'BBAa', 'AaAa', 'BBBB', 'aabb', 'Soren', 'SØREN', 'Lukasz', 'Strasse', 'Straße', 'Aesa', 'ÆSA', 'Oedipe',
  'jane92', '@Jane2024', 'e\u0301', '\u0301Jane', 'the', 'and', 'la', 'de', 'call', 'me', 'x',
];
const GLUE = [' ', '  ', '\u00A0', '\u202F', '\u200E', '\u2068', '\u2069', '-', '.', "'", ', ', '\n', '@', '😀', '👍', '(', ')'];
const piece = fc.oneof(
  { arbitrary: fc.constantFrom(...WORDS), weight: 5 },
  { arbitrary: fc.constantFrom(...GLUE), weight: 4 },
  { arbitrary: fc.constantFrom('+44 20 7946 0766', '07946 0766', 'jane.doe@example.org', '18/03/2022'), weight: 1 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 5 }), weight: 1 },
);
const text = fc.array(piece, { maxLength: 30 }).map((xs) => xs.join(''));

describe('redactor state', () => {
  test('every text is redacted as by a fresh redactor, whatever came before', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 12 }), (texts) => {
        const shared = buildRedactor(PEOPLE);
        for (const t of texts) expect(shared.redact(t)).toEqual(buildRedactor(PEOPLE).redact(t));
      }),
      { numRuns: 400 },
    );
  });

  test('a word cached as no name does not hide a name with the same hash or the same start', () => {
    const r = buildRedactor(PEOPLE);
    for (const miss of ['BBAa', 'AaAa', 'BBBB', 'AaBBx', 'Janet', 'Jan', 'وأحمدي']) r.redact(`${miss} ${miss}`);
    expect(r.redact('AaBB Søren said').text).toBe('P-IIIIII said');
    expect(r.redact('ask Janet or Jane').text).toBe('ask Janet or P-AAAAAA');
    expect(r.redact('قال وأحمد').text).toBe('قال وP-CCCCCC');
  });

  test('a long text then a short one: no word of the first is read as part of the second', () => {
    const r = buildRedactor(PEOPLE);
    r.redact(`${'word '.repeat(500)}Jane Doe Doe Doe`);
    expect(r.redact('Jane').text).toBe('P-AAAAAA');
    expect(r.redact('Jane Doe').text).toBe('P-AAAAAA');
    expect(r.redact('Jane Do').text).toBe('P-AAAAAA Do');
    // Word 1 of "aaaa b" spans 5–6, where "Ludo ℡" has "℡", which folds to "tel": were the stale
    // entry read, "Ludo ℡" would be taken for the full name "Ludo Tel".
    r.redact('aaaa b');
    expect(r.redact('Ludo ℡').text).toBe('P-KKKKKK ℡');
  });
});
