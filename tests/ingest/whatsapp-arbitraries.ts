/** Generators shared by the WhatsApp property tests: the project's fixtures, mutated, and random text. */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';

const dir = new URL('../fixtures/whatsapp/', import.meta.url);
export const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => readFileSync(new URL(f, dir), 'utf8'));

/** One of `tokens`: an index into the list rather than fc.constantFrom, which is slower to build inside oneof/array. */
export function tokenOf(tokens: readonly string[]): fc.Arbitrary<string> {
  return fc.nat({ max: tokens.length - 1 }).map((i) => tokens[i] ?? '');
}

/** A fixture with a few edits: a slice cut out, a token or short string spliced in, lines shuffled. */
export function mutatedFixture(token: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.nat({ max: fixtures.length - 1 }),
      fc.array(fc.tuple(fc.nat(), fc.nat(40), fc.oneof(token, fc.string({ maxLength: 6 }))), { minLength: 1, maxLength: 5 }),
      fc.boolean(),
    )
    .map(([i, edits, shuffle]) => {
      let text = fixtures[i] ?? '';
      for (const [at, cut, insert] of edits) {
        const p = at % (text.length + 1);
        text = text.slice(0, p) + insert + text.slice(p + cut);
      }
      if (shuffle) text = text.split('\n').reverse().join('\n');
      return text;
    });
}

export const randomText = fc.oneof(fc.string({ maxLength: 120 }), fc.string({ unit: 'binary', maxLength: 120 }));
