/**
 * Facebook / Instagram "Download your information" JSON: posts and comments (2019 and `_v2` layouts,
 * `your_posts` top-level arrays) and Messenger / Instagram message files. Pure: text in, ParseResult out.
 */
import { unreadable } from '../errors';
import { cleanText } from '../text/clean';
import { nameKey } from './identity';
import { isRecord, keysOf, readJson } from './json-repair';
import type { ParsedMessage, ParsedParticipant, ParseResult, SkipCounts, Warning } from './types';
import { emptySkips } from './types';

const EXPECTED =
  'a Facebook or Instagram "Download your information" JSON file (posts, comments, group posts, or a messages file with "participants" and "messages")';

/** Keys whose value is a list of `{timestamp, title, data, attachments}` records, across the years' layouts. */
const RECORD_KEYS = [
  'group_posts',
  'group_posts_v2',
  'comments',
  'comments_v2',
  'group_comments_v2',
  'status_updates',
  'status_updates_v2',
  'pending_posts_v2',
] as const;

/** Messenger fields that carry a file instead of text. `media` is the 2024 end-to-end-encrypted export's. */
const MESSAGE_MEDIA = ['photos', 'videos', 'audio_files', 'files', 'gifs', 'sticker', 'media'] as const;

/** Messenger message types that record an event, not something somebody wrote. */
const SYSTEM_TYPES = new Set(['Call', 'Subscribe', 'Unsubscribe']);

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Undo Facebook's mojibake: UTF-8 bytes written as `\u00XX` escapes, one per byte.
 * `fixMojibake("Ã©tÃ©")` → `"été"`; a string that is not such bytes comes back unchanged.
 */
export function fixMojibake(s: string): string {
  let high = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) return s;
    if (c >= 0x80) high = true;
  }
  if (!high) return s;
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  try {
    return decoder.decode(bytes);
  } catch {
    // Not UTF-8 bytes: the string was real Latin-1 text ("café"), keep it.
    return s;
  }
}

function str(v: unknown): string {
  return typeof v === 'string' ? fixMojibake(v) : '';
}

function tidy(s: string): string {
  return cleanText(s).trim();
}

/** True when a parsed JSON value has the shape of a Facebook/Instagram export: `looksLikeFacebook({comments_v2:[]})` → true. */
export function looksLikeFacebook(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0 && value.slice(0, 5).every(isPostRecord);
  if (!isRecord(value)) return false;
  if (RECORD_KEYS.some((k) => Array.isArray(value[k]))) return true;
  const messages = value.messages;
  if (!Array.isArray(messages)) return false;
  if (messages.length === 0) return Array.isArray(value.participants) && ('thread_path' in value || 'threadName' in value);
  return messages.slice(0, 5).some(isMessengerMessage);
}

function isPostRecord(v: unknown): boolean {
  return isRecord(v) && typeof v.timestamp === 'number' && (Array.isArray(v.data) || Array.isArray(v.attachments) || typeof v.title === 'string');
}

function isMessengerMessage(v: unknown): boolean {
  return isRecord(v) && (typeof v.sender_name === 'string' || typeof v.timestamp_ms === 'number' || typeof v.senderName === 'string');
}

/**
 * Epoch time as UTC ISO with `Z`. Posts give seconds, Messenger milliseconds; the 2024 Messenger export
 * puts milliseconds in `timestamp`, so values past 1e11 (year 5138 in seconds) are read as milliseconds.
 */
