/** decodeUtf8: the streaming route to a whole piece's text gives what a one-shot decode gives, errors included. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeText, decodeUtf8 } from '../../src/ingest/decode';

const enc = new TextEncoder();
const oneShot = (bytes: Uint8Array, opts: TextDecoderOptions) => {
  try {
    return { text: new TextDecoder('utf-8', opts).decode(bytes) };
  } catch (err) {
    return { error: err instanceof TypeError };
  }
};
const streamed = (decoder: TextDecoder, bytes: Uint8Array) => {
  try {
    return { text: decodeUtf8(decoder, bytes) };
  } catch (err) {
    return { error: err instanceof TypeError };
  }
};

describe('decodeUtf8', () => {
  test.each([
    ['ascii', enc.encode('18/03/2022, 14:56 - Jane: hello\n')],
    ['mixed scripts', enc.encode('مرحبا — こんにちは — বাংলা — café\n')],
    ['a BOM first', Uint8Array.of(0xef, 0xbb, 0xbf, ...enc.encode('hi'))],
    ['a BOM later', enc.encode('a\uFEFFb')],
    ['a character cut at the end', enc.encode('café').subarray(0, 4)],
    ['an invalid byte', Uint8Array.of(0x61, 0xff, 0x62)],
    ['nothing', new Uint8Array(0)],
  ])('%s: as a one-shot decode, with and without BOM stripping', (_, bytes) => {
    for (const opts of [{ fatal: true }, { fatal: true, ignoreBOM: true }]) {
      const decoder = new TextDecoder('utf-8', opts);
      // Twice on one decoder: each call is a stream of its own (a BOM is stripped again, nothing carries over).
      expect(streamed(decoder, bytes)).toEqual(oneShot(bytes, opts));
      expect(streamed(decoder, bytes)).toEqual(oneShot(bytes, opts));
    }
  });

  test('a failed call leaves the decoder clean for the next', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    expect(() => decodeUtf8(decoder, enc.encode('é').subarray(0, 1))).toThrow(TypeError);
    expect(decodeUtf8(decoder, enc.encode('ok'))).toBe('ok');
  });

  test('random bytes and random text: same result as a one-shot decode', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.string({ unit: 'binary', maxLength: 64 }).map((s) => enc.encode(s))), (bytes) => {
        expect(streamed(decoder, bytes)).toEqual(oneShot(bytes, { fatal: true }));
      }),
      { numRuns: 2000 },
    );
  });

  test('decodeText still strips a BOM and falls back to Windows-1252', () => {
    expect(decodeText(Uint8Array.of(0xef, 0xbb, 0xbf, 0x68, 0x69)).text).toBe('hi');
    expect(decodeText(Uint8Array.of(0x63, 0x61, 0x66, 0xe9))).toMatchObject({ text: 'café', warnings: [{ code: 'not_utf8' }] });
  });
});
