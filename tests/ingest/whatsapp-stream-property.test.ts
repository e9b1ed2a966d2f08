import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { AppError } from '../../src/errors';
import { decodeText } from '../../src/ingest/decode';
import type { ParsedMessage } from '../../src/ingest/types';
import { mutatedFixture, randomText, tokenOf } from './whatsapp-arbitraries';
import { parseWhatsApp, streamWhatsApp } from '../../src/ingest/whatsapp';

/** Pieces of real headers and bodies, and of what sits at segment boundaries (line ends, marks, BOMs). */
const TOKENS = [
  '18/03/2022, 14:56 - ',
  '18/03/2022, 14:57 - ',
  '[3/18/22, 2:56:01\u202fPM] ',
  '[14:56:01, 3/18/22] ',
  '13.6.2018 klo 21.25.15 - ',
  '[١٨\u200f/٣\u200f/٢٠٢٢، ٢:٥٦:٠٠\u00a0م] ',
  '[3/18/2565 BE, 14:56:01] ',
  '[3/18/R4, 14:56:01] ',
  '4/26/16, 16:23:03: ',
  '01/20/2019, 11:23 a. m. - ',
  '03/01/2021, 9:15 in the afternoon - ',
  '01/01/2001, 10:00 - ',
  '31/31/2019, 25:61 - ',
  'Ana: ',
  'Team: ',
  '\u202a+44\u00a020\u00a07946\u00a00123\u202c: ',
  '~\u202fRiya Sharma-Okonkwo: ',
  '<Media omitted>',
  '\u200eimage omitted',
  'POLL:\nQ?\nOPTION: a (1 vote)\nOPTION: b (2 votes)',
  '<This message was edited>',
  'This message was deleted',
  'Ana added Bruno',
  'Messages and calls are end-to-end encrypted.',
  '\u200e<attached: 00000035-PHOTO-2022-03-18.jpg>',
  'IMG-20220318-WA0002.jpg (file attached)',
  'location: https://maps.google.com/?q=1,2',
  '\n',
  '\n',
  '\r\n',
  '\r',
  '\ufeff',
  '\u200e',
  '\u200f',
  ': ',
  ' • ',
  'a longer line of text that runs past a small segment of the file',
];
const token = tokenOf(TOKENS);
const tokenSoup = fc.array(fc.oneof(token, token, fc.string({ maxLength: 6 })), { maxLength: 60 }).map((t) => t.join(''));

const mutated = mutatedFixture(token);

/** Bytes that are not always UTF-8: a stray byte, a UTF-16 BOM, a cut multi-byte sequence. */
const byteEdit = fc.oneof(
  fc.constant(null),
  fc.constant(null),
  fc.tuple(fc.nat(), fc.constantFrom(0xff, 0xfe, 0xc3, 0xe9, 0x0a, 0x0d, 0x80, 0xef)),
);

const input = fc.tuple(fc.oneof(mutated, mutated, tokenSoup, randomText), byteEdit).map(([text, edit]) => {
  const bytes = new TextEncoder().encode(text);
  if (edit === null) return bytes;
  const [at, byte] = edit;
  const p = at % (bytes.length + 1);
  return new Uint8Array([...bytes.subarray(0, p), byte, ...bytes.subarray(p)]);
});

function outcome(fn: () => unknown): unknown {
  try {
    return { result: fn() };
  } catch (e) {
    if (e instanceof AppError) return { error: { code: e.code, message: e.message, details: e.details } };
    throw e;
  }
}

describe('streamWhatsApp: property', () => {
  test('any bytes, any segment and chunk size: the same result (or the same AppError) as decodeText + parseWhatsApp', () => {
    fc.assert(
      fc.property(input, fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 20 }), fc.boolean(), (bytes, segmentBytes, chunkMessages, named) => {
        const filename = named ? 'WhatsApp Chat with Team.txt' : undefined;
        const decoded = decodeText(bytes);
        const expected = outcome(() => {
          const r = parseWhatsApp(decoded.text, { filename });
          return { messages: r.messages, participants: r.participants, polls: r.polls, skipped: r.skipped, warnings: [...decoded.warnings, ...r.warnings] };
        });
        const got = outcome(() => {
          const stream = streamWhatsApp(bytes, { filename, segmentBytes, chunkMessages });
          const messages: ParsedMessage[] = [];
          for (const chunk of stream.chunks()) {
            if (chunk.length === 0 || chunk.length > chunkMessages) throw new Error(`a chunk of ${chunk.length}`);
            messages.push(...chunk);
          }
          return { messages, participants: stream.participants, ...stream.finish() };
        });
        expect(got).toEqual(expected);
      }),
      { numRuns: 10_000, seed: 20240601 },
    );
  }, 30_000);
});
