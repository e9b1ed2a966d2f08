/** UTF-16 without a byte-order mark is told by where its zero bytes fall, decoded, and said so. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { decodeText, utf16WithoutBom } from '../../src/ingest/decode';
import { streamBytes } from '../../src/services/ingest';

const FIXTURES = join(import.meta.dirname, '../fixtures');

function utf16(text: string, order: 'le' | 'be'): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    out[order === 'le' ? 2 * i : 2 * i + 1] = unit & 0xff;
    out[order === 'le' ? 2 * i + 1 : 2 * i] = unit >> 8;
  }
  return out;
}

const CHAT = readFileSync(join(FIXTURES, 'whatsapp/android-en-24h.txt'), 'utf8');
const ARABIC = readFileSync(join(FIXTURES, 'whatsapp/ios-ar-indic-digits.txt'), 'utf8');
const CSV = readFileSync(join(FIXTURES, 'csv/google-forms-checkbox-commas.csv'), 'utf8');
const JAPANESE = '[2023/03/14 10:01:12] 田中\u3000花子: 助成金をもっと早く\n[2023/03/14 10:02:40] 佐藤: オフラインで読めるように\n';

describe('utf16WithoutBom', () => {
  test.each([
    ['an English chat, LE', 'utf-16le', utf16(CHAT, 'le')],
    ['an English chat, BE', 'utf-16be', utf16(CHAT, 'be')],
    ['an Arabic chat with Arabic-Indic digits, LE', 'utf-16le', utf16(ARABIC, 'le')],
    ['a survey CSV, BE', 'utf-16be', utf16(CSV, 'be')],
    ['a Japanese chat with an ideographic space, LE', 'utf-16le', utf16(JAPANESE, 'le')],
    ['an odd length (a byte cut at the end)', 'utf-16le', utf16(CHAT, 'le').subarray(0, 301)],
    ['UTF-8', null, new TextEncoder().encode(CHAT)],
    ['UTF-8 in Arabic', null, new TextEncoder().encode(ARABIC)],
    ['random bytes with zeros', null, Uint8Array.of(0, 159, 146, 150, 0, 1, 2, 3, 255, 254, 253)],
    ['a run of zeros', null, new Uint8Array(64)],
    ['a lone surrogate', null, Uint8Array.of(0x41, 0, 0x00, 0xd8, 0x42, 0)],
    ['nothing', null, new Uint8Array(0)],
  ])('%s → %s', (_name, expected, bytes) => {
    expect(utf16WithoutBom(bytes)).toBe(expected);
  });

  test('random bytes: never throws; UTF-8 text is never taken for UTF-16', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.string({ maxLength: 150 }).map((s) => new TextEncoder().encode(s))), (bytes) => {
        const guess = utf16WithoutBom(bytes);
        if (!bytes.includes(0)) expect(guess).toBeNull();
      }),
      { numRuns: 10_000 },
    );
  });

  test('text mostly in Latin script is never taken the wrong way round, and reads back as itself', () => {
    const units = fc.string({ unit: fc.constantFrom(...'abc 12:/,\n-é[]', 'ش', '字', '\u3000', '\u0100'), minLength: 1, maxLength: 200 });
    fc.assert(
      fc.property(units, fc.constantFrom('le' as const, 'be' as const), (s, order) => {
        const latin = [...s].filter((c) => c.charCodeAt(0) < 0x100).length;
        fc.pre(latin * 2 >= s.length);
        const guess = utf16WithoutBom(utf16(s, order));
        // U+3000 in LE is the bytes of "0" in BE: with enough of them the sniff abstains rather than guess.
        if (!/[\u3000\u0100]/.test(s)) expect(guess).toBe(`utf-16${order}`);
        else expect([`utf-16${order}`, null]).toContain(guess);
        if (guess !== null) expect(decodeText(utf16(s, order)).text).toBe(s);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('decodeText and uploads of UTF-16 without a BOM', () => {
  test.each(['le', 'be'] as const)('decodeText, %s: the text, with a not_utf8 warning naming the encoding', (order) => {
    const { text, warnings } = decodeText(utf16(CHAT, order));
    expect(text).toBe(CHAT);
    expect(warnings).toEqual([{ code: 'not_utf8', message: expect.stringMatching(order === 'le' ? /read as UTF-16LE \(it has no byte-order mark\)/ : /read as UTF-16BE/) }]);
  });

  test.each(['le', 'be'] as const)('a chat, %s, without format: the same messages as its UTF-8 export', (order) => {
    const read = (bytes: Uint8Array) => {
      const { format, stream, extraWarnings } = streamBytes(bytes, {}, 1 << 20);
      return { format, messages: [...stream.chunks()].flat(), participants: stream.participants, warnings: [...extraWarnings, ...stream.finish().warnings] };
    };
    const plain = read(new TextEncoder().encode(CHAT));
    const wide = read(utf16(CHAT, order));
    expect(wide.format).toBe('whatsapp');
    expect(wide.messages).toEqual(plain.messages);
    expect(wide.participants).toEqual(plain.participants);
    expect(wide.warnings.map((w) => w.code)).toEqual(['not_utf8', ...plain.warnings.map((w) => w.code)]);
  });

  test.each([
    ['format=whatsapp', { format: 'whatsapp' as const }],
    ['a .txt name', { filename: '_chat.txt' }],
  ])('a chat in UTF-16LE with %s is decoded, not streamed as UTF-8', (_name, options) => {
    const { format, stream } = streamBytes(utf16(CHAT, 'le'), options, 1 << 20);
    expect(format).toBe('whatsapp');
    expect([...stream.chunks()].flat().length).toBeGreaterThan(0);
  });

  test('a zipped chat in UTF-16BE without a BOM', () => {
    const zip = zipSync({ '_chat.txt': utf16(CHAT, 'be'), 'IMG-0001.jpg': strToU8('jpeg') });
    const { format, stream, extraWarnings } = streamBytes(zip, {}, 1 << 20);
    expect(format).toBe('whatsapp');
    expect([...stream.chunks()].flat().map((m) => m.text)).toEqual(
      [...streamBytes(new TextEncoder().encode(CHAT), {}, 1 << 20).stream.chunks()].flat().map((m) => m.text),
    );
    expect(extraWarnings.map((w) => w.code)).toEqual(['not_utf8']);
  });

  test('a survey CSV in UTF-16LE without a BOM reads as CSV', () => {
    const { format } = streamBytes(utf16(CSV, 'le'), {}, 1 << 20);
    expect(format).toBe('csv');
  });
});