function utcIso(v: unknown, unit: 's' | 'ms' | 'guess'): string | null {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return null;
  const ms = unit === 'ms' || (unit === 'guess' && v >= 1e11) ? v : v * 1000;
  if (ms >= 253402300800000) return null;
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** Collects participants in first-seen order with every distinct display name. */
class People {
  private readonly byKey = new Map<string, string[]>();
  /** Registers a raw (still mojibaked) name and returns its key, or null for a blank name. */
  add(raw: unknown): string | null {
    const shown = tidy(str(raw)).replace(/\s+/g, ' ');
    if (shown === '') return null;
    const key = nameKey(shown);
    const names = this.byKey.get(key);
    if (!names) this.byKey.set(key, [shown]);
    else if (!names.includes(shown)) names.push(shown);
    return key;
  }
  list(): ParsedParticipant[] {
    return [...this.byKey].map(([key, names]) => ({ key, names }));
  }
}

interface Collected {
  messages: ParsedMessage[];
  people: People;
  skipped: SkipCounts;
  warnings: Warning[];
}

function finish(c: Collected, notObjects: number): ParseResult {
  if (notObjects > 0) {
    c.warnings.push({
      code: 'bad_record',
      message: `${notObjects} entr${notObjects === 1 ? 'y is not an object and was' : 'ies are not objects and were'} ignored`,
    });
  }
  const undated = c.messages.filter((m) => m.at === null);
  const first = undated[0];
  if (first) {
    c.warnings.push({
      code: 'no_date',
      message: `${undated.length} item${undated.length === 1 ? ' has' : 's have'} no readable timestamp; first at record ${first.line}`,
      ...(first.line !== undefined ? { line: first.line } : {}),
    });
  }
  return { format: 'facebook', messages: c.messages, participants: c.people.list(), polls: [], skipped: c.skipped, warnings: c.warnings };
}

/** Exports list newest first; the contract is oldest first. Reversal keeps ties in a stable order. */
function oldestFirst(messages: ParsedMessage[]): ParsedMessage[] {
  const dated = messages.filter((m) => m.at !== null);
  const first = dated[0]?.at;
  const last = dated[dated.length - 1]?.at;
  return first && last && first > last ? messages.reverse() : messages;
}

function hasAttachment(v: unknown): boolean {
  return Array.isArray(v) && v.some((a) => isRecord(a) && Array.isArray(a.data) && a.data.length > 0);
}

/**
 * Posts carry no author. A download of your own activity is all yours, and its comments name you as
 * their author: when they name exactly one person, that person wrote the posts too. Otherwise null.
 */
function ownerOf(records: unknown[]): string | null {
  const authors = new Set<string>();
  for (const r of records) {
    if (!isRecord(r) || !Array.isArray(r.data)) continue;
    for (const d of r.data) {
      if (isRecord(d) && isRecord(d.comment)) {
        const name = tidy(str(d.comment.author));
        if (name !== '') authors.add(nameKey(name));
      }
    }
  }
  return authors.size === 1 ? ([...authors][0] ?? null) : null;
}

function addTags(people: People, tags: unknown): void {
  if (!Array.isArray(tags)) return;
  for (const t of tags) people.add(isRecord(t) ? t.name : t);
}

/** Posts and comments: `{timestamp, title, data: [{post} | {comment}], attachments}`. */
function parseRecords(records: unknown[], owner: string | null, c: Collected): number {
  let notObjects = 0;
  const found: ParsedMessage[] = [];
  records.forEach((r, index) => {
    if (!isRecord(r)) {
      notObjects++;
      return;
    }
    // `title` is a localized sentence ("Ana posted in …"): never read for meaning.
    let at = utcIso(r.timestamp, 'guess');
    let author: string | null = null;
    let group = '';
    const texts: string[] = [];
    const data = Array.isArray(r.data) ? r.data : [];
    for (const d of data) {
      if (!isRecord(d)) continue;
      if (typeof d.post === 'string') texts.push(tidy(str(d.post)));
      if (isRecord(d.comment)) {
        const comment = d.comment;
        if (typeof comment.comment === 'string') texts.push(tidy(str(comment.comment)));
        author = c.people.add(comment.author) ?? author;
        group = tidy(str(comment.group)) || group;
        at = at ?? utcIso(comment.timestamp, 'guess');
      }
    }
    addTags(c.people, r.tags);
    const text = texts.filter((t) => t !== '').join('\n\n');
    if (text === '') {
      if (hasAttachment(r.attachments)) c.skipped.media++;
      else c.skipped.empty++;
      return;
    }
    const participant = author ?? owner;
    found.push({ participant, text, at, line: index + 1, ...(group !== '' ? { context: group } : {}) });
  });
  c.messages.push(...oldestFirst(found));
  return notObjects;
}

function hasMedia(m: Record<string, unknown>): boolean {
  return MESSAGE_MEDIA.some((f) => {
    const v = m[f];
    return Array.isArray(v) ? v.length > 0 : isRecord(v);
  });
}

/** Messenger / Instagram `{participants, messages}`; also the 2024 export's camelCase fields. */
function parseMessages(value: Record<string, unknown>, list: unknown[], c: Collected): number {
  if (Array.isArray(value.participants)) {
    for (const p of value.participants) c.people.add(isRecord(p) ? p.name : p);
  }
  let notObjects = 0;
  const found: ParsedMessage[] = [];
  list.forEach((m, index) => {
    if (!isRecord(m)) {
      notObjects++;
      return;
    }
    const participant = c.people.add(m.sender_name ?? m.senderName);
    if (m.is_unsent === true || m.isUnsent === true) {
      c.skipped.deleted++;
      return;
    }
    // Only typed events are recognisable: renames and "X sent an attachment." arrive as ordinary
    // localized content, and guessing them from English phrases would drop real messages elsewhere.
    if (typeof m.type === 'string' && SYSTEM_TYPES.has(m.type)) {
      c.skipped.system++;
      return;
    }
    const text = tidy(str(m.content ?? m.text));
    if (text === '') {
      if (hasMedia(m) || isRecord(m.share)) c.skipped.media++;
      else c.skipped.empty++;
      return;
    }
    const at = m.timestamp_ms !== undefined ? utcIso(m.timestamp_ms, 'ms') : utcIso(m.timestamp, 'guess');
    found.push({ participant, text, at, line: index + 1 });
  });
  c.messages.push(...oldestFirst(found));
  return notObjects;
}

/**
 * Parse a Facebook or Instagram JSON export:
 * `parseFacebook('{"comments_v2":[{"timestamp":1600000000,"data":[{"comment":{"author":"Ana","comment":"Hi","timestamp":1600000000}}]}]}')`
 * → one message `{ participant: "name:ana", text: "Hi", at: "2020-09-13T12:26:40Z" }`.
 */
export function parseFacebook(text: string): ParseResult {
  const { value, warnings } = readJson(text, EXPECTED);
  const c: Collected = { messages: [], people: new People(), skipped: emptySkips(), warnings: [...warnings] };
  if (Array.isArray(value)) {
    // `your_posts_1.json` and friends are a bare list of post records.
    if (value.length > 0 && !value.some(isRecord)) throw unreadable(`found a list with no post records; expected ${EXPECTED}`);
    return finish(c, parseRecords(value, ownerOf(value), c));
  }
  if (!isRecord(value)) throw unreadable(`found ${keysOf(value)}; expected ${EXPECTED}`);
  if (Array.isArray(value.messages)) return finish(c, parseMessages(value, value.messages, c));
  const keys = RECORD_KEYS.filter((k) => k in value);
  if (keys.length === 0) throw unreadable(`found ${keysOf(value)}, none of which holds posts, comments or messages; expected ${EXPECTED}`);
  const lists: unknown[][] = [];
  for (const key of keys) {
    const records = value[key];
    if (!Array.isArray(records)) throw unreadable(`"${key}" is not a list; expected ${EXPECTED}`);
    lists.push(records);
  }
  const owner = ownerOf(lists.flat());
  let notObjects = 0;
  for (const records of lists) notObjects += parseRecords(records, owner, c);
  return finish(c, notObjects);
}
