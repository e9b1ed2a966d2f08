/**
 * Guesses an export's format from its bytes, with the file name as a tie-breaker. Pure.
 */
import { AppError } from '../errors';
import { asciiDigits, cleanText } from '../text/clean';
import { looksLikeFacebook } from './facebook';
import { looksLikeTelegram } from './telegram';
import { type Format, FORMATS } from './types';
import { isZip } from './zip';

/** A WhatsApp header at a line start: `[18/03/2022, 14:56:01]`, `18.03.22 13:31 - `, `[14:56:01, 3/18/22]`. */
const CHAT_HEADER =
  /^\[?(?:\d{1,4}[./-]\d{1,2}[./-](?:[A-Z]\d{1,2}|\d{1,4})(?:\s*BE)?[, ]*(?:à|klo|um|a las|às|в|o)?\s*\d{1,2}[:.]\d{2}|\d{1,2}[:.]\d{2}(?:[:.]\d{2})?,? \d{1,4}[./-]\d{1,2}[./-]\d{1,4})/u;
const WIKI_SIGNATURE = /\[\[(?:[^\]|:]+):[^\]|]+(?:\|[^\]]*)?\]\][^\n]{0,200}?\d{1,2}[:.]\d{2}[^\n]{0,60}\((?:UTC|CES?T|[^)]{1,12})\)/u;

/** `detectFormat(bytes, "chat.txt")` → `"whatsapp"`; throws unsupported_format when nothing fits. */
export function detectFormat(bytes: Uint8Array, text: string | null, filename?: string): Format {
  if (isZip(bytes)) return 'whatsapp';
  if (text === null || text.slice(0, 64 * 1024).includes('\u0000')) throw unsupported('the file is binary and not a zip');
  const head = text.slice(0, 64 * 1024).replace(/^\uFEFF/, '');
  const trimmed = head.trimStart();
  const ext = (filename ?? '').toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? '';

  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const json = tryParse(text);
    if (json !== undefined) {
      if (looksLikeTelegram(json)) return 'telegram';
      if (looksLikeFacebook(json)) return 'facebook';
    }
    // Invalid JSON (some exporters write raw control characters): decide on the keys it mentions.
    if (/"(?:date_unixtime|from_id)"/.test(head) || /"chats"\s*:\s*\{\s*"(?:about|list)"/.test(head)) return 'telegram';
    if (/"(?:timestamp_ms|sender_name|group_posts|group_posts_v2|comments_v2|group_comments_v2)"/.test(head)) return 'facebook';
    if (json !== undefined) {
      throw unsupported('this JSON is neither a Telegram Desktop export (result.json) nor a Facebook/Instagram "Download your information" file');
    }
    // Not JSON after all: wikitext opening with a {{template}} lands here.
  }

  const lines = head.split(/\r?\n/, 400).filter((l) => l.trim() !== '');
  const sample = lines.slice(0, 60);
  const headerLines = sample.filter((l) => CHAT_HEADER.test(asciiDigits(cleanText(l)).replace(/\u060C/g, ',').trimStart())).length;
  if (sample.length > 0 && headerLines / sample.length >= 0.3 && ext !== 'csv') return 'whatsapp';

  if (ext === 'wiki' || ext === 'wikitext' || WIKI_SIGNATURE.test(head)) return 'wikitext';
  if (ext === 'csv' || ext === 'tsv') return 'csv';
  if (ext === 'md' || ext === 'markdown') return 'notes';
  // Prose with commas can pass for CSV, so headings and bullets settle it for notes first.
  if (/^\s*(?:#{1,6}\s|[-*•+]\s|\d+[.)]\s)/m.test(head)) return 'notes';
  if (looksLikeCsv(lines)) return 'csv';
  if (ext === 'txt' && lines.length > 0) return 'notes';
  throw unsupported('the file does not look like a chat export, survey CSV, wiki talk page or interview notes');
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
