import { readdirSync, readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { generateWhatsAppExport, WHATSAPP_SHAPES } from '../../scripts/bench/gen-whatsapp';
import { AppError } from '../../src/errors';
import { decodeText } from '../../src/ingest/decode';
import type { ParsedMessage, ParseStream } from '../../src/ingest/types';
import { parseWhatsApp, streamWhatsApp } from '../../src/ingest/whatsapp';
import { extractChatBytesFromZip, extractChatFromZip } from '../../src/ingest/zip';

const dir = new URL('../fixtures/whatsapp/', import.meta.url);
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.txt'));
const fixtureBytes = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));
const utf8 = (s: string) => new TextEncoder().encode(s);

/** Tiny segments put a boundary inside nearly every message; `undefined` is the default (256 KiB). */
const SEGMENT_SIZES = [64, 1000, 4096, undefined];

type Outcome = { error: { code: string; message: string; details: unknown } } | { result: unknown };

/** The whole-file path as the ingest service takes it: decodeText, then parseWhatsApp, decode warnings first. */
function wholeParse(bytes: Uint8Array, filename?: string): Outcome {
  const decoded = decodeText(bytes);
  return outcome(() => {
    const r = parseWhatsApp(decoded.text, { filename });
    return {
      format: r.format,
      messages: r.messages,
      participants: r.participants,
      polls: r.polls,
      skipped: r.skipped,
      warnings: [...decoded.warnings, ...r.warnings],
    };
  });
}

function streamParse(bytes: Uint8Array, opts: { filename?: string; segmentBytes?: number; chunkMessages?: number }): Outcome {
  return outcome(() => {
    const stream = streamWhatsApp(bytes, opts);
    const messages = consume(stream, opts.chunkMessages ?? 2000);
    return { format: stream.format, messages, participants: stream.participants, ...stream.finish() };
  });
}

function consume(stream: ParseStream, most: number): ParsedMessage[] {
  const all: ParsedMessage[] = [];
  for (const chunk of stream.chunks()) {
    if (chunk.length === 0 || chunk.length > most) throw new Error(`a chunk of ${chunk.length} messages (at most ${most} allowed, never 0)`);
    all.push(...chunk);
  }
  return all;
}

function outcome(fn: () => unknown): Outcome {
  try {
    return { result: fn() };
  } catch (e) {
    if (e instanceof AppError) return { error: { code: e.code, message: e.message, details: e.details } };
    throw e;
  }
}

function expectSameEverySize(bytes: Uint8Array, filename?: string, chunkMessages?: number): void {
  const expected = wholeParse(bytes, filename);
  for (const segmentBytes of SEGMENT_SIZES) {
    const got = streamParse(bytes, { filename, segmentBytes, chunkMessages });
    expect(got, `segmentBytes ${segmentBytes ?? 'default'}`).toEqual(expected);
  }
}

const generated = WHATSAPP_SHAPES.map((shape) => [shape, generateWhatsAppExport({ messages: 2_500, shape, seed: 7 }).text] as const);

