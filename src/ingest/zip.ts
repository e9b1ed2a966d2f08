/**
 * WhatsApp "Export chat" zips: find the one chat text file and decode it. Pure (bytes in, text out).
 *
 * Sizes in a zip header are whatever the writer claims, so the cap counts the bytes that actually come out
 * of the decompressor, chunk by chunk, and the archive is fed in small slices so that one slice can never
 * inflate to more than a few megabytes before the count is checked.
 */
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { AppError, unreadable } from '../errors';

export interface ZipCaps {
  /** Most bytes to decompress in total (default 200 MB). */
  maxUncompressedBytes?: number;
  /** Most entries the archive may hold (default 10,000). */
  maxEntries?: number;
}

export interface ZipChat {
  text: string;
  /** Path of the chat file inside the zip. */
  filename: string;
  /** Other files in the export (photos, voice notes, documents) — counted, never read. */
  mediaFiles: number;
}

const DEFAULT_MAX_BYTES = 200 * 1024 * 1024;
const DEFAULT_MAX_ENTRIES = 10_000;
/** Deflate expands at most ~1032:1, so a 16 KB slice yields at most ~16 MB before the cap is checked again. */
const SLICE = 16 * 1024;

/** True when the bytes start like a zip archive: `isZip(bytes)` → `true` for `PK\x03\x04…`. */
export function isZip(bytes: Uint8Array): boolean {
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) return false;
  // local file header, or the end record of an empty archive
  return (bytes[2] === 0x03 && bytes[3] === 0x04) || (bytes[2] === 0x05 && bytes[3] === 0x06);
}

interface TextEntry {
  name: string;
  chunks: Uint8Array[];
  done: boolean;
  error: string | null;
}

/** Skipped outright: macOS resource forks and hidden files. */
function isJunk(path: string): boolean {
  if (path.startsWith('__MACOSX/') || path.includes('/__MACOSX/')) return true;
  const base = baseName(path);
  return base.startsWith('.') || base === '';
}

function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

/** iOS attachments are numbered (`00000046-Some file.txt`), Android ones dated (`DOC-20220327-WA0001.txt`). */
const MEDIA_NAME = /^(?:\d{8}-|(?:IMG|VID|AUD|PTT|STK|DOC)-\d{8}-WA\d{4})/i;

/** How likely an entry is the chat: `_chat.txt` and `WhatsApp Chat with X.txt` first, attachments last. */
function chatRank(path: string): number {
  const base = baseName(path).toLowerCase();
  if (base === '_chat.txt') return 3;
  if (base.startsWith('whatsapp')) return 2;
  if (MEDIA_NAME.test(base)) return 0;
  return 1;
}

/** The chat file of an export, undecoded: what streamWhatsApp reads. */
export interface ZipChatBytes {
  bytes: Uint8Array;
  /** Path of the chat file inside the zip. */
  filename: string;
  /** Other files in the export (photos, voice notes, documents) — counted, never read. */
  mediaFiles: number;
}

/**
 * The chat text inside a WhatsApp export zip:
 * `extractChatFromZip(bytes)` → `{ text: "[3/18/22, 14:56:01] …", filename: "_chat.txt", mediaFiles: 12 }`.
 * Throws too_large past the caps, unreadable_file when the zip is corrupt or holds no chat text.
 */
export function extractChatFromZip(bytes: Uint8Array, caps: ZipCaps = {}): ZipChat {
  const chat = extractChatBytesFromZip(bytes, caps);
  return { text: decodeUtf8(chat.bytes), filename: chat.filename, mediaFiles: chat.mediaFiles };
}

/**
 * The chat file inside a WhatsApp export zip as bytes, for a big chat to be decoded a segment at a time:
 * `extractChatBytesFromZip(zip)` → `{ bytes: Uint8Array […], filename: "_chat.txt", mediaFiles: 12 }`.
 * Same choice of file, caps and errors as extractChatFromZip.
 */
