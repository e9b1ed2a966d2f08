/**
 * WhatsApp chat export (.txt) parser. Pure: text in, ParseResult out.
 *
 * This is the hot path of big uploads, so it reads the text in place: a hand-written scanner reads each
 * line's header straight from the raw text (skipping direction marks, reading Arabic-Indic digits), the
 * headers go into typed-array columns, and each message body is sliced and cleaned once. The file-level
 * decisions (which header layouts are the file's own, day/month order, which headers are plausible in
 * time) are made once all headers are known. See FORMATS.md "WhatsApp chat export" for the shapes.
 */
import { unreadable } from '../errors';
import { NAME_MARKER } from '../privacy/redact';
import { cleanText } from '../text/clean';
import { decodeText } from './decode';
import { authorKey, displayName } from './identity';
import { SegmentedText, TextWindow } from './segmented-text';
import type { ParsedMessage, ParsedParticipant, ParsedPoll, ParseResult, ParseStream, SkipCounts, Warning } from './types';
import { emptySkips } from './types';

// ---------------------------------------------------------------------------------------------------------
// Characters

/** Anything cleaning changes in message text; most bodies have none and skip cleaning. */
const NEEDS_CLEAN = /[\uFEFF\u200E\u200F\u202A-\u202E\u2066-\u2069\u061C\u00A0\u202F\u2009\u2007\u2008\u200A\u3000\r]/;
const CARRIAGE_RETURN = /\r\n?/g;
const DIRECTION_MARK = /[\u200E\u200F]/;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** BOM, direction marks, embeddings and isolates: dropped wherever they are. */
function isRemovedMark(c: number): boolean {
  return (
    c === 0xfeff || c === 0x200e || c === 0x200f || c === 0x061c || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
  );
}

function isDirectionMark(c: number): boolean {
  return c === 0x200e || c === 0x200f;
}

/** A non-ASCII character as header matching sees it: odd spaces are spaces, Arabic-Indic digits are digits. */
function normalised(c: number): number {
  if (c === 0xa0 || c === 0x202f || c === 0x2009 || c === 0x2007 || c === 0x2008 || c === 0x200a || c === 0x3000) return 32;
  if (c >= 0x660 && c <= 0x669) return c - 0x660 + 48;
  if (c >= 0x6f0 && c <= 0x6f9) return c - 0x6f0 + 48;
  if (c === 0x60c) return 44; // Arabic comma
  return c;
}

/** Whether the text at `i` starts with a direction mark, after any BOM. */
function markAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return isDirectionMark(c) || (c === 0xfeff && isDirectionMark(text.charCodeAt(i + 1)));
}

function cleanIfNeeded(s: string): string {
  return NEEDS_CLEAN.test(s) ? cleanText(s).replace(CARRIAGE_RETURN, '\n') : s;
}

/**
 * A message body, cleaned as cleanIfNeeded cleans it; a mention (`@⁨Name⁩`, between isolates, which are
 * among what NEEDS_CLEAN looks for) becomes `@Name` when Name writes in this file, else NAME_MARKER: cleaning
 * drops the isolates, and with them where the name ends, so an unknown name would be stored in clear.
 */
function cleanBody(s: string, build: Build, speakers: Speaker[]): string {
  return NEEDS_CLEAN.test(s) ? cleanMarked(s, build, speakers) : s;
}

function cleanMarked(s: string, build: Build, speakers: Speaker[]): string {
  const t = s.indexOf('@\u2068') >= 0 ? s.replace(MENTION, (_m, name: string) => mentionOut(name, build, speakers)) : s;
  return cleanText(t).replace(CARRIAGE_RETURN, '\n');
}

const MENTION = /@\u2068([^\u2068\u2069\n]{1,100})\u2069/g;

function mentionOut(name: string, build: Build, speakers: Speaker[]): string {
  let keys = build.speakerKeys;
  if (keys === null) {
    keys = new Set<string>();
    for (const sp of speakers) if (sp.plausible) keys.add(sp.key);
    build.speakerKeys = keys;
  }
  // The same few names come back in a chat: their key is worked out once.
  let out = build.mentionOut.get(name);
  if (out === undefined) {
    // Every header of the file is read before any message is built: the same answer in either pass of a stream.
    // Copies, not slices: a streamed file's segment must not stay alive through them.
    out = displayName(name) !== '' && keys.has(authorKey(name)) ? detach(`@${name}`) : NAME_MARKER;
    build.mentionOut.set(detach(name), out);
  }
  return out;
}

/**
 * A copy of a string that does not keep alive the text it was cut from: V8 makes a slice of 13 characters
 * or more a view into its parent, so one kept name would hold a whole segment of a streamed file. The
 * concatenation is flattened into a fresh string before it is sliced.
 */
function detach(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}

// ---------------------------------------------------------------------------------------------------------
// Header shapes (D = date, T = time, M = day period):
//   Android `D, T - `  (comma optional, or a joining word: `12/07/2017 à 22:35`, `13.6.2018 klo 21.25.15`)
//   iOS     `[D, T] `  (comma optional), time first `[T, D] ` (Vietnamese), old iOS `D, T: `
//   D = `18/03/2022`, `18.03.22`, `2022/03/18`, `18-03-2022`, `3/18/R4` (Japanese era), `3/18/2565 BE`
//   T = `14:56`, `14:56:01`, `14.56.01`, then an optional M of up to three words (`PM`, `a. m.`,
//   `in the afternoon`, `nachm.`, `م`); East Asian M comes before T (`午後2:56`).

const SHAPE_DASH = 0;
const SHAPE_BRACKET = 1;
const SHAPE_TIME_FIRST = 2;
const SHAPE_COLON = 3;
const SHAPE_NAMES = ['D, T - ', '[D, T] ', '[T, D] ', 'D, T: '];

const PRE_MARKERS = ['午前', '午後', '上午', '下午', '中午', '凌晨', '早上', '晚上', '오전', '오후'];

/** Japanese era letters: Reiwa, Heisei, Showa, Taisho. */
function isEra(c: number): boolean {
  return c === 82 || c === 72 || c === 83 || c === 84;
}

/** A character a day-period word may hold: not a space, digit or header delimiter (`]`, `-`, `–`, `:`, `,`). */
function isMarkerChar(c: number): boolean {
  return c > 32 && !isDigit(c) && c !== 93 && c !== 45 && c !== 0x2013 && c !== 58 && c !== 44;
}

/**
 * Reads the header at the start of a raw line; `scan` returns false when the line is not one. Marks are
 * skipped and odd spaces and Arabic-Indic digits read as plain ones, so no line is cleaned to be matched.
 * A day-period word can never swallow the delimiter after it, so it never ends up in the author name.
 */
class HeaderScanner {
  private s = '';
  private end = 0;
  private v = 0;
  /** Where the text after the header (author and message) starts. */
  i = 0;
  kind = 0;
  a = 0;
  aLen = 0;
  aEra = 0;
  b = 0;
  bLen = 0;
  c = 0;
  cLen = 0;
  cEra = 0;
  sep = 0;
  buddhist = false;
  hour = 0;
  minute = 0;
  /** -1 when the time has no seconds. */
  second = -1;
  markerStart = -1;
  markerEnd = -1;
  /** A direction mark was skipped in some header: the file has marks (iOS puts them on attachment lines). */
  sawMark = false;

  /**
   * The date part (`18/03/2022, ` or `[18/03/2022, `) of the last line whose date read well, as a span of
   * the text, with what was read from it: consecutive messages mostly share their day, and a line that
   * starts with the very same characters is read from there on. `dayText` is the text the span is in.
   */
  private dayText = '';
  private dayStart = -1;
  private dayLength = 0;
  private day = new Int32Array(11);

  scan(s: string, start: number, end: number): boolean {
    this.s = s;
    this.end = end;
    this.reset(start);
    if (this.dayLength > 0 && this.sameDay(start)) {
      this.restoreDay();
      this.i = start + this.dayLength;
      if (!this.time()) return false;
      return this.day[10] === 1 ? this.close() : this.delimiter();
    }
    const first = this.peek();
    if (first === 91) {
      const open = ++this.i;
      if (this.date() && this.join() && this.rememberDay(start, true) && this.time() && this.close()) return true;
      this.reset(open);
      if (this.time() && this.gapBeforeDate() && this.date() && this.close()) {
        this.kind = SHAPE_TIME_FIRST;
        return true;
      }
      return false;
    }
    return isDigit(first) && this.date() && this.join() && this.rememberDay(start, false) && this.time() && this.delimiter();
  }

  private sameDay(start: number): boolean {
    const s = this.s;
    const day = this.dayText;
    const from = this.dayStart;
    const length = this.dayLength;
    if (start + length >= this.end) return false;
    for (let i = 0; i < length; i++) if (s.charCodeAt(start + i) !== day.charCodeAt(from + i)) return false;
    return true;
  }

  /** Keeps the date just read (unless a day period came with it), and what the line's layout is so far. */
  private rememberDay(start: number, bracket: boolean): boolean {
    this.kind = bracket ? SHAPE_BRACKET : SHAPE_DASH;
    if (this.markerStart >= 0) {
      this.dayLength = 0;
      return true;
    }
    this.dayText = this.s;
    this.dayStart = start;
    this.dayLength = this.i - start;
    const d = this.day;
    d[0] = this.a;
    d[1] = this.aLen;
    d[2] = this.aEra;
    d[3] = this.b;
    d[4] = this.bLen;
    d[5] = this.c;
    d[6] = this.cLen;
    d[7] = this.cEra;
    d[8] = this.sep;
    d[9] = this.buddhist ? 1 : 0;
    d[10] = bracket ? 1 : 0;
    return true;
  }

  private restoreDay(): void {
    const d = this.day;
    this.a = d[0] as number;
    this.aLen = d[1] as number;
    this.aEra = d[2] as number;
    this.b = d[3] as number;
    this.bLen = d[4] as number;
    this.c = d[5] as number;
    this.cLen = d[6] as number;
    this.cEra = d[7] as number;
    this.sep = d[8] as number;
    this.buddhist = d[9] === 1;
    this.kind = d[10] === 1 ? SHAPE_BRACKET : SHAPE_DASH;
  }

  /** After an Android time: ` - ` (kind stays DASH) or, old iOS, `: ` (kind COLON). */
  private delimiter(): boolean {
    const c = this.peek();
    if (c === 32) {
      this.i++;
      const dash = this.peek();
      if (dash !== 45 && dash !== 0x2013) return false;
      this.i++;
      if (this.peek() !== 32) return false;
      this.i++;
      this.kind = SHAPE_DASH;
      return true;
    }
    if (c !== 58) return false;
    this.i++;
    if (this.peek() !== 32) return false;
    this.i++;
    this.kind = SHAPE_COLON;
    return true;
  }

  /** After a parse: forgets the file. */
  release(): void {
    this.s = '';
    this.sawMark = false;
    this.dayText = '';
    this.dayLength = 0;
  }

  /**
   * Before the next segment of a file: the remembered date is copied out of the segment it is in, and
   * still applies. Reading from a remembered date is not always the same as reading afresh (`18.03.22,`
   * remembered from `18.03.22,14:56` does not match `18.03.22, 8:00` from its time on), so a line at the
   * start of a segment must be read as it would be in the whole text.
   */
  carryDay(): void {
    if (this.dayLength === 0) return;
    this.dayText = detach(this.dayText.slice(this.dayStart, this.dayStart + this.dayLength));
    this.dayStart = 0;
  }

  private reset(i: number): void {
    this.i = i;
    this.markerStart = -1;
    this.markerEnd = -1;
    this.buddhist = false;
    this.second = -1;
  }

  /** The character at `i` as matching sees it (marks skipped; `i` moves past them); -1 at the line end. */
  private peek(): number {
    const i = this.i;
    if (i >= this.end) return -1;
    const c = this.s.charCodeAt(i);
    return c < 128 ? c : this.peekBeyondAscii(c);
  }

  private peekBeyondAscii(first: number): number {
    const s = this.s;
    let i = this.i;
    let c = first;
    while (isRemovedMark(c)) {
      if (isDirectionMark(c)) this.sawMark = true;
      if (++i >= this.end) {
        this.i = i;
        return -1;
      }
      c = s.charCodeAt(i);
    }
    this.i = i;
    return c < 128 ? c : normalised(c);
  }

