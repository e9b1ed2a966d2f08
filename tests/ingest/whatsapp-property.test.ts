import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { AppError } from '../../src/errors';
import type { ParseResult } from '../../src/ingest/types';
import { mutatedFixture, randomText, tokenOf } from './whatsapp-arbitraries';
import { parseWhatsApp } from '../../src/ingest/whatsapp';

/** Pieces of real headers and bodies: mutations built from them reach deep into the parser. */
const TOKENS = [
  '18/03/2022, 14:56 - ',
  '[3/18/22, 2:56:01\u202fPM] ',
  '[14:56:01, 3/18/22] ',
  '13.6.2018 klo 21.25.15 - ',
  '[١٨\u200f/٣\u200f/٢٠٢٢، ٢:٥٦:٠٠\u00a0م] ',
  '[3/18/2565 BE, 14:56:01] ',
  '[3/18/R4, 14:56:01] ',
  '4/26/16, 16:23:03: ',
  '01/20/2019, 11:23 a. m. - ',
  '03/01/2021, 9:15 in the morning - ',
  '31/31/2019, 25:61 - ',
  'Ana: ',
  '\u202a+44\u00a020\u00a07946\u00a00123\u202c: ',
  '~\u202fRiya: ',
  '<Media omitted>',
  '\u200eimage omitted',
  'POLL:\nQ?\nOPTION: a (1 vote)\nOPTION: b (2 votes)',
  '<This message was edited>',
  'This message was deleted',
  '\u200e<attached: 00000035-PHOTO-2022-03-18.jpg>',
  'IMG-20220318-WA0002.jpg (file attached)',
  'location: https://maps.google.com/?q=1,2',
  '\n',
  '\r\n',
  '\r',
  '\ufeff',
  '\u200e',
  '\u200f',
  ': ',
  ' • ',
  '@\u2068Bo\u2069',
];
const token = tokenOf(TOKENS);
const tokenSoup = fc.array(fc.oneof(token, fc.string({ maxLength: 6 })), { maxLength: 60 }).map((t) => t.join(''));

const mutated = mutatedFixture(token);

const ISO_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
const MARKS = /[\ufeff\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function checkResult(r: ParseResult, input: string): void {
  const keys = new Set(r.participants.map((p) => p.key));
  for (const m of r.messages) {
    expect(m.at).toMatch(ISO_LOCAL);
    expect(keys.has(m.participant ?? '')).toBe(true);
    expect(m.text.trim()).not.toBe('');
    expect(m.text).not.toMatch(MARKS);
  }
  for (const p of r.polls) expect(p.at).toMatch(ISO_LOCAL);
  const counted = r.messages.length + r.polls.length + r.skipped.system + r.skipped.media + r.skipped.deleted + r.skipped.empty;
  // every record starts on a line of its own
  expect(counted).toBeLessThanOrEqual(input.split(/\r\n|\r|\n/).length);
}

describe('parseWhatsApp: properties', () => {
  test('never crashes: any input gives a consistent result or an AppError', () => {
    fc.assert(
      fc.property(fc.oneof(mutated, tokenSoup, randomText), (input) => {
        let r: ParseResult;
        try {
          r = parseWhatsApp(input);
        } catch (e) {
          expect(e).toBeInstanceOf(AppError);
          expect((e as AppError).code).toBe('unreadable_file');
          return;
        }
        checkResult(r, input);
      }),
      { numRuns: 10_000 },
    );
  });
});
