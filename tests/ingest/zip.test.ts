import { strToU8, Zip, ZipDeflate, zipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { AppError } from '../../src/errors';
import { extractChatFromZip, isZip } from '../../src/ingest/zip';

const CHAT = '[18/03/2022, 14:56:01] Ana Lima: Hello\n[18/03/2022, 14:57:02] Bruno Costa: Hi\n';
const photo = new Uint8Array(2048).map((_, i) => (i * 7919) % 251);

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

/** A zip written the streaming way: sizes unknown in the local headers, given in data descriptors. */
function streamedZip(name: string, content: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    parts.push(chunk);
  });
  const file = new ZipDeflate(name, { level: 6 });
  zip.add(file);
  file.push(content, true);
  zip.end();
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Offset of the first entry's data: after the 30-byte local header, its name and extra field. */
function dataOffset(zip: Uint8Array): number {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  return 30 + view.getUint16(26, true) + view.getUint16(28, true);
}

describe('isZip', () => {
  test.each([
    ['a zip with entries', zipSync({ '_chat.txt': strToU8(CHAT) }), true],
    ['an empty zip', zipSync({}), true],
    ['chat text', strToU8(CHAT), false],
    ['PK and something else', new Uint8Array([0x50, 0x4b, 0x07, 0x08]), false],
    ['too short', new Uint8Array([0x50, 0x4b]), false],
  ])('%s', (_name, bytes, expected) => {
    expect(isZip(bytes)).toBe(expected);
  });
});

describe('extractChatFromZip: finding the chat', () => {
  test.each([
    [
      'iOS export: _chat.txt beside numbered attachments, macOS junk skipped',
      {
        '_chat.txt': strToU8(`\ufeff${CHAT}`),
        '00000035-PHOTO-2022-03-18-14-56-01.jpg': photo,
        '00000036-AUDIO-2022-03-18-14-57-02.opus': photo,
        '__MACOSX/._chat.txt': strToU8('junk'),
        '.DS_Store': strToU8('junk'),
      },
      '_chat.txt',
      2,
    ],
    [
      'Android export: "WhatsApp Chat with …" in a folder, with media',
      { 'Village Pump/WhatsApp Chat with Village Pump.txt': strToU8(CHAT), 'Village Pump/IMG-20220318-WA0002.jpg': photo },
      'Village Pump/WhatsApp Chat with Village Pump.txt',
      1,
    ],
    ['"WhatsApp Chat - X.txt"', { 'WhatsApp Chat - Ana Lima.txt': strToU8(CHAT) }, 'WhatsApp Chat - Ana Lima.txt', 0],
    ['a single text file with another name', { 'export.txt': strToU8(CHAT), 'photo.jpg': photo }, 'export.txt', 1],
    [
      'a text file someone sent in the chat is an attachment, not the chat',
      { '00000046-minutes.txt': strToU8('minutes of the meeting, much longer than the chat itself '.repeat(20)), '_chat.txt': strToU8(CHAT) },
      '_chat.txt',
      1,
    ],
  ])('%s', (_name, files, filename, mediaFiles) => {
    const chat = extractChatFromZip(zipSync(files));
    expect(chat).toEqual({ text: CHAT, filename, mediaFiles });
  });

  test('stored (uncompressed) entries', () => {
    expect(extractChatFromZip(zipSync({ '_chat.txt': strToU8(CHAT) }, { level: 0 })).text).toBe(CHAT);
  });

  test('a zip written as a stream (sizes in data descriptors)', () => {
    expect(extractChatFromZip(streamedZip('_chat.txt', strToU8(CHAT))).text).toBe(CHAT);
  });

  test('UTF-16 text with a BOM', () => {
    const utf16 = new Uint8Array(2 + CHAT.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < CHAT.length; i++) new DataView(utf16.buffer).setUint16(2 + i * 2, CHAT.charCodeAt(i), true);
    expect(extractChatFromZip(zipSync({ '_chat.txt': utf16 })).text).toBe(CHAT);
  });
});

describe('extractChatFromZip: refusals', () => {
  test.each([
    ['not a zip', () => strToU8(CHAT), /not a zip file/],
    ['an empty zip', () => zipSync({}), /no chat text file in the zip/],
    ['only media', () => zipSync({ 'IMG-20220318-WA0002.jpg': photo, '__MACOSX/._x.txt': strToU8('junk') }), /no chat text file in the zip/],
    [
      'damaged compressed data',
      () => {
        const zip = zipSync({ '_chat.txt': strToU8(CHAT.repeat(20)) }, { level: 6 });
        // 0xFF starts a deflate block of the reserved type 3: no inflater accepts it
        zip.fill(0xff, dataOffset(zip), dataOffset(zip) + 8);
        return zip;
      },
      /cannot be decompressed/,
    ],
    [
      'cut off in the middle of the chat',
      () => {
        const zip = zipSync({ '_chat.txt': strToU8(CHAT.repeat(200)) }, { level: 6 });
        return zip.subarray(0, dataOffset(zip) + 40);
      },
      /damaged or cut off/,
    ],
  ])('%s → unreadable_file', (_name, make, message) => {
    const e = thrown(() => extractChatFromZip(make()));
    expect(e.code).toBe('unreadable_file');
    expect(e.message).toMatch(message);
  });

  // 20 MB of one repeated line squeezes into a few kilobytes: a small zip bomb.
  const bomb = zipSync({ '_chat.txt': new Uint8Array(20 * 1024 * 1024).fill(0x61) }, { level: 9 });

  test('a zip bomb stops at the cap on decompressed bytes', () => {
    expect(bomb.length).toBeLessThan(100_000);
    const e = thrown(() => extractChatFromZip(bomb, { maxUncompressedBytes: 1024 * 1024 }));
    expect(e.code).toBe('too_large');
    expect(e.message).toMatch(/more than 1 MB/);
  });

  test('a bomb whose headers lie about its size is stopped by counting what comes out', () => {
    const lying = bomb.slice();
    const view = new DataView(lying.buffer);
    view.setUint32(22, 100, true); // local header: uncompressed size
    const central = lying.findLastIndex((_, i) => i + 4 <= lying.length && view.getUint32(i, true) === 0x02014b50);
    view.setUint32(central + 24, 100, true); // central directory: uncompressed size
    const e = thrown(() => extractChatFromZip(lying, { maxUncompressedBytes: 1024 * 1024 }));
    expect(e.code).toBe('too_large');
  });

  test('within the default cap the same zip is read', () => {
    expect(extractChatFromZip(bomb).text.length).toBe(20 * 1024 * 1024);
  });

  test.each([
    ['a given cap', 20, 21],
    ['the default cap of 10,000', undefined, 10_001],
  ])('too many entries (%s) → too_large', (_name, maxEntries, count) => {
    const files: Record<string, Uint8Array> = { '_chat.txt': strToU8(CHAT) };
    for (let i = 1; i < count; i++) files[`media/${i}.jpg`] = new Uint8Array(1);
    const e = thrown(() => extractChatFromZip(zipSync(files, { level: 0 }), maxEntries ? { maxEntries } : {}));
    expect(e.code).toBe('too_large');
    expect(e.message).toMatch(/more than [\d,]+ files/);
  });
});