  /** Up to `max` digits; returns how many were read, the value in `v`. */
  private num(max: number): number {
    let v = 0;
    let n = 0;
    while (n < max) {
      const c = this.peek();
      if (!isDigit(c)) break;
      v = v * 10 + c - 48;
      this.i++;
      n++;
    }
    this.v = v;
    return n;
  }

  /** One optional space. */
  private space(): void {
    if (this.peek() === 32) this.i++;
  }

  private era(): number {
    const c = this.peek();
    if (!isEra(c)) return 0;
    this.i++;
    return c;
  }

  private date(): boolean {
    this.aEra = this.era();
    this.aLen = this.num(this.aEra ? 2 : 4);
    if (!this.aLen) return false;
    this.a = this.v;
    const sep = this.peek();
    if (sep !== 47 && sep !== 46 && sep !== 45) return false;
    this.sep = sep;
    this.i++;
    this.space();
    this.bLen = this.num(2);
    if (!this.bLen || this.peek() !== sep) return false;
    this.b = this.v;
    this.i++;
    this.space();
    this.cEra = this.era();
    this.cLen = this.num(this.cEra ? 2 : 4);
    if (!this.cLen) return false;
    this.c = this.v;
    if (this.peek() === 46) this.i++;
    const before = this.i;
    this.space();
    const era = this.peek();
    if (era === 66 /* B */ || era === 0xe1e /* พ */) {
      const s = this.s;
      if (s.startsWith('BE', this.i)) {
        this.buddhist = true;
        this.i += 2;
        return true;
      }
      if (s.startsWith('B.E.', this.i) || s.startsWith('พ.ศ.', this.i)) {
        this.buddhist = true;
        this.i += 4;
        return true;
      }
    }
    this.i = before;
    return true;
  }

  /** `, ` or ` ` between date and time, maybe with a joining word (`à`, `klo`, `um`, `kl.`). */
  private join(): boolean {
    const c = this.peek();
    if (c === 44) {
      this.i++;
      this.space();
    } else if (c === 32) this.i++;
    else return false;
    const d = this.peek();
    if (isDigit(d) || (d >= 0x3000 && this.preMarker())) return true;
    let n = 0;
    for (let w = this.peek(); n < 4 && isMarkerChar(w) && w !== 91; w = this.peek()) {
      this.i++;
      n++;
    }
    if (n === 0 || this.peek() !== 32) return false;
    this.i++;
    return true;
  }

  private preMarker(): boolean {
    for (const m of PRE_MARKERS) {
      if (this.s.startsWith(m, this.i)) {
        this.markerStart = this.i;
        this.i += m.length;
        this.markerEnd = this.i;
        this.space();
        return true;
      }
    }
    return false;
  }

  private time(): boolean {
    if (this.peek() >= 0x3000) this.preMarker();
    if (!this.num(2)) return false;
    this.hour = this.v;
    const c = this.peek();
    if (c !== 58 && c !== 46) return false;
    this.i++;
    if (this.num(2) !== 2) return false;
    this.minute = this.v;
    const d = this.peek();
    if (d === 58 || d === 46) {
      const at = this.i++;
      if (this.num(2) === 2) this.second = this.v;
      else this.i = at;
    }
    this.postMarker();
    return true;
  }

  /** Up to three words after the time (`PM`, `a. m.`, `in the afternoon`); the first cannot start with `.`. */
  private postMarker(): void {
    const back = this.i;
    this.space();
    const c = this.peek();
    if (!isMarkerChar(c) || c === 46) {
      this.i = back;
      return;
    }
    const start = this.i;
    let end = start;
    for (let words = 0; words < 3; words++) {
      while (isMarkerChar(this.peek())) this.i++;
      end = this.i;
      if (this.peek() !== 32) break;
      this.i++;
      if (!isMarkerChar(this.peek())) break;
    }
    this.i = end;
    this.markerStart = start;
    this.markerEnd = end;
  }

  private close(): boolean {
    if (this.peek() !== 93) return false;
    this.i++;
    this.space();
    return true;
  }

  private gapBeforeDate(): boolean {
    if (this.peek() === 44) this.i++;
    if (this.peek() !== 32) return false;
    this.i++;
    return true;
  }
}

