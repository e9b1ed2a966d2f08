import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, test } from 'vitest';
import { AppError } from '../../src/errors';
import { parseSurveyCsv } from '../../src/ingest/csv';
import type { ParseResult } from '../../src/ingest/types';

const dir = new URL('../fixtures/csv/', import.meta.url);
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.csv'))
  .map((f) => readFileSync(new URL(f, dir), 'utf8'));

/** Pieces that steer random input into the parser's branches: delimiters, quotes, flavour headers, dates, codes. */
const TOKENS = [
  ',',
  ';',
  '\t',
  '"',
  '""',
  '\n',
  '\r\n',
  '\r',
  ', ',
  '\uFEFF',
  'Timestamp',
  'Email address',
  'Name',
  '#',
  'Response ID',
  'Date submitted',
  'Last page',
  'ID',
  'Start time',
  'Completion time',
  'Submit Date (UTC)',
  'Network ID',
  'Q [A]',
  'Q [Other]',
  '{{field:ab}}',
  '{if(x.NAOK > 1, 1, 0)}',
  '2024/05/29 7:41:00 PM GMT+2',
  '29/05/2024 19:41:00',
  '5/29/24 7:41 PM',
  'ana@example.org',
  '+44 20 7946 0123',
  '1',
  '0',
  'Y',
  '-oth-',
  'anonymous',
  'Other',
  'Why?',
  'A, B',
  'A;B;',
  '[{"title":"x"}]',
  'N/A',
];

// An index into TOKENS rather than fc.constantFrom: inside oneof/array, constantFrom rebuilds a
// reverse mapping on every generated value, which costs more than parsing.
const token = fc.nat({ max: TOKENS.length - 1 }).map((i) => TOKENS[i] ?? '');
const tokenSoup = fc.array(fc.oneof(token, fc.string({ maxLength: 4 })), { maxLength: 80 }).map((t) => t.join(''));
// 'binary' rather than 'grapheme' units: same reach into astral and combining characters, and
// grapheme strings cost fast-check more to build than the parser spends reading them.
const cell = fc.oneof(token, fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 12 }));
const table = fc
  .tuple(
    fc.array(fc.array(cell, { minLength: 1, maxLength: 7 }), { minLength: 1, maxLength: 9 }),
    fc.nat({ max: 2 }).map((i) => [',', ';', '\t'][i] ?? ','),
    fc.boolean(),
  )
  .map(([rows, delimiter, bom]) => `${bom ? '\uFEFF' : ''}${Papa.unparse(rows, { delimiter })}`);
const mutated = fc
  .tuple(
    fc.nat({ max: fixtures.length - 1 }).map((i) => fixtures[i] ?? ''),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 16 }), fc.oneof(token, fc.constant(''), fc.string({ maxLength: 3 }))), {
      minLength: 1,
      maxLength: 6,
    }),
  )
  .map(([text, edits]) => {
    let s = text;
    for (const [at, del, ins] of edits) {
      const i = s.length === 0 ? 0 : at % (s.length + 1);
      s = s.slice(0, i) + ins + s.slice(i + del);
    }
    return s;
  });
const input = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  tokenSoup,
  table,
  mutated,
);

/** What every successful parse promises, whatever the input: the first broken promise, or undefined. */
function brokenPromise(r: ParseResult): string | undefined {
  if (r.format !== 'csv') return `format ${r.format}`;
  const keys = new Set(r.participants.map((p) => p.key));
  if (keys.size !== r.participants.length) return 'duplicate participant keys';
  for (const m of r.messages) {
    if (m.participant !== null && !keys.has(m.participant)) return `unknown participant ${m.participant}`;
    if (m.text.trim() === '') return 'empty message';
    if (m.at !== null && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z?$/.test(m.at)) return `bad time ${m.at}`;
  }
  for (const p of r.polls) {
    const voters = p.participants ?? 0;
    if (voters <= 0) return `poll without voters: ${p.question}`;
    if (p.options.some((o) => o.votes < 0 || o.votes > voters)) return `impossible tally: ${p.question}`;
  }
  return undefined;
}

describe('parseSurveyCsv: property', () => {
  test('random strings, random tables and mutated fixtures: a result or an AppError, nothing else', () => {
    fc.assert(
      fc.property(input, (text) => {
        let result: ParseResult | undefined;
        try {
          result = parseSurveyCsv(text);
        } catch (e) {
          if (!(e instanceof AppError) || e.code !== 'unreadable_file') throw e;
          return;
        }
        expect(brokenPromise(result)).toBeUndefined();
      }),
      { numRuns: 10_000 },
    );
  });
});