describe('streamWhatsApp gives what parseWhatsApp gives', () => {
  test('there are fixtures to compare on', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(16);
  });

  test.each(fixtures)('fixture %s, every segment size', (name) => {
    expectSameEverySize(fixtureBytes(name), name);
    expectSameEverySize(fixtureBytes(name), name, 1);
  });

  test.each(generated)('generated %s export (2,500 messages), every segment size', (_shape, text) => {
    expectSameEverySize(utf8(text), 'WhatsApp Chat with Bench.txt', 97);
  });

  test('a generated export in many chunks of the default size', () => {
    const text = generateWhatsAppExport({ messages: 9_000, shape: 'ios-ar', seed: 3 }).text;
    const bytes = utf8(text);
    expectSameEverySize(bytes);
    const stream = streamWhatsApp(bytes, { segmentBytes: 50_000 });
    expect([...stream.chunks()].map((c) => c.length).slice(0, 4)).toEqual([2000, 2000, 2000, 2000]);
  });

  const android = (n: number, rest: string) => `18/03/2022, 14:${String(n).padStart(2, '0')} - ${rest}`;
  const lines = [
    android(1, 'Ana Lima: first'),
    android(2, 'Bruno Costa: a message\nover three\nlines'),
    android(3, 'Ana Lima: <Media omitted>'),
    android(4, 'Bruno Costa: POLL:\nWhich day?\nOPTION: Monday (2 votes)\nOPTION: Friday (1 vote)'),
    android(5, 'Carla Dias: last'),
  ];
  test.each([
    ['line feeds', lines.join('\n')],
    ['a line feed at the end', `${lines.join('\n')}\n`],
    ['blank lines at the end', `${lines.join('\n')}\n\n\n`],
    ['CRLF line ends', lines.join('\r\n')],
    ['CRLF and one at the end', `${lines.join('\r\n')}\r\n`],
    ['old Mac line ends (\\r only)', lines.join('\r')],
    ['a UTF-8 BOM', `\ufeff${lines.join('\n')}`],
    ['a BOM inside the text (kept as a character, as decodeText keeps it)', `${lines.join('\n')}\n\ufeff${android(6, 'Ana Lima: after a BOM')}`],
    ['text before the first message', `Chat history\n\n${lines.join('\n')}`],
    ['one line, no line feed', android(1, 'Ana Lima: alone')],
    ['no headers', 'just some notes\nand more notes\n'],
    ['nothing but blank lines', '\n\n \n'],
    ['an impossible date only', '31/31/2019, 14:00 - Ana: hi\n'],
    [
      // parseWhatsApp reads the last line from the remembered `18.03.22,` on, and rejects it; so must a segment that starts there
      'a date remembered from the line before a segment boundary',
      '18.03.22, 9:16 vorm. - Ana: hi\n18.03.22,18/03/2022, 14:56 - a line that ends the first segment\n18.03.22, 8:00 abends - Dana: more\n',
    ],
    ['a message body longer than a segment', `${android(1, `Ana Lima: ${'long line '.repeat(40)}\n${'more '.repeat(50)}`)}\n${android(2, 'Bruno: ok')}`],
  ])('%s', (_name, text) => {
    expectSameEverySize(utf8(text), 'chat.txt', 2);
  });

  test('iOS: a mark in a counted speaker\'s later message decides whether the chat\'s name counts as a participant', () => {
    const text = [
      '[18/03/2022, 14:00:00] Ana Lima: hello',
      '[18/03/2022, 14:01:00] Ana Lima: \u200eimage omitted',
      '[18/03/2022, 14:02:00] Team: Ana Lima added Bruno Costa',
    ].join('\n');
    const name = 'WhatsApp Chat with Team.txt';
    expect(parseWhatsApp(text, { filename: name }).participants.map((p) => p.key)).toEqual(['name:ana lima', 'name:team']);
    expectSameEverySize(utf8(text), name);
  });

  test.each([
    ['empty file', new Uint8Array(0)],
    ['Windows-1252 (not UTF-8): read whole, its warning first', new TextEncoder().encode(lines.join('\n')).map((b) => (b === 0x61 ? 0xe9 : b))],
    ['not UTF-8 only in a late segment', new Uint8Array([...utf8(`${lines.join('\n')}\n`.repeat(20)), 0xe9, 0x0a, ...utf8(android(9, 'Ana Lima: é'))])],
    ['a truncated UTF-8 sequence at the very end', new Uint8Array([...utf8(lines.join('\n')), 0xc3])],
    ['UTF-16 LE with its BOM', new Uint8Array([0xff, 0xfe, ...new Uint8Array(new Uint16Array([...lines.join('\n')].map((c) => c.charCodeAt(0))).buffer)])],
    ['UTF-16 BE BOM on junk', new Uint8Array([0xfe, 0xff, 0x00, 0x31, 0x00, 0x0a])],
  ])('%s', (_name, bytes) => {
    expectSameEverySize(bytes, 'chat.txt', 3);
  });
});