/** Starts like a header (date and time) but did not read as one: a broken header worth a warning. */
const NEAR_HEADER = /^\[?\d{1,4}[./-] ?\d{1,2}[./-] ?\d{1,4}\S*[, ]+\S{0,4} ?\d{1,2}[:.]\d{2}/;

/**
 * Every line that reads as a header, as columns (one row per header, in line order): a big export has
 * hundreds of thousands, and rows of numbers cost the garbage collector nothing.
 */
class HeaderTable {
  n = 0;
  /** 0-based line number. */
  line: Int32Array;
  lineStart: Int32Array;
  lineEnd: Int32Array;
  /** Where the author (or a system line's text) starts. */
  restStart: Int32Array;
  /** Where the message text starts (after `Author: `). */
  bodyStart: Int32Array;
  /** The speaker's id (see SpeechReader.speakers), or -1 for a line without an author. */
  speaker: Int32Array;
  /** Coarse layout: kind, date separator, seconds, day period, year position and length. */
  shape: Int32Array;
  /** The three date parts as written, before the file's order is known. */
  a: Int32Array;
  b: Int32Array;
  c: Int32Array;
  /** Digit counts, era letters and the Buddhist flag, packed (see `add`). */
  form: Int32Array;
  hour: Int32Array;
  minute: Int32Array;
  second: Int32Array;
  /** Index into `markers`, -1 for none. */
  marker: Int32Array;
  /** Local seconds since 1970 once stamped; -1 when the date is impossible or not read. */
  t: Float64Array;
  hour24: Int32Array;
  /** The date once stamped, as the number YYYYMMDD. */
  day: Int32Array;
  /** Day-period words, cleaned (`p. m.`), and as written in the file, by id. */
  markers: string[] = [];
  private markersAsWritten: string[] = [];
  /**
   * The first line of each header without an author (Android's membership lines: "Amina added Zainab"), by
   * row, kept by the scan while it has the text: read for names later (see mentionedOf) without decoding a
   * streamed file once more to reach them.
   */
  authorless = new Map<number, string>();

  constructor() {
    const n = 256;
    this.line = new Int32Array(n);
    this.lineStart = new Int32Array(n);
    this.lineEnd = new Int32Array(n);
    this.restStart = new Int32Array(n);
    this.bodyStart = new Int32Array(n);
    this.speaker = new Int32Array(n);
    this.shape = new Int32Array(n);
    this.a = new Int32Array(n);
    this.b = new Int32Array(n);
    this.c = new Int32Array(n);
    this.form = new Int32Array(n);
    this.hour = new Int32Array(n);
    this.minute = new Int32Array(n);
    this.second = new Int32Array(n);
    this.marker = new Int32Array(n);
    this.t = new Float64Array(n);
    this.hour24 = new Int32Array(n);
    this.day = new Int32Array(n);
  }

  /** Empties the table for a new file; `capacity` is a guess at its number of headers (it grows past it). */
  reset(capacity: number): void {
    this.n = 0;
    this.markers = [];
    this.markersAsWritten = [];
    if (this.line.length < capacity) this.resize(capacity, false);
  }

  /**
   * After a parse: lets go of the columns of a very big file, so they are not held until the next one.
   * Up to 131,072 rows (about 10 MB) are kept: reallocating them for every big upload costs more.
   */
  release(): void {
    this.n = 0;
    this.markers = [];
    this.markersAsWritten = [];
    this.authorless = new Map();
    if (this.line.length > 131_072) this.resize(256, false);
  }

  /** Adds the header just scanned in `text`, which starts at `base` in the whole text (positions in `text`). */
  add(text: string, base: number, line: number, lineStart: number, lineEnd: number, sc: HeaderScanner): void {
    if (this.n === this.line.length) this.resize(this.line.length * 2, true);
    const k = this.n++;
    this.line[k] = line;
    this.lineStart[k] = base + lineStart;
    this.lineEnd[k] = base + lineEnd;
    this.restStart[k] = base + sc.i;
    const hasMarker = sc.markerStart >= 0;
    this.shape[k] =
      sc.kind +
      4 * (sc.sep === 47 ? 0 : sc.sep === 46 ? 1 : 2) +
      16 * (sc.second < 0 ? 0 : 1) +
      32 * (hasMarker ? 1 : 0) +
      64 * (sc.aLen > 2 || sc.aEra ? 1 : 0) +
      128 * (sc.cLen > 2 ? 1 : 0);
    this.a[k] = sc.a;
    this.b[k] = sc.b;
    this.c[k] = sc.c;
    this.form[k] = sc.aLen | (sc.bLen << 3) | (sc.cLen << 6) | (sc.aEra << 9) | (sc.cEra << 16) | (sc.buddhist ? 1 << 23 : 0);
    this.hour[k] = sc.hour;
    this.minute[k] = sc.minute;
    this.second[k] = Math.max(sc.second, 0);
    this.marker[k] = hasMarker ? this.markerId(text, sc.markerStart, sc.markerEnd) : -1;
    this.t[k] = -1;
  }

  aLen(k: number): number {
    return (this.form[k] as number) & 7;
  }
  bLen(k: number): number {
    return ((this.form[k] as number) >> 3) & 7;
  }
  cLen(k: number): number {
    return ((this.form[k] as number) >> 6) & 7;
  }
  aEra(k: number): number {
    return ((this.form[k] as number) >> 9) & 127;
  }
  cEra(k: number): number {
    return ((this.form[k] as number) >> 16) & 127;
  }
  buddhist(k: number): boolean {
    return (((this.form[k] as number) >> 23) & 1) === 1;
  }

  /**
   * `YYYY-MM-DDTHH:MM:SS` of a stamped header. Built from character codes: a template literal would leave
   * a tree of string pieces behind every message, which the garbage collector then copies around.
   */
  at(k: number): string {
    const day = this.day[k] as number;
    const y = (day / 10000) | 0;
    const mo = ((day / 100) | 0) % 100;
    const d = day % 100;
    const h = this.hour24[k] as number;
    const mi = this.minute[k] as number;
    const s = this.second[k] as number;
    return String.fromCharCode(
      48 + ((y / 1000) | 0),
      48 + (((y / 100) | 0) % 10),
      48 + (((y / 10) | 0) % 10),
      48 + (y % 10),
      45,
      48 + ((mo / 10) | 0),
      48 + (mo % 10),
      45,
      48 + ((d / 10) | 0),
      48 + (d % 10),
      84,
      48 + ((h / 10) | 0),
      48 + (h % 10),
      58,
      48 + ((mi / 10) | 0),
      48 + (mi % 10),
      58,
      48 + ((s / 10) | 0),
      48 + (s % 10),
    );
  }

  /** The date as written, for messages about it: `31/31/2019`. */
  dateText(k: number): string {
    const part = (v: number, len: number, era: number) => (era ? String.fromCharCode(era) : '') + String(v).padStart(len, '0');
    return `${part(this.a[k] as number, this.aLen(k), this.aEra(k))}/${part(this.b[k] as number, this.bLen(k), 0)}/${part(this.c[k] as number, this.cLen(k), this.cEra(k))}`;
  }

  /** A file uses two or three day-period words: compared in place, without copying them out. */
  private markerId(text: string, start: number, end: number): number {
    const written = this.markersAsWritten;
    for (let id = 0; id < written.length; id++) {
      const w = written[id] as string;
      if (w.length === end - start && text.startsWith(w, start)) return id;
    }
    const raw = detach(text.slice(start, end));
    written.push(raw);
    this.markers.push(cleanText(raw).replace(/\s+/g, ' ').trim());
    return written.length - 1;
  }

  /**
   * For a stream, once the file's decisions are made: keeps only the columns that building messages reads
   * (positions, speaker, time), cut to the rows there are, for as long as the chunks take to consume.
   */
  keepForBuilding(): void {
    const n = this.n;
    this.line = this.line.slice(0, n);
    this.lineStart = this.lineStart.slice(0, n);
    this.lineEnd = this.lineEnd.slice(0, n);
    this.bodyStart = this.bodyStart.slice(0, n);
    this.speaker = this.speaker.slice(0, n);
    this.minute = this.minute.slice(0, n);
    this.second = this.second.slice(0, n);
    this.t = this.t.slice(0, n);
    this.hour24 = this.hour24.slice(0, n);
    this.day = this.day.slice(0, n);
    const none = new Int32Array(0);
    this.restStart = none;
    this.shape = none;
    this.a = none;
    this.b = none;
    this.c = none;
    this.form = none;
    this.hour = none;
    this.marker = none;
  }

  private resize(size: number, keep: boolean): void {
    const more = <T extends Int32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as { new (n: number): T })(size);
      if (keep) b.set(a);
      return b;
    };
    this.line = more(this.line);
    this.lineStart = more(this.lineStart);
    this.lineEnd = more(this.lineEnd);
    this.restStart = more(this.restStart);
    this.bodyStart = more(this.bodyStart);
    this.speaker = more(this.speaker);
    this.shape = more(this.shape);
    this.a = more(this.a);
    this.b = more(this.b);
    this.c = more(this.c);
    this.form = more(this.form);
    this.hour = more(this.hour);
    this.minute = more(this.minute);
    this.second = more(this.second);
    this.marker = more(this.marker);
    this.t = more(this.t);
    this.hour24 = more(this.hour24);
    this.day = more(this.day);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Day periods

type Period = 'am' | 'pm' | 'night';

/** Day-period markers, keyed lower-case without spaces. `night` covers both sides of midnight (21:00–05:59). */
const PERIODS = new Map<string, Period>();
for (const [period, words] of [
  [
    'am',
    'am a.m. a.m vorm. vormittags morgens früh inthemorning morning midnight ص 午前 上午 早上 凌晨 오전 sa π.μ. πμ पूर्वाह्न ق.ظ. pg öö delamañana delamadrugada dumatin dimattina damanhã утра ранку dop. de.',
  ],
  [
    'pm',
    'pm p.m. p.m nachm. nachmittags mittags abends intheafternoon intheevening afternoon evening noon م 午後 下午 中午 晚上 오후 ch μ.μ. μμ अपराह्न ب.ظ. ptg ös delatarde delanoche dusoir delpomeriggio disera datarde danoite дня вечера вечора odp. du.',
  ],
  ['night', 'atnight night nachts inthenight ночи ночі'],
] as const) {
  for (const w of words.split(' ')) PERIODS.set(w.toLowerCase(), period);
}

/** The period a day-period word names, or null when unknown: `periodOf("p. m.")` → `'pm'`. */
function periodOf(marker: string): Period | null {
  return PERIODS.get(marker.toLowerCase().replace(/\s+/g, '')) ?? null;
}

/** 12-hour clock to 24: `to24(12, 'am')` → 0, `to24(9, 'night')` → 21. Hours above 12 are already 24-hour. */
function to24(hour: number, period: Period | null): number {
  if (period === null || hour > 12) return hour;
  if (period === 'am') return hour === 12 ? 0 : hour;
  if (period === 'pm') return hour === 12 ? 12 : hour + 12;
  // night: 9–11 is evening, 12–5 is after midnight
  if (hour === 12) return 0;
  return hour >= 6 ? hour + 12 : hour;
}

// ---------------------------------------------------------------------------------------------------------
// Dates

type DateOrder = 'dmy' | 'mdy' | 'ymd';

/** Year from a year part: 2-digit → 20yy, Buddhist (≥ 2400) → −543, Japanese era R/H/S/T. */
function yearOf(value: number, length: number, era: number, buddhist: boolean): number {
  if (era === 82) return 2018 + value; // Reiwa
  if (era === 72) return 1988 + value; // Heisei
  if (era === 83) return 1925 + value; // Showa
  if (era === 84) return 1911 + value; // Taisho
  if (length <= 2) return 2000 + value;
  return buddhist || value >= 2400 ? value - 543 : value;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}


/** Oldest and newest year a WhatsApp export can plausibly hold (WhatsApp is from 2009; allow clock slips). */
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

/**
 * Stamps every header of one layout with its time under a date order (consecutive headers mostly share a
 * date, so the last one is remembered). Headers with impossible dates or times keep `t = -1`; their rows
 * are returned.
 */
function stampLayout(table: HeaderTable, rows: Int32Array, order: DateOrder, periods: (Period | null)[]): number[] {
  const bad: number[] = [];
  let lastA = -1;
  let lastB = -1;
  let lastC = -1;
  let lastForm = -1;
  let day = -1;
  let date = 0;
  for (let r = 0; r < rows.length; r++) {
    const k = rows[r] as number;
    const a = table.a[k] as number;
    const b = table.b[k] as number;
    const c = table.c[k] as number;
    const form = table.form[k] as number;
    if (a !== lastA || b !== lastB || c !== lastC || form !== lastForm) {
      lastA = a;
      lastB = b;
      lastC = c;
      lastForm = form;
      let y: number;
      let mo: number;
      let d: number;
      if (order === 'ymd') {
        y = yearOf(a, table.aLen(k), table.aEra(k), table.buddhist(k));
        mo = b;
        d = c;
      } else {
        y = yearOf(c, table.cLen(k), table.cEra(k), table.buddhist(k));
        mo = order === 'dmy' ? b : a;
        d = order === 'dmy' ? a : b;
      }
      const valid =
        y >= MIN_YEAR &&
        y <= MAX_YEAR &&
        mo >= 1 &&
        mo <= 12 &&
        d >= 1 &&
        d <= (mo === 2 && isLeap(y) ? 29 : (DAYS_IN_MONTH[mo - 1] ?? 0));
      day = valid ? daysFromCivil(y, mo, d) : -1;
      date = y * 10000 + mo * 100 + d;
    }
    const marker = table.marker[k] as number;
    const hour = marker < 0 ? (table.hour[k] as number) : to24(table.hour[k] as number, periods[marker] ?? null);
    const minute = table.minute[k] as number;
    const second = table.second[k] as number;
    if (day < 0 || hour > 23 || minute > 59 || second > 59) {
      bad.push(k);
      continue;
    }
    table.t[k] = day * 86400 + hour * 3600 + minute * 60 + second;
    table.hour24[k] = hour;
    table.day[k] = date;
  }
  return bad;
}

interface OrderDecision {
  order: DateOrder;
  /** How it was decided: evidence (`settled`, `frequency`) or a guess (`hint`, `default`). */
  how: 'settled' | 'frequency' | 'hint' | 'default';
}

/**
 * Day/month order for one header layout: a part > 12 settles it; else the part that changes more often
 * between consecutive headers is the day; else the placeholders' language; else day-first.
 */
function decideOrder(table: HeaderTable, rows: Int32Array, localeHint: () => DateOrder | null): OrderDecision {
  const first = rows[0] ?? 0;
  if (table.aLen(first) > 2 || table.aEra(first)) return { order: 'ymd', how: 'settled' };
  let firstOver12 = 0;
  let secondOver12 = 0;
  let firstChanges = 0;
  let secondChanges = 0;
  let prevA = -1;
  let prevB = -1;
  for (let r = 0; r < rows.length; r++) {
    const k = rows[r] as number;
    const a = table.a[k] as number;
    const b = table.b[k] as number;
    if (a > 12) firstOver12++;
    if (b > 12) secondOver12++;
    if (prevA >= 0 && a !== prevA) firstChanges++;
    if (prevB >= 0 && b !== prevB) secondChanges++;
    prevA = a;
    prevB = b;
  }
  // Both present means some headers are impossible either way; the majority wins and the rest fail later.
  if (firstOver12 || secondOver12) return { order: firstOver12 >= secondOver12 ? 'dmy' : 'mdy', how: 'settled' };
  if (firstChanges !== secondChanges) return { order: firstChanges > secondChanges ? 'dmy' : 'mdy', how: 'frequency' };
  const hint = localeHint();
  if (hint) return { order: hint, how: 'hint' };
  return { order: 'dmy', how: 'default' };
}

// ---------------------------------------------------------------------------------------------------------
// What a message body is: placeholders, deletions, system lines, polls

/** Lower-cases and drops one trailing full stop, so `This message was deleted.` and `…deleted` meet. */
function lookupKey(s: string): string {
  const k = s.trim().toLowerCase();
  const last = k.charCodeAt(k.length - 1);
  return last === 46 || last === 0x3002 ? k.slice(0, -1) : k;
}

function keySet(list: readonly string[]): Set<string> {
  return new Set(list.map(lookupKey));
}

/** iOS "omitted" placeholders and Android `<…>` placeholders, as seen in the corpora and their translations. */
const MEDIA_PHRASES: readonly string[] = [
  // Android
  '<Media omitted>',
  '<Medien ausgeschlossen>',
  '<Média vynechány>',
  '<Media weggelaten>',
  '<Без медиафайлов>',
  '‹تم استبعاد الوسائط›',
  '<تم استبعاد الوسائط>',
  '<Multimedia omitido>',
  '<Archivo omitido>',
  '<Médias omis>',
  '<Media omessi>',
  '<Mídia oculta>',
  '<Arquivo de mídia oculto>',
  '<Ficheiro multimédia omitido>',
  '<Media tidak disertakan>',
  '<Медіафайли пропущено>',
  '<Без медіафайлів>',
  '<मीडिया के बिना>',
  '<メディアなし>',
  '<ไม่รวมสื่อ>',
  '<Không có tệp phương tiện>',
  '<Medya dahil edilmedi>',
  '<Pominięto multimedia>',
  'sticker omitted',
  // iOS: en
  'image omitted',
  'video omitted',
  'audio omitted',
  'Contact card omitted',
  'sticker omitted',
  'document omitted',
  'GIF omitted',
  'video note omitted',
  // ar
  'لم يتم إدراج الصورة',
  'لم يتم إدراج الفيديوهات',
  'لم يتم إدراج الفيديو',
  'لم يتم إدراج المقاطع الصوتية',
  'لم يتم إدراج بطاقة جهة اتصال',
  'تم حذف الملصقات',
  'لم يتم إدراج المستند',
  'لم يتم إدراج صورة GIF',
  // cs
  'obrázek vynechán',
  'video vynecháno',
  'zvukový soubor vynechán',
  'Vizitka vynechána',
  'nálepka vynechána',
  'dokument vynechán',
  'GIF vynechán',
  // fr
  'image absente',
  'vidéo absente',
  'audio omis',
  'Fiche contact manquante',
  'sticker omis',
  'document manquant',
  'GIF retiré',
  // de
  'Bild weggelassen',
  'Video weggelassen',
  'Audio weggelassen',
  'Kontaktkarte ausgelassen',
  'Sticker weggelassen',
  'Dokument weggelassen',
  'GIF weggelassen',
  // hi
  'फ़ोटो हटाई गई',
  'वीडियो छोड़ा गया',
  'ऑडियो हटाई गयी',
  'कॉन्टैक्ट कार्ड छोड़ा गया',
  'स्टिकर छोड़ा गया',
  'डॉक्यूमेंट छोड़ा गया',
  'GIF छोड़ा गया',
  // id
  'gambar tidak disertakan',
  'video tidak disertakan',
  'audio tidak disertakan',
  'Kartu kontak tidak disertakan',
  'stiker tidak disertakan',
  'dokumen tidak disertakan',
  'GIF tidak disertakan',
  // it
  'immagine omessa',
  'video omesso',
  'audio omesso',
  'Scheda contatto omessa',
  'sticker non incluso',
  'documento omesso',
  'GIF esclusa',
  // ja
  '画像は含まれていません',
  'ビデオは含まれていません',
  '音声は含まれていません',
  '連絡先カードを省略',
  'スタンプは含まれていません',
  'ドキュメントは含まれていません',
  'GIFは含まれていません',
  // pt (PT and BR)
  'imagem não revelada',
  'vídeo não revelado',
  'ficheiro de áudio não revelado',
  'Contacto não revelado',
  'sticker não revelado',
  'documento não revelado',
  'GIF não revelada',
  'imagem ocultada',
  'vídeo omitido',
  'áudio ocultado',
  'figurinha omitida',
  'documento omitido',
  'cartão de contato omitido',
  // ru
  'изображение отсутствует',
  'видео отсутствует',
  'аудиофайл отсутствует',
  'Карточка контакта отсутствует',
  'стикер не добавлен',
  'документ отсутствует',
  'GIF отсутствует',
  // es
  'imagen omitida',
  'Video omitido',
  'audio omitido',
  'Tarjeta de contacto omitida',
  'sticker omitido',
  'GIF omitido',
  // th
  'ไม่มีรูปภาพ',
  'วิดีโอถูกลบ',
  'ไม่มีไฟล์เสียง',
  'บัตรรายชื่อที่ละเว้น',
  'ไม่มีสติกเกอร์',
  'ละเว้นเอกสาร',
  'ละเว้น GIF',
  // uk
  'зображення відсутнє',
  'відео відсутнє',
  'аудіо відсутнє',
  'Картка контакту відсутня',
  'Наклейку не додано',
  'документ пропущено',
  'GIF-анімацію пропущено',
  // vi
  'đã bỏ qua hình ảnh',
  'đã bỏ video',
  'bỏ qua tệp âm thanh',
  'Bỏ qua thẻ liên lạc',
  'đã bỏ sticker',
  'đã bỏ qua tài liệu',
  'Đã bỏ qua ảnh GIF',
  // nl
  'afbeelding weggelaten',
  'video weggelaten',
  'audio weggelaten',
  'sticker weggelaten',
  'document weggelaten',
  'GIF weggelaten',
  'contactkaart weggelaten',
];
const MEDIA_SET = keySet(MEDIA_PHRASES);

const DELETED_SET = keySet([
  'This message was deleted',
  'You deleted this message',
  'Se eliminó este mensaje',
  'Eliminaste este mensaje',
  'Este mensaje fue eliminado',
  'Diese Nachricht wurde gelöscht',
  'Du hast diese Nachricht gelöscht',
  'Ce message a été supprimé',
  'Vous avez supprimé ce message',
  'Questo messaggio è stato eliminato',
  'Hai eliminato questo messaggio',
  'Esta mensagem foi apagada',
  'Apagou esta mensagem',
  'Mensagem apagada',
  'Você apagou esta mensagem',
  'Данное сообщение удалено',
  'Вы удалили данное сообщение',
  'Это сообщение удалено',
  'Це повідомлення було видалено',
  'Ви видалили це повідомлення',
  'Це повідомлення видалено',
  'Tato zpráva byla odstraněna',
  'Tuto zprávu jste odstranil/a',
  'Tuto zprávu jste smazal/a',
  'Tato zpráva byla smazána',
  'Dit bericht is verwijderd',
  'U hebt dit bericht verwijderd',
  'Je hebt dit bericht verwijderd',
  'تم حذف هذه الرسالة',
  'أنت حذفت هذه الرسالة',
  'لقد حذَفت هذه الرسالة',
  'لقد حذفت هذه الرسالة',
  'このメッセージは削除されました',
  'このメッセージを削除しました',
  'यह मैसेज डिलीट कर दिया गया है',
  'आपने यह मैसेज डिलीट किया',
  'Pesan ini dihapus',
  'Anda menghapus pesan ini',
  'ข้อความนี้ถูกลบแล้ว',
  'คุณได้ลบข้อความนี้',
  'Tin nhắn này đã bị xóa',
  'Tin nhắn này đã bị xoá',
  'Bạn đã xoá tin nhắn này',
  'Bạn đã xóa tin nhắn này',
  'Bu mesaj silindi',
  'Bu mesajı sildiniz',
]);

/** Whole-body system lines that carry an author on Android (missed calls). */
const SYSTEM_SET = keySet([
  'Missed voice call',
  'Missed video call',
  'Missed group voice call',
  'Missed group video call',
  'Zmeškaný hovor',
  'Zmeškaný videohovor',
  'Gemiste spraakoproep',
  'Gemiste videogesprek',
  'Gemiste videooproep',
  'Пропущенный аудиозвонок',
  'Пропущенный видеозвонок',
  'Пропущений аудіодзвінок',
  'Пропущений відеодзвінок',
  'Verpasster Sprachanruf',
  'Verpasster Videoanruf',
  'Appel vocal manqué',
  'Appel vidéo manqué',
  'Llamada perdida',
  'Videollamada perdida',
  'Llamada de voz perdida',
  'Chiamata vocale persa',
  'Videochiamata persa',
  'Chamada de voz perdida',
  'Chamada de vídeo perdida',
  'مكالمة صوتية فائتة',
  'مكالمة فيديو فائتة',
  '不在着信',
  '音声通話の不在着信',
  'ビデオ通話の不在着信',
  'मिस्ड वॉइस कॉल',
  'मिस्ड वीडियो कॉल',
  'Panggilan suara tak terjawab',
  'Panggilan video tak terjawab',
  'สายที่ไม่ได้รับ',
  'Cuộc gọi thoại nhỡ',
  'Cuộc gọi video nhỡ',
  'Waiting for this message. This may take a while',
  "You're now an admin",
  "You're no longer an admin",
]);

/**
 * System sentences safe to recognise anywhere, even with an author before them (iOS puts the chat name
 * there): they would hardly be typed by a person. Encryption notice, security code, group created,
 * subject/icon/description changed, invite link, disappearing messages.
 */
const SYSTEM_STRONG = new RegExp(
  [
    // encryption notice, in the corpora's languages
    'end-to-end encrypt',
    'chiffrés de bout en bout',
    'cifrad[oa]s de extremo a extremo',
    'ende-zu-ende-verschlüsselt',
    'crittografat[ie] end-to-end',
    'encriptadas ponto a ponto',
    'criptografia de ponta a ponta',
    'сквозным шифрованием',
    'наскрізним шифруванням',
    'koncovým šifrováním',
    'end-to-end versleuteld',
    'مشفرة تمامًا بين الطرفين',
    'エンドツーエンド暗号化',
    'एंड-टू-एंड एन्क्रिप्टेड',
    'terenkripsi secara end-to-end',
    'เข้ารหัสจากต้นทางถึงปลายทาง',
    'được mã hóa đầu cuối',
    'uçtan uca şifreli',
    // security code changed
    'security code with .{1,80} changed',
    'sicherheitsnummer .{0,80}(?:geändert|hat sich geändert)',
    'code de sécurité .{0,80}a changé',
    'código de seguridad .{0,80}cambió',
    'codice di sicurezza .{0,80}è cambiato',
    'código de segurança .{0,80}(?:mudou|foi alterado)',
    'код безопасности .{0,80}изменился',
    'код безпеки .{0,80}змінився',
    'bezpečnostní kód .{0,80}se změnil',
    'beveiligingscode .{0,80}is gewijzigd',
    'رمز الأمان .{0,80}تغير',
    'セキュリティコードが変更されました',
    'सुरक्षा कोड बदल गया',
    'kode keamanan .{0,80}berubah',
    'รหัสความปลอดภัย.{0,80}เปลี่ยน',
    'mã bảo mật .{0,80}đã thay đổi',
    // group life
    ' created (?:the )?group ["“]',
    '^you created group ["“]',
    'joined using this (?:group|community)\'s invite link',
    ' changed the subject (?:from|to) ["“]',
    ' changed this group\'s (?:icon|settings)',
    ' deleted this group\'s icon',
    ' changed the group (?:description|name)',
    ' deleted the group description',
    ' changed their phone number to a new number',
    ' turned (?:on|off) disappearing messages',
    ' updated the message timer',
    '^disappearing messages were turned (?:on|off)',
    '^messages (?:to this group )?are now secured',
    // same, other languages
    'hat die gruppe .{1,80} erstellt',
    'a créé le groupe',
    'creó el grupo',
    'ha creato il gruppo',
    'criou o grupo',
    'создал\\(?-?а?\\)? группу',
    'створив\\(?-?ла\\)? групу',
    'vytvořil\\(?a?\\)? skupinu',
    'heeft (?:de )?groep .{1,80} aangemaakt',
    'أنشأ المجموعة',
    'グループ「.{1,80}」を作成しました',
    'membuat grup',
    'đã tạo nhóm',
    'hat den betreff .{0,80}geändert',
    'hat das gruppenbild geändert',
    'a modifié le sujet',
    "a changé l'icône de ce groupe",
    'cambió el asunto',
    'cambió la imagen del grupo',
    "ha cambiato l'oggetto",
    "ha cambiato l'immagine di questo gruppo",
    'mudou o assunto',
    'alterou o assunto',
    'mudou a imagem deste grupo',
    'изменил\\(?-?а?\\)? тему',
    'изменил\\(?-?а?\\)? изображение группы',
    'змінив\\(?-?ла\\)? тему',
    'změnil\\(?a?\\)? předmět',
    'heeft het onderwerp gewijzigd',
    'heeft de groepsafbeelding gewijzigd',
  ].join('|'),
  'i',
);

/**
 * Membership sentences ("X added Y", "X left") look like things people type, so they count as system only
 * where the line is already suspect: no author (Android), a body that starts with a direction mark (iOS),
 * or the chat's own name as the author.
 */
const SYSTEM_WEAK = new RegExp(
  [
    '^(?:.{1,80} )?(?:added|removed|left|joined|was added|were added|was removed|were removed)(?: .{0,200})?$',
    ' hat .{1,80} hinzugefügt$',
    ' hat die gruppe verlassen$',
    ' a ajouté ',
    ' est parti',
    ' a quitté',
    ' añadió a ',
    ' agregó a ',
    ' salió del grupo',
    ' salió$',
    ' ha aggiunto ',
    ' è uscito',
    ' adicionou ',
    ' saiu$',
    ' removeu ',
    ' добавил',
    ' вышел',
    ' удалил\\(?-?а?\\)? ',
    ' додав',
    ' вийшов',
    ' přidal',
    ' odešel',
    ' odebral',
    ' heeft .{1,80} toegevoegd',
    ' is vertrokken',
    '(?:^| )أضاف ',
    ' غادر',
    'を追加しました',
    'が退出しました',
    ' menambahkan ',
    ' keluar$',
    ' đã thêm ',
    ' đã rời',
    'messages éphémères',
    'mensajes temporales',
    'messaggi effimeri',
    'mensagens temporárias',
    'verschwindende nachrichten',
    'исчезающие сообщения',
    'зникаючі повідомлення',
    'mizející zprávy',
    'verdwijnende berichten',
    'الرسائل المؤقتة',
    '消えるメッセージ',
    'pesan sementara',
    'tin nhắn tự hủy',
  ].join('|'),
  'i',
);

/**
 * System lines that name people ("Amina added Zainab and Chidi", "Kemi left"), in the languages SYSTEM_WEAK
 * and SYSTEM_STRONG know: every group captured is one name or a list of names. Tried only on lines already
 * read as system lines, which are few.
 */
const SYSTEM_NAMES: RegExp[] = [
  /^(.+?) (?:added|removed) (.+?)\.?$/,
  /^(.+?) (?:left|joined|was added|were added|was removed|were removed)\.?$/,
  /^(.+?) joined using this (?:group|community)'s invite link/,
  /^(.+?) created (?:the )?group ["“]/,
  /^(.+?) changed (?:the subject|this group's|the group|their phone number)/,
  /^(.+?) deleted this group's icon/,
  /^(?:your )?security code with (.+?) changed/i,
  /^(.+?) hat (.+?) (?:hinzugefügt|entfernt)$/,
  /^(.+?) hat die gruppe (?:verlassen|.{1,80} erstellt)/i,
  /^(.+?) a (?:ajouté|retiré) (.+?)\.?$/,
  /^(.+?) (?:est partie?|a quitté)/,
  /^(.+?) (?:añadió|agregó|eliminó) a (.+?)\.?$/,
  /^(.+?) salió/,
  /^(.+?) ha (?:aggiunto|rimosso) (.+?)\.?$/,
  /^(.+?) è uscit[oa]/,
  /^(.+?) (?:adicionou|removeu) (.+?)\.?$/,
  /^(.+?) saiu/,
  /^(.+?) (?:добавил|удалил|додав|видалив|přidal|odebral)\S* (.+?)\.?$/,
  /^(.+?) (?:вышел|вийшов|odešel|odešla)/,
  /^(.+?) heeft (.+?) (?:toegevoegd|verwijderd)$/,
  /^(.+?) is vertrokken/,
  /^(.+?) (?:أضاف|أزال) (.+?)\.?$/,
  /^(.+?) غادر/,
  /^(.+?)が(.+?)を(?:追加|削除)しました/,
  /^(.+?)が退出しました/,
  /^(.+?) (?:menambahkan|mengeluarkan) (.+?)\.?$/,
  /^(.+?) keluar$/,
  /^(.+?) đã (?:thêm|xóa) (.+?)\.?$/,
  /^(.+?) đã rời/,
];
/** How lists of names are joined: "A, B and C", "A、B", "A y B"… */
const NAME_LIST = /\s*[,、،]\s*|\s+(?:and|und|et|y|e|i|и|і|a|en|و|dan|và)\s+/;
/** The exporter themself, in the system lines' languages: not a name. */
const YOU = new Set(
  'you,du,dich,vous,tú,tu,te,usted,voi,ti,você,vocês,вы,вас,ты,тебя,ви,вас,тебе,ty,tebe,vás,jij,je,jou,u,أنت,あなた,anda,kamu,bạn'.split(','),
);

/** Adds the people a system line names to `into`; true when it is one of membership or group life. */
function namesInSystemLine(line: string, into: Set<string>): boolean {
  const first = line.replace(/^[\s\u200E\u200F]+/, '');
  for (const re of SYSTEM_NAMES) {
    const m = re.exec(first);
    if (!m) continue;
    for (let g = 1; g < m.length; g++) {
      for (const part of (m[g] ?? '').split(NAME_LIST)) {
        const name = displayName(part);
        if (name !== '' && name.length <= 80 && !YOU.has(name.toLowerCase())) into.add(name);
      }
    }
    return true;
  }
  return false;
}

/** English words in placeholders (a hint for US month-first dates when nothing else tells). */
const ENGLISH_PLACEHOLDER = /^(?:<media omitted>|image omitted|video omitted|audio omitted|sticker omitted|document omitted|gif omitted|this message was deleted\.?|you deleted this message\.?|missed voice call)$/i;

/** `<attached: 00000035-PHOTO-….jpg>` and its translations (`<adjunto: …>`, `<Anhang: …>`). */
const IOS_ATTACHMENT = /<[^<>:]{2,30}: ?\d{8}-[^<>]+>$/;
/** `IMG-20220323-WA0002.jpg (file attached)`: a WhatsApp media name, or any file name with a known phrase. */
const FILE_ATTACHED = /^(.+\.[A-Za-z0-9]{1,5}) \(([^()]{3,40})\)$/;
const WA_MEDIA_NAME = /^(?:IMG|VID|AUD|PTT|STK|DOC)-\d{8}-WA\d{4}/;
const ATTACHED_WORDS = /attached|bijgevoegd|přiložen|добавлен|angehängt|adjunto|joint|allegato|anexado|anexo|ekli|terlampir|مرفق|прикріплено|додано|załączony|bifogad|vedhæftet|vedlagt|liitetty|csatolva|atașat|επισυνάφθηκε|đính kèm|แนบ|添付|संलग्न/i;
/** `location: https://maps.google.com/?q=…` in any language. */
const LOCATION = /^[^:\n]{1,30}: ?https:\/\/maps\.google\.com\/\?q=[-\d.,]+$/;
/** An Android placeholder in angle brackets in a language not listed above. */
const ANGLE_PLACEHOLDER = /^[<‹][^<>‹›@/:]{2,40}[>›]$/;
/** A document line on its own: `Resume.pdf • 2 pages`. */
const DOCUMENT_PAGES = /^.{1,120}\.[A-Za-z0-9]{1,5} • [^•]{1,30}$/;
/** A line that is only a file name (`Resume-Jane.pdf`): what Android writes under a document placeholder. */
const FILE_NAME =
  /^[^\n]{1,120}\.(?:pdf|docx?|xlsx?|pptx?|txt|csv|zip|rar|7z|odt|ods|odp|rtf|epub|apk|json|xml|html?|mp3|m4a|opus|ogg|wav|mp4|mov|jpe?g|png|gif|webp|heic|vcf)$/i;
/** `<This message was edited>` and translations, at the end of a message. */
const EDITED = /\s*<[^<>\n]{0,40}(?:edit|bearbeit|modifi|bewerkt|изменен|змінен|upraven|تعديل|編集|एडिट|chỉnh sửa|แก้ไข|düzenlen|redigerad|edytowan)[^<>\n]{0,40}>\s*$/i;

/** Poll block: `POLL:` / question / `OPTION: x (N votes)`. */
const POLL_HEAD = /^([^\s:]{2,20}(?: [^\s:]{2,20})?) ?:$/;
const KNOWN_POLL_HEADS = new Set([
  'poll',
  'encuesta',
  'umfrage',
  'sondage',
  'enquete',
  'sondaggio',
  'опрос',
  'опитування',
  'anketa',
  'peiling',
  'استطلاع',
  'アンケート',
  'polling',
  'jajak pendapat',
  'โพล',
  'khảo sát',
  'पोल',
  'ankieta',
]);
const POLL_OPTION = /^([^\s:]{2,20}(?: [^\s:]{2,20})?) ?: ?(.+?) \((\d+)[^()\d]{0,20}\)$/;

/** iOS document lines without their marks: `Some file.txt document omitted`, found by the phrase's last word. */
const MEDIA_TAILS = new Map<string, string[]>();
/** First character (both cases) and length of those last words, probed before any lower-casing. */
const TAIL_PROBES = new Set<number>();
for (const phrase of MEDIA_SET) {
  if (phrase.startsWith('<') || phrase.startsWith('‹')) continue;
  const last = phrase.slice(phrase.lastIndexOf(' ') + 1);
  const list = MEDIA_TAILS.get(last);
  if (list) list.push(` ${phrase}`);
  else MEDIA_TAILS.set(last, [` ${phrase}`]);
  for (const ch of [last.charAt(0), last.charAt(0).toUpperCase()]) TAIL_PROBES.add(ch.charCodeAt(0) * 128 + last.length);
}

/**
 * First character (both cases) and length of every whole-body phrase, with and without a final full stop:
 * nearly every message fails this probe before any lower-casing or lookup.
 */
const PHRASE_PROBES = new Set<number>();
for (const key of [...MEDIA_SET, ...DELETED_SET, ...SYSTEM_SET, 'null']) {
  const ch = key.charAt(0);
  for (const code of [ch.charCodeAt(0), ch.toUpperCase().charCodeAt(0)]) {
    PHRASE_PROBES.add(code * 128 + key.length);
    PHRASE_PROBES.add(code * 128 + key.length + 1);
  }
}

type BodyKind = 'text' | 'media' | 'deleted' | 'system';

interface BodyFacts {
  /** The file is an iOS export (bracket headers): system lines there carry an author. */
  ios: boolean;
  /** The raw line started with a direction mark: iOS marks attachment lines this way. */
  lineMark: boolean;
  /** The raw body started with a direction mark: iOS marks generated text this way. */
  bodyMark: boolean;
  /** The raw body holds a direction mark anywhere (`Some file.txt ‎document omitted`). */
  bodyHasMark: boolean;
  /** Worth a closer look for system sentences: the author is the chat's own name, or it is the first line. */
  suspect: boolean;
  /** The file has direction marks at all; when it does not, they were stripped and prove nothing. */
  fileHasMarks: boolean;
}

/** What the first line of an authored message is. Cheap checks first: this runs for every message. */
function classifyFirstLine(first: string, f: BodyFacts): BodyKind {
  const len = first.length;
  if (len === 0) return 'text';
  if (len < 127 && PHRASE_PROBES.has(first.charCodeAt(0) * 128 + len)) {
    const key = lookupKey(first);
    if (key === 'null' || DELETED_SET.has(key)) return 'deleted';
    if (MEDIA_SET.has(key)) return 'media';
    if (SYSTEM_SET.has(key)) return 'system';
  }
  const last = first.charCodeAt(len - 1);
  if (last === 62 /* > */ || last === 0x203a /* › */) {
    if (IOS_ATTACHMENT.test(first) || (ANGLE_PLACEHOLDER.test(first) && !EDITED.test(first))) return 'media';
  } else if (last === 41 /* ) */) {
    const m = FILE_ATTACHED.exec(first);
    if (m && (WA_MEDIA_NAME.test(m[1] ?? '') || ATTACHED_WORDS.test(m[2] ?? ''))) return 'media';
  }
  // Locations and document lines are short: long messages are not searched for them.
  if (len <= 120 && isDigit(last) && first.includes('maps.google.com') && LOCATION.test(first)) return 'media';
  if (len <= 160 && first.indexOf('•') > 0 && DOCUMENT_PAGES.test(first)) return 'media';
  if (!f.ios) return 'text';
  if (f.lineMark && f.bodyHasMark) return 'media';
  if (!f.fileHasMarks && len <= 300 && hasMediaTail(first)) return 'media';
  if (!f.bodyMark && !f.suspect) return 'text';
  if (len <= 500 && SYSTEM_STRONG.test(first)) return 'system';
  // iOS marks every generated body with a direction mark; a marked line not recognised above is one of those.
  if (f.bodyMark) return 'system';
  if (!f.fileHasMarks && SYSTEM_WEAK.test(first)) return 'system';
  return 'text';
}

function hasMediaTail(first: string): boolean {
  const space = first.lastIndexOf(' ');
  if (space < 0 || !TAIL_PROBES.has(first.charCodeAt(space + 1) * 128 + first.length - space - 1)) return false;
  const tails = MEDIA_TAILS.get(first.slice(space + 1).toLowerCase());
  if (!tails) return false;
  const lower = first.toLowerCase();
  // a file name must come before the phrase, or it is someone's sentence
  return tails.some((t) => lower.endsWith(t) && lower.lastIndexOf('.', lower.length - t.length) > 0);
}

/** Reads a poll block, or null when the lines are not one. */
function readPoll(lines: string[], at: string): ParsedPoll | null {
  const head = POLL_HEAD.exec((lines[0] ?? '').trim());
  if (!head || lines.length < 3) return null;
  const known = KNOWN_POLL_HEADS.has((head[1] ?? '').toLowerCase());
  const question: string[] = [];
  const options: { label: string; votes: number }[] = [];
  let optionWord = '';
  for (let i = 1; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (!line) continue;
    const m = question.length > 0 ? POLL_OPTION.exec(line) : null;
    if (m) {
      const word = (m[1] ?? '').toLowerCase();
      if (optionWord && word !== optionWord) return null;
      optionWord = word;
      // Polls outlive the text they were read from (a stream's segment): their strings are copied out.
      options.push({ label: detach((m[2] ?? '').trim()), votes: Number(m[3] ?? 0) });
    } else if (options.length === 0) {
      question.push(line);
    } else {
      return null;
    }
  }
  if (!question.length || !options.length || (!known && options.length < 2)) return null;
  return { question: detach(question.join('\n')), options, multiple: true, at, source: 'whatsapp' };
}

// ---------------------------------------------------------------------------------------------------------
// The parser

/** Backward jumps up to this many seconds are normal (delivery order, clock corrections). */
const BACKWARD_SLACK = 36 * 3600;
/** A pasted excerpt longer than this many headers is more likely a real clock jump. */
const MAX_PASTED_HEADERS = 200;
/**
 * Headers in a second layout count as the file's own (exports glued together) when they are this many and
 * this share of all headers; fewer are text pasted into messages.
 */
const MIN_LAYOUT_HEADERS = 20;
const MIN_LAYOUT_SHARE = 0.1;

/** Cache slots for speaker names (a 12-bit hash). */
const NAME_SLOTS = 4096;
const CHAT_NAME_IN_FILENAME = /^WhatsApp[ -]Chat (?:with|-|mit|con|avec|com|met) (.+?)(?: \(\d+\))?\.txt$/i;
const QUOTES = /["“”«»„]/;

/** Aggregates one kind of oddity into a single warning. */
class Oddity {
  count = 0;
  firstLine = 0;
  example = '';
  add(line: number, example: string): void {
    if (this.count++ === 0) {
      this.firstLine = line;
      const s = cleanText(example).trim();
      this.example = detach(s.length > 60 ? `${s.slice(0, 57)}…` : s);
    }
  }

  /** Counts a line, reading its text (positions `from` to `to`) only for the first example. */
  addLine(line: number, view: TextWindow, from: number, to: number): void {
    if (this.count === 0) this.add(line, view.slice(from, to));
    else this.count++;
  }
}

/**
 * Splits the text after a header at the first `: ` on the line. `nextColon` remembers the last search so a
 * file of colon-less lines is not searched to its end once per line.
 */
class SpeechReader {
  private nextColon = -1;
  private searchedFrom = 0;
  /** After `read`: the author as written (raw), or null for a system line. */
  author: string | null = null;
  /** After `read`: where the message text starts. */
  bodyStart = 0;
  /** After `read`: a small number that is the same whenever the same name is read (a cache slot). */
  slot = 0;
  /**
   * Names read so far, by a hash of their length and a few characters (phone numbers share their first and
   * last marks, so the ones before the end and in the middle count too): a chat has few speakers, and
   * handing back the same string spares a copy and its hashing for every message.
   */
  private names: string[] = new Array(NAME_SLOTS).fill('');
  private text = '';
  /** Everyone met in this file, by id. */
  speakers: Speaker[] = [];
  /** After `read`: the speaker's id, or -1 for a system line. */
  speaker = -1;
  /** Speaker id + 1 by name slot, so a known name costs no map lookup. */
  private speakerOfSlot = new Int32Array(NAME_SLOTS);
  private speakerOfName = new Map<string, number>();
  /** Names are copied out of the text, which is a segment that must not stay alive (a streamed file). */
  detachNames = false;

  /** Starts on a new file. */
  reset(): void {
    this.setText('');
    this.author = null;
    this.bodyStart = 0;
    this.slot = 0;
    this.speaker = -1;
    this.speakers = [];
    this.speakerOfSlot.fill(0);
    this.speakerOfName.clear();
  }

  /** Reads from another text: the whole file, or its next segment. */
  setText(text: string): void {
    this.text = text;
    this.nextColon = -1;
    this.searchedFrom = 0;
  }

  /** The id of a speaker by the name as written; the name string is the one `name` handed out. */
  private speakerId(raw: string): number {
    const cached = (this.speakerOfSlot[this.slot] as number) - 1;
    if (cached >= 0 && (this.speakers[cached] as Speaker).raw === raw) return cached;
    let id = this.speakerOfName.get(raw);
    if (id === undefined) {
      id = this.speakers.length;
      this.speakers.push({
        raw,
        key: authorKey(raw),
        name: displayName(raw),
        plausible: raw.length <= 80 && !QUOTES.test(raw),
        counted: false,
      });
      this.speakerOfName.set(raw, id);
    }
    this.speakerOfSlot[this.slot] = id + 1;
    return id;
  }

  /** After a parse: forgets the file, whose names would otherwise keep all its text alive. */
  release(): void {
    this.reset();
    this.names.fill('');
  }

  private name(start: number, end: number): string {
    const text = this.text;
    const length = end - start;
    const bucket =
      (Math.imul(length, 0x9e3779b1) ^
        Math.imul(text.charCodeAt(start), 0x85ebca6b) ^
        Math.imul(text.charCodeAt(end - 2), 0xc2b2ae35) ^
        Math.imul(text.charCodeAt(start + (length >> 1)), 0x27d4eb2f) ^
        text.charCodeAt(end - 1)) >>>
      20;
    this.slot = bucket;
    const known = this.names[bucket] as string;
    if (known.length === length) {
      // compared by hand: startsWith on a long text costs more than this short loop
      let i = 0;
      while (i < length && known.charCodeAt(i) === text.charCodeAt(start + i)) i++;
      if (i === length) return known;
    }
    const name = this.detachNames ? detach(text.slice(start, end)) : text.slice(start, end);
    this.names[bucket] = name;
    return name;
  }

  /** Reads the line whose text after the header runs from `rest` to `end` (positions in the current text). */
  read(rest: number, end: number): void {
    const text = this.text;
    if (this.nextColon < rest || this.searchedFrom > rest) {
      this.nextColon = text.indexOf(': ', rest);
      if (this.nextColon < 0) this.nextColon = text.length;
      this.searchedFrom = rest;
    }
    const colon = this.nextColon;
    if (colon > rest && colon < end) {
      this.author = this.name(rest, colon);
      this.bodyStart = colon + 2;
    } else if (end - 1 > rest && text.charCodeAt(end - 1) === 58 && text.lastIndexOf(':', end - 2) < rest) {
      // `Name:` with the text on the next lines
      this.author = this.name(rest, end - 1);
      this.bodyStart = end;
    } else {
      this.author = null;
      this.bodyStart = rest;
    }
    this.speaker = this.author === null ? -1 : this.speakerId(this.author);
  }
}

/** A speaker's key and cleaned name, worked out once per spelling. */
interface Speaker {
  raw: string;
  key: string;
  name: string;
  plausible: boolean;
  /** Already listed among the participants. */
  counted: boolean;
}

/** Step 1 under way: the headers of the text read so far (a whole text, or the segments of one in order). */
class Scan {
  readonly table: HeaderTable;
  readonly scanner: HeaderScanner;
  readonly speech: SpeechReader;
  nearHeaders = new Oddity();
  /** The first line with any text (0-based), -1 until there is one, and where it is in the whole text. */
  firstTextLine = -1;
  firstTextStart = 0;
  firstTextEnd = 0;
  /** Lines read so far. */
  line = 0;
  /** A direction mark was skipped in some header (see HeaderScanner.sawMark). */
  sawMark = false;

  constructor(table: HeaderTable, scanner: HeaderScanner, speech: SpeechReader) {
    this.table = table;
    this.scanner = scanner;
    this.speech = speech;
  }

  /** Notes the first line with text, which runs from `start` to `end` in the whole text; returns its number. */
  firstText(line: number, start: number, end: number): number {
    this.firstTextLine = line;
    this.firstTextStart = start;
    this.firstTextEnd = end;
    return line;
  }
}

/** What the later steps share. */
interface Context {
  /** The text, or as much of it as the step reading it needs (a streamed file is decoded again in segments). */
  view: TextWindow;
  table: HeaderTable;
  speech: SpeechReader;
  /** The file has an iOS layout: system lines there carry an author. */
  ios: boolean;
  /** Direction marks seen so far (see BodyFacts.fileHasMarks). */
  fileHasMarks: boolean;
  /** The chat's name from the file name (`WhatsApp Chat with X.txt`), if any. */
  chatName: string | null;
}

/** What is known before the first message is built: which headers open messages, and the file's warnings. */
interface Plan {
  context: Context;
  accepted: Int32Array;
  acceptedCount: number;
  warnings: Warning[];
}

/** Step 5 under way: messages are built a run of accepted headers at a time, so a stream can hand them over in chunks. */
class Build {
  /** The next accepted header to read. */
  m = 0;
  messages: ParsedMessage[] = [];
  polls: ParsedPoll[] = [];
  skipped: SkipCounts = emptySkips();
  /**
   * On iOS the chat's name stands as the author of system lines: known from the file name, or as the
   * author of a first line that is a system line (the encryption notice).
   */
  systemAuthor: string | null;
  /**
   * Consecutive messages often share their minute. NaN, not -1, for none yet: times are doubles, and a
   * field that starts as a small integer and then takes a double gets a new hidden class, which would die
   * with the parse's Build (see SHAPE_KEEPERS); no time equals NaN, as none equalled -1.
   */
  lastT = Number.NaN;
  lastAt = '';
  facts: BodyFacts;
  /** Who counts as a participant (key → spellings, in the order met); null when that is known already. */
  people: Map<string, Set<string>> | null;
  /** Only the participants are wanted: nothing is built, and headers that cannot change them are passed over. */
  countOnly: boolean;
  /** First lines of system lines, read for names once the messages are built (see mentionedOf); null when not wanted. */
  systemLines: string[] | null;
  /** Keys of the file's plausible speakers, made at the first mention (see mentionOut). */
  speakerKeys: Set<string> | null = null;
  /** What each mention (`@⁨Name⁩`, by the name as written) becomes. */
  mentionOut = new Map<string, string>();

  constructor(context: Context, facts: BodyFacts, people: Map<string, Set<string>> | null, countOnly: boolean) {
    this.systemAuthor = context.chatName;
    this.facts = facts;
    this.people = people;
    this.countOnly = countOnly;
    this.systemLines = people === null ? null : [];
    facts.ios = context.ios;
    facts.fileHasMarks = context.fileHasMarks;
  }
}

function newFacts(): BodyFacts {
  return { ios: false, lineMark: false, bodyMark: false, bodyHasMark: false, suspect: false, fileHasMarks: false };
}

/**
 * The scanner, header table and speech reader are made once and reused by every parse (which runs to the
 * end without yielding, so no two parses share them at once). Optimised code depends on the hidden classes
 * of these objects; were they made per parse, all of them would die between two parses, a full garbage
 * collection would drop those hidden classes and throw the optimised code away, and the next big parse would
 * run about twice as slow. Each parse ends by releasing what it held of the file. A stream lives across
 * awaits, so it makes its own: instances of the same classes, whose hidden classes these keep alive too.
 */
const SCANNER = new HeaderScanner();
const TABLE = new HeaderTable();
const SPEECH = new SpeechReader();
const WINDOW = new TextWindow();
/** What classifyFirstLine is told about a line; filled in place for each message. */
const FACTS: BodyFacts = newFacts();
/**
 * The same goes for plain objects made per parse: their hidden classes live only as long as some object
 * of that shape does, so one of each is kept here (same properties, same order as where they are made).
 * They must also be made with the field representations a parse leaves behind (small integer, double,
 * object): a field that changes representation moves its object to a new hidden class, and the keeper
 * would keep the old one.
 */
const KEPT_CONTEXT: Context = { view: WINDOW, table: TABLE, speech: SPEECH, ios: false, fileHasMarks: false, chatName: null };
const SHAPE_KEEPERS: readonly object[] = [
  { participant: '', text: '', at: '', line: 0 } satisfies ParsedMessage,
  { raw: '', key: '', name: '', plausible: true, counted: false } satisfies Speaker,
  KEPT_CONTEXT,
  emptySkips(),
  new Oddity(),
  { order: 'dmy', how: 'default' } satisfies OrderDecision,
  new Scan(TABLE, SCANNER, SPEECH),
  new Build(KEPT_CONTEXT, newFacts(), new Map(), false),
  // what the steps below hand on
  { main: 0, shapes: [0], counts: new Int32Array(0), ios: false },
  { stamped: new Int32Array(0), stampedCount: 0, firstRow: 0, guessed: null, impossible: new Oddity(), impossibleOrder: 'dmy', otherShape: new Oddity() },
  { accepted: new Int32Array(0), acceptedCount: 0, pasted: new Oddity(), backwards: new Oddity() },
  { context: KEPT_CONTEXT, accepted: new Int32Array(0), acceptedCount: 0, warnings: [] } satisfies Plan,
  { key: '', names: [''] } satisfies ParsedParticipant,
  { code: '', message: '', line: 0 } satisfies Warning,
];

/**
 * Never called: it mentions SHAPE_KEEPERS, which is what keeps them. V8 puts a module-level constant that
 * no function mentions among the locals of the module's body, which die once the module has run; so they
 * did, and after each full collection a parse met new hidden classes for its Scan and Build, and its loops
 * were optimised again (from inside the loop, part way through) every time: in the benchmark, which runs a
 * full collection before each parse, that was about a sixth of a parse's time.
 */
// biome-ignore lint/correctness/noUnusedVariables: never called; it exists to mention SHAPE_KEEPERS
function keepShapes(): readonly object[] {
  return SHAPE_KEEPERS;
}

/**
 * Parses a WhatsApp chat export (Android or iOS, any locale seen so far):
 * `parseWhatsApp("18/03/2022, 14:56 - Ana: hi")` → `{ format: 'whatsapp', messages: [{ text: 'hi', at: '2022-03-18T14:56:00', … }], … }`.
 * Throws unreadable_file when no line reads as a message header.
 */
export function parseWhatsApp(input: string, opts: { filename?: string } = {}): ParseResult {
  // Old Mac line ends: only when there is no \n at all.
  const text = input.indexOf('\n') < 0 && input.indexOf('\r') >= 0 ? input.replace(/\r/g, '\n') : input;

  try {
    return parseText(text, opts.filename);
  } finally {
    SCANNER.release();
    TABLE.release();
    SPEECH.release();
    WINDOW.drop();
  }
}

function parseText(text: string, filename: string | undefined): ParseResult {
  // Each step is its own function: the optimiser then sees each loop whole, with complete type feedback.
  // A message line is rarely shorter than 40 characters; past 64k rows the table grows as needed.
  const scan = startScan(TABLE, SCANNER, SPEECH, Math.min(Math.ceil(text.length / 40), 65_536));
  scanText(scan, text, 0, true);
  const view = WINDOW;
  view.hold(text);
  const plan = planMessages(view, scan, filename);
  const people = new Map<string, Set<string>>();
  const build = new Build(plan.context, FACTS, people, false);
  buildMessages(plan, build, Number.POSITIVE_INFINITY);
  const participants = participantsOf(people);
  return {
    format: 'whatsapp',
    messages: build.messages,
    participants,
    ...mentionedOf(plan, build, participants),
    polls: build.polls,
    skipped: build.skipped,
    warnings: plan.warnings,
  };
}

/**
 * Segments of 256 KiB: every segment's text is garbage once read, and bigger ones pile up between full
 * collections (on the 34.7 MB benchmark export, peak RSS over the baseline is about 22 MB with 256 KiB
 * segments, 29 MB with 1 MiB and 51 MB with 4 MiB, at the same speed).
 */
const DEFAULT_SEGMENT_BYTES = 256 * 1024;
const DEFAULT_CHUNK_MESSAGES = 2_000;

export interface WhatsAppStreamOptions {
  filename?: string;
  /** About how many bytes are decoded at a time (segments end after a line feed); default 256 KiB. */
  segmentBytes?: number;
  /** Most messages in one chunk; default 2,000. */
  chunkMessages?: number;
}

/**
 * Parses a WhatsApp export from its bytes without ever holding its whole text or all of its messages:
 * `const s = streamWhatsApp(bytes); for (const chunk of s.chunks()) …; s.finish()` gives exactly what
 * `parseWhatsApp(decodeText(bytes).text)` gives (decodeText's warnings first). The bytes are read twice:
 * once now, segment by segment, for every header, the file's decisions, warnings and participants (so an
 * unreadable file throws here, before anything is stored), and again while the chunks are consumed. They
 * must not change until then. Files that are not UTF-8, UTF-16 ones and files without a line feed are read
 * whole, as parseWhatsApp reads them.
 */
export function streamWhatsApp(bytes: Uint8Array, opts: WhatsAppStreamOptions = {}): ParseStream {
  const segmentBytes = sizeOption(opts.segmentBytes, DEFAULT_SEGMENT_BYTES, 'segmentBytes');
  const chunkMessages = sizeOption(opts.chunkMessages, DEFAULT_CHUNK_MESSAGES, 'chunkMessages');
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  // Nothing to cut on without a line feed, and old Mac line ends (\r only) become line feeds first.
  if (utf16 || bytes.indexOf(0x0a) < 0) return streamWhole(bytes, opts.filename, chunkMessages);

  const source = new SegmentedText(bytes, segmentBytes);
  const speech = new SpeechReader();
  speech.detachNames = true;
  const scanner = new HeaderScanner();
  const scan = startScan(new HeaderTable(), scanner, speech, Math.min(Math.ceil(bytes.length / 40), 65_536));
  for (let text = source.next(); text !== null; text = source.next()) scanText(scan, text, source.base, source.done);
  scanner.release();
  speech.setText('');
  if (!source.valid) return streamWhole(bytes, opts.filename, chunkMessages);

  const view = new TextWindow();
  view.attach(source);
  const plan = planMessages(view, scan, opts.filename);
  // Who counts as a participant is only settled by reading the messages: read them once for that alone
  // (a speaker once counted needs no more reading), so every name is known before the first chunk.
  const people = new Map<string, Set<string>>();
  const counting = new Build(plan.context, newFacts(), people, true);
  buildMessages(plan, counting, Number.POSITIVE_INFINITY);
  const participants = participantsOf(people);
  const mentioned = mentionedOf(plan, counting, participants).mentioned ?? [];
  view.drop();
  plan.context.table.keepForBuilding();

  const build = new Build(plan.context, newFacts(), null, false);
  function* read(): Generator<ParsedMessage[]> {
    while (build.m < plan.acceptedCount) {
      build.messages = [];
      buildMessages(plan, build, chunkMessages);
      if (build.messages.length > 0) yield build.messages;
    }
    build.messages = [];
    view.drop();
  }
  return streamFrom(participants, mentioned, read, () => ({ polls: build.polls, skipped: build.skipped, warnings: plan.warnings }));
}

/** A file read whole, as before streaming: decodeText, then parseWhatsApp, handed over in chunks. */
function streamWhole(bytes: Uint8Array, filename: string | undefined, chunkMessages: number): ParseStream {
  const decoded = decodeText(bytes);
  const result = parseWhatsApp(decoded.text, { filename });
  const warnings = [...decoded.warnings, ...result.warnings];
  let messages = result.messages;
  function* read(): Generator<ParsedMessage[]> {
    const all = messages;
    messages = [];
    for (let i = 0; i < all.length; i += chunkMessages) yield all.slice(i, i + chunkMessages);
  }
  return streamFrom(result.participants, result.mentioned ?? [], read, () => ({ polls: result.polls, skipped: result.skipped, warnings }));
}

function streamFrom(
  participants: ParsedParticipant[],
  mentioned: string[],
  read: () => Generator<ParsedMessage[]>,
  outcome: () => Pick<ParseResult, 'polls' | 'skipped' | 'warnings'>,
): ParseStream {
  let state: 'unread' | 'reading' | 'read' = 'unread';
  return {
    format: 'whatsapp',
    participants,
    mentioned,
    *chunks() {
      if (state !== 'unread') throw new Error('the messages of this WhatsApp stream were already read: chunks() can be consumed once');
      state = 'reading';
      yield* read();
      state = 'read';
    },
    finish() {
      if (state !== 'read') {
        throw new Error('finish() was called before chunks() was consumed to its end: polls, skip counts and warnings are not complete yet');
      }
      return outcome();
    },
  };
}

function sizeOption(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive whole number, not ${value}`);
  return value;
}

function participantsOf(people: Map<string, Set<string>>): ParsedParticipant[] {
  return [...people].map(([key, names]) => ({ key, names: [...names] }));
}

/**
 * The people system lines named, and the chat's name when the file is a 1:1 chat (no membership or group
 * lines, at most two participants: the exporter and the person the chat is named after), less the
 * participants' own names.
 */
function mentionedOf(plan: Plan, build: Build, participants: ParsedParticipant[]): { mentioned?: string[] } {
  const out = new Set<string>();
  const { chatName } = plan.context;
  // Apart from the message loop, which these few lines would slow down.
  let groupLines = false;
  for (const raw of build.systemLines ?? []) {
    if (namesInSystemLine(cleanIfNeeded(raw), out)) groupLines = true;
  }
  const person = chatName === null ? '' : displayName(chatName);
  if (person !== '' && !groupLines && participants.length <= 2) out.add(person);
  for (const p of participants) for (const n of p.names) out.delete(n);
  return out.size > 0 ? { mentioned: [...out] } : {};
}

/** Steps 2 to 4, and the warnings about the file. Throws unreadable_file when nothing reads as a message. */
function planMessages(view: TextWindow, scan: Scan, filename: string | undefined): Plan {
  const where = filename || undefined;
  const { table } = scan;
  if (table.n === 0) throw noHeaders(view, scan, where);
  const layouts = chooseLayouts(table, scan.firstTextLine);
  const dates = stampDates(view, table, layouts);
  if (dates.stampedCount === 0) {
    const bad = dates.firstRow;
    throw unreadable(`cannot read the date '${table.dateText(bad)}'`, `${where ? `${where}, ` : ''}line ${(table.line[bad] as number) + 1}`);
  }
  const chatName = CHAT_NAME_IN_FILENAME.exec(filename ?? '')?.[1]?.trim() ?? null;
  const context: Context = { view, table, speech: scan.speech, ios: layouts.ios, fileHasMarks: scan.sawMark, chatName };
  const order = keepChronology(context, dates.stamped, dates.stampedCount);

  const warnings: Warning[] = [];
  const firstAccepted = table.line[order.accepted[0] as number] as number;
  if (scan.firstTextLine >= 0 && scan.firstTextLine < firstAccepted) {
    warnings.push({
      code: 'text_before_first_message',
      message: `the text before line ${firstAccepted + 1} is not part of any message and was ignored`,
      line: scan.firstTextLine + 1,
    });
  }
  if (dates.guessed) {
    const name = dates.guessed.order === 'mdy' ? 'month/day' : 'day/month';
    warnings.push({
      code: 'date_order_guessed',
      message: `no date in the file shows whether it is day/month or month/day; read as ${name}${
        dates.guessed.how === 'hint' ? ' from the language of the export' : ''
      } — check the dates`,
    });
  }
  if (layouts.shapes.length > 1) {
    warnings.push({
      code: 'mixed_layouts',
      message: `the file mixes ${layouts.shapes.length} header layouts (${layouts.shapes.map((s) => SHAPE_NAMES[s % 4]).join(', ')}); several exports glued together? each was read on its own`,
    });
  }
  const orderName = dates.impossibleOrder === 'mdy' ? 'month/day' : dates.impossibleOrder === 'ymd' ? 'year/month/day' : 'day/month';
  aggregate(warnings, dates.otherShape, 'other_header_layout', (o) =>
    `${o.count} line(s) look like message headers in another layout than the file's (${SHAPE_NAMES[layouts.main % 4]}), e.g. line ${o.firstLine} "${o.example}"; they were kept as message text`,
  );
  aggregate(warnings, dates.impossible, 'impossible_dates', (o) =>
    `${o.count} header line(s) have dates that cannot be read as ${orderName}, e.g. line ${o.firstLine} "${o.example}"; they were kept as message text`,
  );
  aggregate(warnings, order.pasted, 'pasted_chat', (o) =>
    `${o.count} line(s) inside messages look like headers from an earlier time (a pasted chat?), first at line ${o.firstLine}; they were kept as message text`,
  );
  aggregate(warnings, order.backwards, 'time_went_backwards', (o) =>
    `the time goes back more than a day ${o.count} time(s), first at line ${o.firstLine} (${o.example}); messages were kept in file order`,
  );
  aggregate(warnings, scan.nearHeaders, 'unreadable_header', (o) =>
    `${o.count} line(s) start like a message header but could not be read, e.g. line ${o.firstLine} "${o.example}"; they were kept as message text`,
  );
  const unknown = table.markers.filter((marker) => periodOf(marker) === null);
  if (unknown.length > 0) {
    warnings.push({
      code: 'unknown_day_period',
      message: `times are marked with "${unknown.slice(0, 3).join('", "')}", which is not a known AM/PM word; those hours were read as 24-hour`,
    });
  }
  return { context, accepted: order.accepted, acceptedCount: order.acceptedCount, warnings };
}

function noHeaders(view: TextWindow, scan: Scan, where: string | undefined) {
  // Without headers, the first line with text is the first line that is not blank.
  const firstLine = scan.firstTextLine < 0 ? '' : view.slice(scan.firstTextStart, scan.firstTextEnd);
  const shown = cleanText(firstLine).trim().slice(0, 60);
  return unreadable(
    `no WhatsApp message headers found: expected lines like "18/03/2022, 14:56 - Name: text" or "[18/03/2022, 14:56:01] Name: text"${
      shown ? `, but the file starts with "${shown}"` : ', but the file is empty'
    }. Export the chat again from WhatsApp ("Export chat") and upload the .txt or .zip`,
    where,
  );
}

function startScan(table: HeaderTable, scanner: HeaderScanner, speech: SpeechReader, capacity: number): Scan {
  table.reset(capacity);
  speech.reset();
  scanner.sawMark = false;
  return new Scan(table, scanner, speech);
}

/**
 * Step 1: every line of `text` that reads as a header, and the first line with any text. `text` is the
 * whole file, or its next segment (whole lines, starting at `base` in the whole text; `last` for the last).
 */
function scanText(scan: Scan, text: string, base: number, last: boolean): void {
  const { scanner, table, speech, nearHeaders } = scan;
  scanner.carryDay();
  speech.setText(text);
  let firstTextLine = scan.firstTextLine;
  let line = scan.line;
  // A segment ends with its line feed; the line after it starts the next segment.
  const limit = last ? text.length : text.length - 1;
  for (let pos = 0; pos <= limit; line++) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    const end = eol > pos && text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
    if (scanner.scan(text, pos, end)) {
      table.add(text, base, line, pos, end, scanner);
      // Who speaks is read now, while the line is fresh in the processor's cache.
      speech.read(scanner.i, end);
      const k = table.n - 1;
      table.bodyStart[k] = base + speech.bodyStart;
      table.speaker[k] = speech.speaker;
      if (speech.speaker < 0) table.authorless.set(k, detach(text.slice(speech.bodyStart, end)));
      if (firstTextLine < 0) firstTextLine = scan.firstText(line, base + pos, base + end);
    } else if (end > pos) {
      const c = text.charCodeAt(pos);
      if ((isDigit(c) || c === 91) && NEAR_HEADER.test(text.slice(pos, end))) nearHeaders.add(line + 1, text.slice(pos, end));
      if (firstTextLine < 0 && cleanText(text.slice(pos, end)).trim() !== '') firstTextLine = scan.firstText(line, base + pos, base + end);
    }
    pos = eol + 1;
  }
  scan.firstTextLine = firstTextLine;
  scan.line = line;
  scan.sawMark = scanner.sawMark;
}

/**
 * Step 2: the file's own layouts: that of its first line (nothing can be pasted before it), else the
 * commonest, plus any other layout common enough to be a second export glued on rather than an excerpt.
 */
function chooseLayouts(table: HeaderTable, firstTextLine: number) {
  const counts = new Int32Array(256);
  for (let k = 0; k < table.n; k++) {
    const shape = table.shape[k] as number;
    counts[shape] = (counts[shape] as number) + 1;
  }
  let main = table.shape[0] as number;
  if (table.line[0] !== firstTextLine) {
    for (let shape = 0; shape < 256; shape++) if ((counts[shape] as number) > (counts[main] as number)) main = shape;
  }
  const shapes = [main];
  for (let shape = 0; shape < 256; shape++) {
    const n = counts[shape] as number;
    if (shape !== main && n >= MIN_LAYOUT_HEADERS && n >= table.n * MIN_LAYOUT_SHARE) shapes.push(shape);
  }
  const ios = shapes.some((s) => s % 4 === SHAPE_BRACKET || s % 4 === SHAPE_TIME_FIRST);
  return { main, shapes, counts, ios };
}

/** Step 3: day/month order per layout, then times; headers in other layouts or with impossible dates drop out. */
function stampDates(view: TextWindow, table: HeaderTable, layouts: ReturnType<typeof chooseLayouts>) {
  const otherShape = new Oddity();
  const rowsOf = new Map<number, Int32Array>();
  const filled = new Int32Array(256);
  for (const shape of layouts.shapes) rowsOf.set(shape, new Int32Array(layouts.counts[shape] as number));
  for (let k = 0; k < table.n; k++) {
    const shape = table.shape[k] as number;
    const rows = rowsOf.get(shape);
    if (rows) {
      rows[filled[shape] as number] = k;
      filled[shape] = (filled[shape] as number) + 1;
    } else otherShape.addLine((table.line[k] as number) + 1, view, table.lineStart[k] as number, table.lineEnd[k] as number);
  }
  const periods = table.markers.map(periodOf);
  const impossible = new Oddity();
  let guessed: OrderDecision | null = null;
  let impossibleOrder: DateOrder = 'dmy';
  for (const rows of rowsOf.values()) {
    const decision = decideOrder(table, rows, () => localeHint(table, rows, view));
    if (decision.how === 'hint' || decision.how === 'default') guessed ??= decision;
    for (const k of stampLayout(table, rows, decision.order, periods)) {
      if (impossible.count === 0) impossibleOrder = decision.order;
      impossible.add((table.line[k] as number) + 1, `${table.dateText(k)} ${table.hour[k]}:${String(table.minute[k]).padStart(2, '0')}`);
    }
  }
  const stamped = new Int32Array(table.n);
  let stampedCount = 0;
  for (let k = 0; k < table.n; k++) if ((table.t[k] as number) >= 0) stamped[stampedCount++] = k;
  const firstRow = (rowsOf.get(layouts.main) as Int32Array)[0] as number;
  return { stamped, stampedCount, firstRow, guessed, impossible, impossibleOrder, otherShape };
}

/** Step 4: a run of headers far in the past that the chat then returns from was pasted into a message. */
function keepChronology(context: Context, stamped: Int32Array, stampedCount: number) {
  const { table } = context;
  const accepted = new Int32Array(stampedCount);
  let acceptedCount = 0;
  const pasted = new Oddity();
  const backwards = new Oddity();
  for (let i = 0; i < stampedCount; i++) {
    const k = stamped[i] as number;
    const t = table.t[k] as number;
    if (acceptedCount === 0 || t >= (table.t[accepted[acceptedCount - 1] as number] as number) - BACKWARD_SLACK) {
      accepted[acceptedCount++] = k;
      continue;
    }
    const prev = accepted[acceptedCount - 1] as number;
    const floor = (table.t[prev] as number) - BACKWARD_SLACK;
    // Looking no further than a paste can be long keeps a file in reverse order linear.
    let j = i;
    while (j < stampedCount && j - i <= MAX_PASTED_HEADERS && (table.t[stamped[j] as number] as number) < floor) j++;
    const returns = j < stampedCount && (table.t[stamped[j] as number] as number) >= floor;
    // System lines (like the encryption notice Android dates at export time) cannot hold pasted text.
    const prevIsSystem = opensSystemLine(context, prev, acceptedCount === 1);
    if (returns && !prevIsSystem) {
      for (let p = i; p < j; p++) {
        const q = stamped[p] as number;
        pasted.addLine((table.line[q] as number) + 1, context.view, table.lineStart[q] as number, table.lineEnd[q] as number);
      }
      i = j - 1;
    } else {
      if (!prevIsSystem) backwards.add((table.line[k] as number) + 1, `${table.at(prev)} → ${table.at(k)}`);
      accepted[acceptedCount++] = k;
    }
  }
  return { accepted, acceptedCount, pasted, backwards };
}

/** Whether a header opens a system line, judged from its first line (before the messages are built). */
function opensSystemLine(context: Context, k: number, isFirst: boolean): boolean {
  const { view, table, speech } = context;
  const id = table.speaker[k] as number;
  const speaker = speech.speakers[id];
  if (speaker === undefined || !speaker.plausible) return true;
  const bodyStart = table.bodyStart[k] as number;
  const first = cleanIfNeeded(view.slice(bodyStart, table.lineEnd[k] as number)).trim();
  // The slice leaves the line, and the line end after it, in view.
  const bodyMark = markAt(view.s, bodyStart - view.base);
  // Only read at once: a stream's own build keeps its facts, this one is scratch.
  const facts = FACTS;
  facts.ios = context.ios;
  facts.lineMark = false;
  facts.bodyMark = bodyMark;
  facts.bodyHasMark = bodyMark;
  facts.suspect = isFirst || speaker.name === context.chatName;
  facts.fileHasMarks = context.fileHasMarks;
  const kind = classifyFirstLine(first, facts);
  return kind === 'system' || (isFirst && bodyMark);
}

/**
 * Step 5: each accepted header and the lines up to the next one become a message, a poll, or a count;
 * from `build.m` on, until `limit` messages are built.
 */
function buildMessages(plan: Plan, build: Build, limit: number): void {
  const { context, accepted, acceptedCount } = plan;
  const { view, table, speech, ios } = context;
  const { messages, polls, skipped, people, countOnly, facts, systemLines } = build;
  const speakers = speech.speakers;
  let systemAuthor = build.systemAuthor;
  let lastT = build.lastT;
  let lastAt = build.lastAt;
  let m = build.m;

  for (; m < acceptedCount && messages.length < limit; m++) {
    const k = accepted[m] as number;
    const speaker = speakers[table.speaker[k] as number];
    if (speaker === undefined || !speaker.plausible) {
      // Android writes membership lines without an author.
      if (systemLines !== null && speaker === undefined) systemLines.push(table.authorless.get(k) ?? '');
      skipped.system++;
      continue;
    }
    // Counting participants, a counted speaker's later message can change nothing but what the file's marks are.
    if (countOnly && speaker.counted && m > 0 && (!ios || facts.fileHasMarks)) continue;
    // The message runs to the next accepted header; trailing blank lines are not part of it.
    const next = m + 1 < acceptedCount ? (accepted[m + 1] as number) : -1;
    const lineStart = table.lineStart[k] as number;
    const stop = next >= 0 ? (table.lineStart[next] as number) : view.length;
    view.cover(lineStart, stop);
    // Positions below are in `text`, which starts at `base` in the whole text.
    const text = view.s;
    const base = view.base;
    const bodyStart = (table.bodyStart[k] as number) - base;
    let end = stop - base;
    while (end > bodyStart && text.charCodeAt(end - 1) <= 32) end--;
    let start = bodyStart;
    while (start < end && text.charCodeAt(start) <= 32) start++;
    const body = cleanBody(text.slice(start, end), build, speakers);
    // Most messages are one line: the next header is on the next line.
    const newline = next >= 0 && table.line[next] === (table.line[k] as number) + 1 ? -1 : body.indexOf('\n');
    const first = newline < 0 ? body : body.slice(0, newline).trimEnd();

    facts.lineMark = false;
    facts.bodyMark = false;
    facts.bodyHasMark = false;
    if (ios || m === 0) {
      facts.lineMark = markAt(text, lineStart - base);
      facts.bodyMark = markAt(text, start);
      facts.bodyHasMark = facts.bodyMark || (facts.lineMark && DIRECTION_MARK.test(text.slice(start, (table.lineEnd[k] as number) - base)));
      if (facts.bodyMark) facts.fileHasMarks = true;
    }
    facts.suspect = m === 0 || (systemAuthor !== null && speaker.name === systemAuthor);

    // Polls come before the placeholder checks: on iOS their first line carries a mark like generated text.
    const poll = newline > 0 && POLL_HEAD.test(first) ? readPoll(body.split('\n'), table.at(k)) : null;
    let kind: BodyKind = poll ? 'text' : classifyFirstLine(first, facts);
    // A marked single first line is the encryption notice in a language not listed.
    if (m === 0 && kind === 'text' && facts.bodyMark && newline < 0) kind = 'system';
    if (kind === 'system') {
      if (m === 0) systemAuthor ??= speaker.name;
      if (systemLines !== null) systemLines.push(detach(first));
      skipped.system++;
      continue;
    }

    // The speaker is a participant whatever they sent.
    if (!speaker.counted) {
      speaker.counted = true;
      if (people !== null) {
        const names = people.get(speaker.key);
        if (names) names.add(speaker.name);
        else people.set(speaker.key, new Set([speaker.name]));
      }
    }
    if (countOnly) continue;

    if (poll) {
      polls.push(poll);
      continue;
    }
    let message = body;
    if (kind !== 'text') {
      // A caption sits on the lines after a media placeholder and is the message; a lone file name is not one.
      const caption = kind === 'media' && newline > 0 ? body.slice(newline + 1).trim() : '';
      if (caption === '' || (FILE_NAME.test(caption) && !caption.includes('\n'))) {
        if (kind === 'media') skipped.media++;
        else skipped.deleted++;
        continue;
      }
      message = caption;
    }
    if (message.charCodeAt(message.length - 1) === 62) message = message.replace(EDITED, '').trim();
    if (message.length === 0) {
      skipped.empty++;
      continue;
    }
    const t = table.t[k] as number;
    if (t !== lastT) {
      lastT = t;
      lastAt = table.at(k);
    }
    messages.push({ participant: speaker.key, text: message, at: lastAt, line: (table.line[k] as number) + 1 });
  }
  build.m = m;
  build.systemAuthor = systemAuthor;
  build.lastT = lastT;
  build.lastAt = lastAt;
}

function aggregate(warnings: Warning[], o: Oddity, code: string, message: (o: Oddity) => string): void {
  if (o.count > 0) warnings.push({ code, message: message(o), line: o.firstLine });
}

/** Day/month hint from the language of the placeholders: US English writes M/D/YY, unpadded. */
function localeHint(table: HeaderTable, rows: Int32Array, view: TextWindow): DateOrder | null {
  let english = false;
  let other = false;
  for (const k of rows) {
    const bodyStart = table.bodyStart[k] as number;
    const end = table.lineEnd[k] as number;
    if ((table.speaker[k] as number) < 0 || end - bodyStart > 70) continue;
    const key = lookupKey(cleanText(view.slice(bodyStart, end)));
    if (ENGLISH_PLACEHOLDER.test(key)) english = true;
    else if (MEDIA_SET.has(key) || DELETED_SET.has(key) || SYSTEM_SET.has(key)) other = true;
  }
  if (english) {
    const padded = rows.some(
      (k) => (table.aLen(k) === 2 && (table.a[k] as number) < 10) || (table.bLen(k) === 2 && (table.b[k] as number) < 10),
    );
    return !padded && table.cLen(rows[0] as number) <= 2 ? 'mdy' : 'dmy';
  }
  return other ? 'dmy' : null;
}
