/**
 * A big UTF-8 file read as text a segment at a time, so that its whole text never exists as one string.
 * Segments end just after a line feed: the byte 0x0A never occurs inside a multi-byte UTF-8 sequence, so
 * each segment decodes on its own, and the segments' texts laid end to end are the text of the whole file.
 * Positions are always positions in that whole text. Pure: bytes in, strings out.
 */

import { decodeUtf8 } from './decode';

/** Strips a leading BOM, as decodeText does for the whole file. */
const FIRST = new TextDecoder('utf-8', { fatal: true });
/** A BOM later in the file is a character of the text: kept. */
const REST = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const LINE_FEED = 0x0a;

/**
 * The segments of a file's bytes: cut and decoded once in order by `next()`, then decoded again on demand
 * by position: `const s = new SegmentedText(bytes, 4 << 20); for (let t = s.next(); t !== null; t = s.next()) …`.
 * The bytes must not change while it is in use.
 */
export class SegmentedText {
  readonly bytes: Uint8Array;
  private readonly size: number;
  /** Where each segment starts in the bytes; one more entry once the last is cut: the end. */
  private readonly byteStart: number[] = [0];
  /** Where each segment starts in the whole text; one more entry once the last is cut: the text's length. */
  private readonly charStart: number[] = [0];
  /** False once a segment turned out not to be UTF-8 (the file is then better read whole, another way). */
  valid = true;
  /** Every segment has been cut and read. */
  done = false;
  /** Where the segment `next()` returned last starts in the whole text. */
  base = 0;

  constructor(bytes: Uint8Array, segmentBytes: number) {
    this.bytes = bytes;
    this.size = Math.max(1, Math.floor(segmentBytes));
  }

  /** Number of segments cut so far. */
  get count(): number {
    return this.byteStart.length - 1;
  }

  /** Length of the whole text (once `done`). */
  get length(): number {
    return this.charStart[this.count] as number;
  }

  /**
   * The next segment's text (at `base` in the whole text; `done` tells whether it is the last), or null
   * after the last one or when the bytes are not UTF-8 (then `valid` is false).
   */
  next(): string | null {
    if (this.done || !this.valid) return null;
    const bytes = this.bytes;
    const from = this.byteStart[this.count] as number;
    let to = bytes.length;
    if (bytes.length - from > this.size) {
      const lf = bytes.indexOf(LINE_FEED, from + this.size - 1);
      if (lf >= 0) to = lf + 1;
    }
    let text: string;
    try {
      text = decodeUtf8(from === 0 ? FIRST : REST, bytes.subarray(from, to));
    } catch {
      this.valid = false;
      return null;
    }
    this.base = this.charStart[this.count] as number;
    this.byteStart.push(to);
    this.charStart.push(this.base + text.length);
    if (to === bytes.length) this.done = true;
    return text;
  }

  /** Where segment `i` starts in the whole text. */
  start(i: number): number {
    return this.charStart[i] as number;
  }

  /** The segment holding position `pos` of the whole text (the last one for positions at or past the end). */
  segmentOf(pos: number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.charStart[mid] as number) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The text of segments `first` to `last` (inclusive), decoded again. */
  decode(first: number, last: number): string {
    const bytes = this.bytes.subarray(this.byteStart[first] as number, this.byteStart[last + 1] as number);
    return decodeUtf8(first === 0 ? FIRST : REST, bytes);
  }
}

/**
 * The part of a text that later steps read, addressed by position in the whole text: `cover(from, to)`
 * makes sure `s` holds that range (`s` starts at `base`). It holds either a whole text, or a run of
 * segments of a SegmentedText, decoded when a read falls outside them; reads mostly go forward.
 */
export class TextWindow {
  /** The text held now; it starts at `base` in the whole text. */
  s = '';
  base = 0;
  /** Length of the whole text. */
  length = 0;
  private source: SegmentedText | null = null;

  /** Holds a whole text: `window.hold(text)`. */
  hold(text: string): void {
    this.s = text;
    this.base = 0;
    this.length = text.length;
    this.source = null;
  }

  /** Reads a segmented text, which must be `done`; nothing is decoded until a read needs it. */
  attach(source: SegmentedText): void {
    this.s = '';
    this.base = 0;
    this.length = source.length;
    this.source = source;
  }

  /** Lets go of the text held (a segmented text is decoded again by the next read). */
  drop(): void {
    this.s = '';
    this.base = 0;
    if (this.source === null) this.length = 0;
  }

  /** Makes sure `s` holds positions `from` to `to` of the whole text (as far as the text goes). */
  cover(from: number, to: number): void {
    // Kept this small so that it inlines cheaply into the loops that call it for every message.
    if (from < this.base || to > this.base + this.s.length) this.load(from, to);
  }

  private load(from: number, to: number): void {
    const source = this.source;
    if (source === null) return;
    const first = source.segmentOf(from);
    const last = Math.max(first, source.segmentOf(to - 1));
    this.s = source.decode(first, last);
    this.base = source.start(first);
  }

  /** Like String.slice, in positions of the whole text. */
  slice(from: number, to: number): string {
    this.cover(from, to);
    return this.s.slice(from - this.base, to - this.base);
  }

  /** Like String.charCodeAt, in positions of the whole text (NaN past its end). */
  charCodeAt(i: number): number {
    this.cover(i, i + 1);
    return this.s.charCodeAt(i - this.base);
  }
}