describe('streamWhatsApp: the stream itself', () => {
  const bytes = utf8(generateWhatsAppExport({ messages: 300, shape: 'android-en', seed: 1 }).text);

  test('participants are known before the first chunk, and are every author of a message', () => {
    const stream = streamWhatsApp(bytes, { segmentBytes: 500, chunkMessages: 50 });
    const known = new Set(stream.participants.map((p) => p.key));
    for (const chunk of stream.chunks()) for (const m of chunk) expect(known.has(m.participant ?? '')).toBe(true);
  });

  test('finish() before the chunks are consumed is refused', () => {
    const stream = streamWhatsApp(bytes, { chunkMessages: 50 });
    expect(() => stream.finish()).toThrow(/before chunks\(\) was consumed/);
    const it = stream.chunks()[Symbol.iterator]();
    it.next();
    expect(() => stream.finish()).toThrow(/before chunks\(\) was consumed/);
    while (!it.next().done) {}
    expect(stream.finish().skipped.system).toBeGreaterThan(0);
  });

  test('chunks() can be consumed once', () => {
    const stream = streamWhatsApp(bytes);
    expect([...stream.chunks()].length).toBe(1);
    expect(() => [...stream.chunks()]).toThrow(/consumed once/);
  });

  test('a read-whole file (Windows-1252) follows the same rules', () => {
    const stream = streamWhatsApp(new Uint8Array([...utf8('18/03/2022, 14:01 - Ana: caf'), 0xe9]));
    expect(() => stream.finish()).toThrow(/before chunks\(\) was consumed/);
    expect([...stream.chunks()].flat().map((m) => m.text)).toEqual(['café']);
    expect(stream.finish().warnings.map((w) => w.code)).toEqual(['not_utf8']);
    expect(() => [...stream.chunks()]).toThrow(/consumed once/);
  });

  test('two streams read at the same time, interleaved with whole-text parses, do not disturb each other', () => {
    const a = utf8(generated[0]?.[1] ?? '');
    const b = utf8(generated[2]?.[1] ?? '');
    const expectedA = wholeParse(a);
    const expectedB = wholeParse(b);
    const sa = streamWhatsApp(a, { segmentBytes: 3000, chunkMessages: 100 });
    const sb = streamWhatsApp(b, { segmentBytes: 5000, chunkMessages: 70 });
    const ia = sa.chunks()[Symbol.iterator]();
    const ib = sb.chunks()[Symbol.iterator]();
    const ma: ParsedMessage[] = [];
    const mb: ParsedMessage[] = [];
    for (let doneA = false, doneB = false; !doneA || !doneB; ) {
      const na = doneA ? null : ia.next();
      if (na && !na.done) ma.push(...na.value);
      else doneA = true;
      parseWhatsApp(generated[3]?.[1] ?? '');
      const nb = doneB ? null : ib.next();
      if (nb && !nb.done) mb.push(...nb.value);
      else doneB = true;
    }
    expect({ result: { format: 'whatsapp', messages: ma, participants: sa.participants, ...sa.finish() } }).toEqual(expectedA);
    expect({ result: { format: 'whatsapp', messages: mb, participants: sb.participants, ...sb.finish() } }).toEqual(expectedB);
  });

  test.each([
    ['segmentBytes 0', { segmentBytes: 0 }],
    ['chunkMessages 1.5', { chunkMessages: 1.5 }],
    ['chunkMessages NaN', { chunkMessages: Number.NaN }],
  ])('an option out of range is refused: %s', (_name, opts) => {
    expect(() => streamWhatsApp(bytes, opts)).toThrow(RangeError);
  });
});

describe('extractChatBytesFromZip', () => {
  const chat = generateWhatsAppExport({ messages: 400, shape: 'ios-en', seed: 5 }).text;
  const zip = zipSync({ '_chat.txt': strToU8(chat), '00000001-PHOTO.jpg': new Uint8Array(64) });

  test('gives the chat file undecoded, with the name and media count of extractChatFromZip', () => {
    const asText = extractChatFromZip(zip);
    const asBytes = extractChatBytesFromZip(zip);
    expect(new TextDecoder().decode(asBytes.bytes)).toBe(asText.text);
    expect({ filename: asBytes.filename, mediaFiles: asBytes.mediaFiles }).toEqual({ filename: asText.filename, mediaFiles: asText.mediaFiles });
  });

  test('a zipped export streams to what the zipped text parses to', () => {
    const asText = extractChatFromZip(zip);
    const asBytes = extractChatBytesFromZip(zip);
    const whole = parseWhatsApp(asText.text, { filename: asText.filename });
    const stream = streamWhatsApp(asBytes.bytes, { filename: asBytes.filename, segmentBytes: 2000, chunkMessages: 60 });
    const messages = consume(stream, 60);
    expect({ messages, participants: stream.participants, ...stream.finish() }).toEqual({
      messages: whole.messages,
      participants: whole.participants,
      polls: whole.polls,
      skipped: whole.skipped,
      warnings: whole.warnings,
    });
  });
});