export function extractChatBytesFromZip(bytes: Uint8Array, caps: ZipCaps = {}): ZipChatBytes {
  const maxBytes = caps.maxUncompressedBytes ?? DEFAULT_MAX_BYTES;
  const maxEntries = caps.maxEntries ?? DEFAULT_MAX_ENTRIES;
  if (!isZip(bytes)) throw unreadable('this is not a zip file (it does not start with "PK")');

  let entries = 0;
  let media = 0;
  let inflated = 0;
  let stop: AppError | null = null;
  const texts: TextEntry[] = [];

  const unzip = new Unzip((file: UnzipFile) => {
    if (stop) return;
    entries++;
    if (entries > maxEntries) {
      stop = new AppError('too_large', `the zip holds more than ${maxEntries} files; export the chat again without media`, {
        maxEntries,
      });
      return;
    }
    const name = file.name;
    if (name.endsWith('/') || isJunk(name)) return;
    if (!name.toLowerCase().endsWith('.txt')) {
      media++;
      return; // never decompressed
    }
    if (file.originalSize !== undefined && file.originalSize > maxBytes) {
      stop = tooLarge(maxBytes);
      return;
    }
    const entry: TextEntry = { name, chunks: [], done: false, error: null };
    texts.push(entry);
    // Errors thrown in here would be swallowed by the inflater, so failures are recorded and acted on outside.
    file.ondata = (err, data, final) => {
      if (err) {
        entry.error = err.message;
        return;
      }
      if (stop) return;
      inflated += data.length;
      if (inflated > maxBytes) {
        stop = tooLarge(maxBytes);
        entry.chunks = [];
        file.terminate();
        return;
      }
      entry.chunks.push(data);
      if (final) entry.done = true;
    };
    try {
      file.start();
    } catch (e) {
      entry.error = e instanceof Error ? e.message : String(e);
    }
  });
  unzip.register(UnzipInflate);

  try {
    for (let at = 0; at < bytes.length && !stop; at += SLICE) {
      const end = Math.min(at + SLICE, bytes.length);
      unzip.push(bytes.subarray(at, end), end === bytes.length);
    }
  } catch (e) {
    if (!stop) throw unreadable(`the zip is damaged or cut off (${e instanceof Error ? e.message : String(e)}); export the chat again`);
  }
  if (stop) throw stop;

  const readable = texts.filter((t) => t.done && t.error === null);
  const broken = texts.find((t) => t.error !== null || !t.done);
  if (readable.length === 0) {
    if (broken) {
      throw unreadable(
        `the chat file "${broken.name}" in the zip cannot be decompressed (${broken.error ?? 'the zip ends early'}); export the chat again`,
      );
    }
    throw unreadable(
      `no chat text file in the zip (expected "_chat.txt" or "WhatsApp Chat with ….txt"; found ${entries} other file(s))`,
    );
  }
  let best = readable[0] as TextEntry;
  for (const t of readable) {
    const rank = chatRank(t.name);
    const bestRank = chatRank(best.name);
    if (rank > bestRank || (rank === bestRank && size(t) > size(best))) best = t;
  }
  // The other text files are attachments people sent in the chat.
  media += texts.length - 1;
  return { bytes: concat(best.chunks), filename: best.name, mediaFiles: media };
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('too_large', `the zip unpacks to more than ${sizeText(maxBytes)}; export the chat again without media`, {
    maxUncompressedBytes: maxBytes,
  });
}

/** A cap for people: 200 MB, 195.3 KB, 900 bytes; rounding a small cap to whole megabytes gave "0 MB". */
function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KB'] : [bytes / (1024 * 1024), 'MB'];
  return `${value.toFixed(1).replace(/\.0$/, '')} ${unit}`;
}

function size(t: TextEntry): number {
  let n = 0;
  for (const c of t.chunks) n += c.length;
  return n;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** UTF-8 without its BOM; UTF-16 when a BOM says so (old Windows Phone exports). */
function decodeUtf8(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes);
}
