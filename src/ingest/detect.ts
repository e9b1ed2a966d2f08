/**
 * Guesses an export's format from its bytes, with the file name as a tie-breaker, and refuses a format
 * asked for that the content clearly is not. Pure.
 */
import Papa from 'papaparse';
import { AppError, unreadable } from '../errors';
import { asciiDigits, cleanText } from '../text/clean';
import { looksLikeFacebook } from './facebook';
import { isRecord } from './json-repair';
import { looksLikeTelegram } from './telegram';
import { type Format, FORMATS } from './types';
import { isZip } from './zip';

/** A WhatsApp header at a line start: `[18/03/2022, 14:56:01]`, `18.03.22 13:31 - `, `[14:56:01, 3/18/22]`. */
const CHAT_HEADER =
  /^\[?(?:\d{1,4}[./-]\d{1,2}[./-](?:[A-Z]\d{1,2}|\d{1,4})(?:\s*BE)?[, ]*(?:à|klo|um|a las|às|в|o)?\s*\d{1,2}[:.]\d{2}|\d{1,2}[:.]\d{2}(?:[:.]\d{2})?,? \d{1,4}[./-]\d{1,2}[./-]\d{1,4})/u;
/**
 * What follows a header on a line someone wrote: the rest of the time (seconds, a day period such as
 * `p. m.` or `in the morning`), then `] `, ` - ` or `: `, and an author with their colon. No comma may
 * come before the separator, so a CSV row that starts with a date-time (`3/14/2023 14:05:41,Yes: …`) is not one.
 */
const AUTHOR_AFTER_HEADER = /^(?:[:.]\d{2})?[^\]\-–:,\n]{0,16}?(?:\]\s*|\s[-–]\s|:\s)[^:\n]{1,80}?:(?:\s|$)/u;
const WIKI_SIGNATURE = /\[\[(?:[^\]|:]+):[^\]|]+(?:\|[^\]]*)?\]\][^\n]{0,200}?\d{1,2}[:.]\d{2}[^\n]{0,60}\((?:UTC|CES?T|[^)]{1,12})\)/u;
/** A Markdown heading or list item at a line start: interview notes, never the first cell of a CSV record. */
const LIST_OR_HEADING = /^\s*(?:#{1,6}\s|[-*•+]\s|\d+[.)]\s)/;
const LIST_OR_HEADING_LINE = new RegExp(LIST_OR_HEADING.source, 'm');
const TELEGRAM_KEYS = /"(?:date_unixtime|from_id)"|"chats"\s*:\s*\{\s*"(?:about|list)"/;
/** How a JSON object or a list of objects or strings opens. */
const JSON_OPENING = /^\s*(?:\{|\[\s*[{["\]])/;
const FACEBOOK_KEYS = /"(?:timestamp_ms|sender_name|group_posts|group_posts_v2|comments_v2|group_comments_v2)"/;

/** Characters of text detection looks at. */
const HEAD_CHARS = 64 * 1024;
/** Non-blank lines whose headers are counted. */
const SAMPLE_LINES = 60;

/** `detectFormat(bytes, "[18/03/2022, 14:56:01] Amina: hi", "chat.txt")` → `"whatsapp"`; throws unsupported_format when nothing fits. */
export function detectFormat(bytes: Uint8Array, text: string | null, filename?: string): Format {
  if (isZip(bytes)) return 'whatsapp';
  if (text === null || text.slice(0, HEAD_CHARS).includes('\u0000')) throw unsupported('the file is binary and not a zip');
  const head = text.slice(0, HEAD_CHARS).replace(/^\uFEFF/, '');
  const ext = (filename ?? '').toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? '';

  if (/^\s*[[{]/.test(head)) {
    const json = readJson(text, head);
    if (json.shape !== null) return json.shape;
    // Invalid JSON (some exporters write raw control characters): decide on the keys it mentions.
    if (json.keys !== null) return json.keys;
    if (json.valid) {
      throw unsupported('this JSON is neither a Telegram Desktop export (result.json) nor a Facebook/Instagram "Download your information" file');
    }
    // Not JSON after all: wikitext opening with a {{template}} lands here.
  }

  const lines = head.split(/\r?\n/, 400).filter((l) => l.trim() !== '');
  const found = readText(head, text.length > head.length, lines);
  // A survey CSV whose rows start with a date-time has chat headers on most lines too: its header row and
  // its columns settle it. A chat clearly read as one is not overruled by a .csv name.
  if (found.csv === null && found.sampled > 0 && found.headers / found.sampled >= 0.3 && (ext !== 'csv' || isClearlyChat(found))) return 'whatsapp';

  if (ext === 'wiki' || ext === 'wikitext' || WIKI_SIGNATURE.test(head)) return 'wikitext';
  if (ext === 'csv' || ext === 'tsv') return 'csv';
  if (ext === 'md' || ext === 'markdown') return 'notes';
  if (found.csv !== null) return 'csv';
  // Prose with commas can pass for CSV, so headings and bullets settle it for notes first.
  if (LIST_OR_HEADING_LINE.test(head)) return 'notes';
  if (looksLikeCsv(lines)) return 'csv';
  if (ext === 'txt' && lines.length > 0) return 'notes';
  throw unsupported('the file does not look like a chat export, survey CSV, wiki talk page or interview notes');
}

/**
 * Throws unreadable_file when the text clearly is another format than the one asked for, before anything
 * is parsed or stored: the notes and CSV parsers accept any text, and only a chat parser knows which words
 * are people's names, so a chat read as notes would keep its authors in clear.
 * `refuseOtherFormat("notes", "[18/03/2022, 14:56:01] Amina: hi\n[18/03/2022, 14:57:02] Karim: yes")` throws.
 */
export function refuseOtherFormat(asked: Format, text: string): void {
  const clash = otherFormat(asked, text);
  if (clash !== null) throw unreadable(`format=${asked} was asked, but ${clash}`);
}

function otherFormat(asked: Format, text: string): string | null {
  const head = text.slice(0, HEAD_CHARS).replace(/^\uFEFF/, '');
  if (/^\s*[[{]/.test(head)) {
    const json = readJson(text, head);
    if (json.valid) {
      if (json.shape !== null) return json.shape === asked ? null : readsAs(json.shape, json);
      // Another tool's JSON: the chat parser asked for would find nothing in it, or something else than messages.
      if (asked === 'telegram' && json.keys !== 'telegram' && !mayBeTelegram(json.value)) return notTheJson(asked);
      if (asked === 'facebook' && json.keys !== 'facebook' && !mayBeFacebook(json.value)) return notTheJson(asked);
      return null;
    }
    // Broken JSON is judged by its keys only when it opens like JSON: an iOS chat opens with "[18/03/2022".
    if (json.keys !== null && json.keys !== asked && opensLikeJson(head)) return readsAs(json.keys, json);
  }
  if (asked === 'whatsapp') return null;
  const lines = head.split(/\r?\n/, 400).filter((l) => l.trim() !== '');
  const found = readText(head, text.length > head.length, lines);
  if (!isClearlyChat(found)) return null;
  return `this reads as a WhatsApp chat export: ${found.headers} of ${found.sampled} sampled lines are message headers; upload it without format, or with format=whatsapp`;
}

/** `opensLikeJson('{"name": "g"')` → true; `opensLikeJson("[18/03/2022, 14:56:01] Amina: hi")` → false (an iOS chat). */
export function opensLikeJson(text: string): boolean {
  return JSON_OPENING.test(text.replace(/^\uFEFF/, ''));
}

function readsAs(format: 'telegram' | 'facebook', json: JsonReading): string {
  if (format === 'telegram') {
    const why = !json.valid
      ? 'it is JSON (not quite valid) that names Telegram\'s "from_id" or "date_unixtime" fields'
      : isRecord(json.value) && Array.isArray(json.value.messages)
        ? 'it is JSON whose "messages" are Telegram messages ("type", "date", "from", "text"), as in result.json'
        : 'it is JSON listing a Telegram account\'s "chats", as in result.json';
    return `this reads as a Telegram Desktop export: ${why}; upload it without format, or with format=telegram`;
  }
  const value = json.value;
  const list = isRecord(value) ? (Array.isArray(value.messages) ? 'messages' : Object.keys(value).find((k) => Array.isArray(value[k]))) : undefined;
  const why = !json.valid
    ? 'it is JSON (not quite valid) that names Facebook\'s "sender_name", "timestamp_ms" or group posts and comments'
    : Array.isArray(value)
      ? 'it is a JSON list of posts with "timestamp" and "data", as in your_posts.json'
      : list === 'messages'
        ? 'its "messages" carry "sender_name" and "timestamp_ms", as Messenger and Instagram write them'
        : `it is JSON with a "${list ?? 'messages'}" list of posts or comments, as "Download your information" writes it`;
  return `this reads as a Facebook/Instagram export: ${why}; upload it without format, or with format=facebook`;
}

/** Looser than looksLikeTelegram: anything parseTelegram finds a chat in. */
function mayBeTelegram(v: unknown): boolean {
  if (!isRecord(v)) return false;
  if (isRecord(v.chats) || isRecord(v.left_chats)) return true;
  return Array.isArray(v.messages) && v.messages.some((m) => isRecord(m) && (m.type === 'message' || m.type === 'service' || 'date_unixtime' in m || 'from_id' in m));
}

/** The lists of posts and comments parseFacebook reads. */
const FACEBOOK_LISTS = ['group_posts', 'group_posts_v2', 'comments', 'comments_v2', 'group_comments_v2', 'status_updates', 'status_updates_v2', 'pending_posts_v2'];

/** Looser than looksLikeFacebook: anything parseFacebook finds a post, comment or message in (one odd record does not hide the rest). */
function mayBeFacebook(v: unknown): boolean {
  if (Array.isArray(v)) return v.some((r) => isRecord(r) && typeof r.timestamp === 'number');
  if (!isRecord(v)) return false;
  if (FACEBOOK_LISTS.some((k) => Array.isArray(v[k]))) return true;
  if (!Array.isArray(v.messages)) return false;
  if (v.messages.length === 0) return Array.isArray(v.participants);
  return v.messages.some((m) => isRecord(m) && (typeof m.sender_name === 'string' || typeof m.timestamp_ms === 'number' || typeof m.senderName === 'string'));
}

function notTheJson(asked: 'telegram' | 'facebook'): string {
  if (asked === 'telegram') {
    return 'this JSON is not a Telegram Desktop export: it has no "messages" list of Telegram messages and no "chats" list; upload the result.json that Telegram Desktop writes (Export chat history, format JSON)';
  }
  return 'this JSON is not a Facebook or Instagram export: it has no Messenger "messages" (with "sender_name" or "timestamp_ms") and no posts or comments; upload a JSON file from "Download your information"';
}

interface JsonReading {
  valid: boolean;
  /** The parsed value; undefined when the JSON is broken. */
  value: unknown;
  /** The format the parsed value has the shape of. */
  shape: 'telegram' | 'facebook' | null;
  /** The format whose keys the first characters mention. */
  keys: 'telegram' | 'facebook' | null;
}

function readJson(text: string, head: string): JsonReading {
  const value = tryParse(text);
  const keys = TELEGRAM_KEYS.test(head) ? 'telegram' : FACEBOOK_KEYS.test(head) ? 'facebook' : null;
  if (value === undefined) return { valid: false, value, shape: null, keys };
  return { valid: true, value, shape: looksLikeTelegram(value) ? 'telegram' : looksLikeFacebook(value) ? 'facebook' : null, keys };
}

interface TextReading {
  /** Non-blank lines looked at. */
  sampled: number;
  /** Of those, lines that start with a chat header. */
  headers: number;
  /** Of those, headers followed by an author and a colon (not system lines). */
  authored: number;
  csv: CsvShape | null;
}

function readText(head: string, cut: boolean, lines: string[]): TextReading {
  const sample = lines.slice(0, SAMPLE_LINES);
  let headers = 0;
  let authored = 0;
  for (const line of sample) {
    const clean = headerForm(line);
    const m = CHAT_HEADER.exec(clean);
    if (m === null) continue;
    headers++;
    if (AUTHOR_AFTER_HEADER.test(clean.slice(m[0].length))) authored++;
  }
  const first = lines[0];
  // A first line that is a chat header, or authors on most lines, is a chat however its commas fall.
  const csv = first === undefined || isChatHeader(first) || authored * 2 >= sample.length ? null : csvShape(head, cut);
  return { sampled: sample.length, headers, authored, csv };
}

/** Most sampled lines are chat headers and people wrote some of them: what a chat export looks like, and notes or a CSV do not. */
function isClearlyChat(r: TextReading): boolean {
  return r.csv === null && r.headers >= 2 && r.authored >= 2 && r.headers * 2 >= r.sampled;
}

function isChatHeader(line: string): boolean {
  return CHAT_HEADER.test(headerForm(line));
}

/** A line as CHAT_HEADER reads it: cleaned, ASCII digits, the Arabic comma as a comma, no leading space. */
function headerForm(line: string): string {
  return asciiDigits(cleanText(line)).replace(/\u060C/g, ',').trimStart();
}

interface CsvShape {
  delimiter: string;
  columns: number;
  rows: number;
}

/** Form tools export with commas, semicolons (European Excel) or tabs. */
const CSV_DELIMITERS = [',', ';', '\t'];
/** Records after the header row that are read to judge the shape. */
const CSV_SNIFF_ROWS = 20;

/**
 * A header row of two or more cells and records with as many (papaparse reads the quoting, so commas inside
 * quoted question texts and multi-line answers count right), none of them a Markdown heading or list item.
 */
function csvShape(head: string, cut: boolean): CsvShape | null {
  const source = head.replace(/^\uFEFF+/, '');
  for (const delimiter of CSV_DELIMITERS) {
    const parsed = Papa.parse<string[]>(source, { delimiter, preview: CSV_SNIFF_ROWS + 1, skipEmptyLines: 'greedy' });
    let records = parsed.data.filter((r) => Array.isArray(r));
    // A head cut from a longer file ends inside its last record, unless the preview stopped before it.
    if (cut && records.length <= CSV_SNIFF_ROWS) records = records.slice(0, -1);
    const [header, ...rows] = records;
    if (header === undefined || header.length < 2 || rows.length === 0 || LIST_OR_HEADING.test(String(header[0]))) continue;
    const alike = rows.filter((r) => r.length === header.length && !LIST_OR_HEADING.test(String(r[0]))).length;
    if (alike * 10 < rows.length * 9) continue;
    // Two cells where the second starts with a time: a chat line cut at the comma of its date, not a form.
    if (header.length === 2 && rows.filter((r) => /^\s*\d{1,2}[:.]\d{2}/.test(String(r[1]))).length * 2 > rows.length) continue;
    return { delimiter, columns: header.length, rows: rows.length };
  }
  return null;
}

function unsupported(why: string): AppError {
  return new AppError(
    'unsupported_format',
    `${why}. Supported: ${FORMATS.join(', ')} (WhatsApp .txt/.zip, Telegram result.json, Facebook JSON, survey CSV, notes, wikitext); pass ?format= to choose`,
  );
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Broken JSON is not an error here: detection falls back to the keys the text mentions.
    return undefined;
  }
}

/** The first lines split into the same number (≥ 2) of fields on one delimiter. */
function looksLikeCsv(lines: string[]): boolean {
  if (lines.length < 2) return false;
  for (const d of [',', ';', '\t']) {
    const counts = lines.slice(0, 5).map((l) => l.split(d).length - 1);
    const first = counts[0] ?? 0;
    if (first >= 1 && counts.every((c) => c >= first)) return true;
  }
  return false;
}
