/** Bytes to text for the text formats. Pure. */
import type { Warning } from './types';

/**
 * Decodes UTF-8 (BOM stripped), UTF-16 with a BOM, or — when the bytes are not valid UTF-8 — Windows-1252,
 * which is what spreadsheet programs often save: `decodeText(bytes)` → `{ text, warnings }`.
 */
export function decodeText(bytes: Uint8Array): { text: string; warnings: Warning[] } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), warnings: [] };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), warnings: [] };
  try {
    const text = decodeUtf8(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }), bytes);
    return { text, warnings: [] };
  } catch {
    // Not UTF-8: fall back instead of refusing, and say so, since the letters may be wrong.
    return {
      text: new TextDecoder('windows-1252').decode(bytes),
      warnings: [{ code: 'not_utf8', message: 'the file is not UTF-8; it was read as Windows-1252 — check accented letters, or export it again as UTF-8' }],
    };
  }
}

/**
 * `decoder.decode(bytes)` for a whole piece of text: the same text, the same error on bytes that are not
 * UTF-8 (the closing call throws on a character cut at the end), by way of streaming mode. On Node 20 a
 * one-shot call takes a native "fast path" that is about twice as slow on text that is not all ASCII:
 * 48 KB segments of the 35 MB benchmark export decode in 70 ms streaming against 131 ms one-shot.
 */
export function decodeUtf8(decoder: TextDecoder, bytes: Uint8Array): string {
  const text = decoder.decode(bytes, { stream: true });
  const rest = decoder.decode();
  return rest === '' ? text : text + rest;
}
