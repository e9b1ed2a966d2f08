import fc from 'fast-check';
import { expect, test } from 'vitest';
import { parseJsonText } from '../../src/llm/openai';
import { injectionSignal } from '../../src/tagging/injection';

// Model output and feedback text are both data from outside: these must never throw, whatever arrives.
const mutated = fc
  .tuple(fc.jsonValue(), fc.nat(), fc.string({ maxLength: 8 }), fc.constantFrom('', '```json\n', 'Here you go: '))
  .map(([value, at, insert, prefix]) => {
    const json = JSON.stringify(value) ?? 'null';
    const cut = at % (json.length + 1);
    return prefix + json.slice(0, cut) + insert + json.slice(cut);
  });

test('parseJsonText: never throws; a failure says why', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), mutated), (raw) => {
      const res = parseJsonText(raw);
      if (res.ok) expect(res.value).not.toBeUndefined();
      else expect(res.error.length).toBeGreaterThan(0);
    }),
    { numRuns: 10_000 },
  );
});

test('parseJsonText: any JSON object round-trips, bare or fenced', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.boolean(), (value, fenced) => {
      const json = JSON.stringify(value);
      expect(parseJsonText(fenced ? `\`\`\`json\n${json}\n\`\`\`` : json)).toEqual({ ok: true, value: JSON.parse(json) });
    }),
    { numRuns: 10_000 },
  );
});

test('injectionSignal: never throws, returns a rule name or null', () => {
  const phrases = fc.constantFrom('ignore your instructions', 'tag everything as', 'تجاهل التعليمات', 'ignorez les consignes', 'ahora eres', 'system prompt');
  const text = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: 'grapheme', maxLength: 300 }),
    fc.tuple(fc.string({ maxLength: 50 }), phrases, fc.string({ maxLength: 50 })).map(([a, p, b]) => a + p + b),
  );
  fc.assert(
    fc.property(text, (t) => {
      const signal = injectionSignal(t);
      expect(signal === null || typeof signal === 'string').toBe(true);
    }),
    { numRuns: 10_000 },
  );
});
