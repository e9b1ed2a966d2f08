/**
 * Telegram Desktop export (`result.json`): one chat `{name, type, id, messages}` or a whole account
 * `{…, chats: {list}, left_chats: {list}}`. Pure: text in, ParseResult out.
 */
import { unreadable } from '../errors';
import { NAME_MARKER } from '../privacy/redact';
import { cleanText } from '../text/clean';
import { nameKey } from './identity';
import { isRecord, keysOf, readJson } from './json-repair';
import type { ParsedMessage, ParsedParticipant, ParsedPoll, ParseResult, Warning } from './types';
import { emptySkips } from './types';

const EXPECTED = 'a Telegram Desktop export (result.json): an object with "messages": […] or "chats": {"list": […]}';

/** Fields that mean a message carried a file, sticker, location or contact instead of (or besides) text. */
const MEDIA_FIELDS = [
  'photo',
  'file',
  'media_type',
  'sticker_emoji',
  'mime_type',
  'location_information',
  'contact_information',
  'contact_vcard',
  'place_name',
  'game_title',
  'invoice_information',
] as const;

/** True when a parsed JSON value has the shape of a Telegram export: `looksLikeTelegram({chats:{list:[]}})` → true. */
export function looksLikeTelegram(value: unknown): boolean {
  if (!isRecord(value)) return false;
  if (hasList(value.chats) || hasList(value.left_chats)) return true;
  const messages = value.messages;
  if (!Array.isArray(messages)) return false;
  if (messages.length === 0) return typeof value.name === 'string' && 'id' in value && 'type' in value;
  return messages.slice(0, 5).some(isTelegramMessage);
}

function hasList(v: unknown): boolean {
  return isRecord(v) && Array.isArray(v.list);
}

function isTelegramMessage(m: unknown): boolean {
  if (!isRecord(m)) return false;
  if (m.type === 'message' || m.type === 'service') return 'date' in m || 'date_unixtime' in m || 'text' in m;
  return typeof m.date_unixtime === 'string' || typeof m.from_id === 'string';
}

/** The chats of an export, in file order; throws when the value is not a Telegram export. */
function chatsOf(value: unknown): Record<string, unknown>[] {
  if (!isRecord(value)) throw unreadable(`found ${keysOf(value)}; expected ${EXPECTED}`);
  const chats: Record<string, unknown>[] = [];
  if ('messages' in value) {
    if (!Array.isArray(value.messages)) throw unreadable(`"messages" is not a list; expected ${EXPECTED}`);
    chats.push(value);
  }
  let lists = 0;
  for (const field of ['chats', 'left_chats'] as const) {
    const holder = value[field];
    if (holder === undefined) continue;
    if (!isRecord(holder) || !Array.isArray(holder.list)) {
      throw unreadable(`"${field}" has no "list" of chats; expected ${EXPECTED}`);
    }
    lists++;
    for (const chat of holder.list) if (isRecord(chat)) chats.push(chat);
  }
  if (chats.length === 0 && lists === 0) throw unreadable(`found ${keysOf(value)}; expected ${EXPECTED}`);
  return chats;
}

/**
 * `text` is a string or a list of strings and `{type, text}` entities; the pieces carry their own spaces.
 * A `mention` entity ("@handle") becomes NAME_MARKER unless `keep` says the handle is a participant's.
 */
function joinText(v: unknown, keep?: (handle: string) => boolean): string {
  if (typeof v === 'string') return v;
  if (!Array.isArray(v)) return '';
  let s = '';
  for (const part of v) {
    if (typeof part === 'string') s += part;
    else if (isRecord(part) && typeof part.text === 'string') {
      s += part.type === 'mention' && !keep?.(handleOf(part.text)) ? NAME_MARKER : part.text;
    }
  }
  return s;
}


function handleOf(mention: string): string {
  return tidy(mention).replace(/^@/, '');
}

function tidy(s: string): string {
  return cleanText(s).trim();
}

/** `"user123"` stays, old exports' bare numbers become `user<n>`: the key is `tg:user123` either way. */
function idKey(id: unknown): string | null {
  if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) return `tg:user${id}`;
  if (typeof id !== 'string') return null;
  const s = id.trim();
  if (s === '') return null;
  return /^\d+$/.test(s) ? `tg:user${s}` : `tg:${s}`;
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

function localIso(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const m = LOCAL_DATE.exec(v.trim());
  if (!m) return null;
  const [month, day, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6]].map(Number);
  if (month === undefined || day === undefined || hour === undefined || minute === undefined || second === undefined)
    return null;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  return m[0];
}

function unixIso(v: unknown): string | null {
  const seconds = typeof v === 'string' && /^\d{1,12}$/.test(v.trim()) ? Number(v) : v;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0 || seconds >= 253402300800) return null;
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}Z`;
}

/**
 * `date` is preferred over `date_unixtime`: it is the wall-clock time the chat showed, as WhatsApp
 * exports give it, so times read the same across formats. `date_unixtime` (UTC) is the fallback
 * for files that lack `date`, and then `at` ends in `Z`.
 */
function timeOf(m: Record<string, unknown>): string | null {
  return localIso(m.date) ?? unixIso(m.date_unixtime);
}

function count(v: unknown): number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0;
}

function pollOf(poll: Record<string, unknown>, at: string | null): ParsedPoll | null {
  const question = tidy(joinText(poll.question));
  const answers = Array.isArray(poll.answers) ? poll.answers : [];
  const options: ParsedPoll['options'] = [];
  for (const a of answers) {
    if (!isRecord(a)) continue;
    const label = tidy(joinText(a.text));
    if (label !== '') options.push({ label, votes: count(a.voters) });
  }
  if (question === '' && options.length === 0) return null;
  const totalVoters = typeof poll.total_voters === 'number' ? count(poll.total_voters) : undefined;
  const votes = options.reduce((sum, o) => sum + o.votes, 0);
  // The export does not say whether several answers were allowed; more votes than voters proves it.
  const multiple = totalVoters !== undefined && votes > totalVoters;
  return {
    question,
    options,
    multiple,
    ...(totalVoters !== undefined ? { participants: totalVoters } : {}),
    at,
    source: 'telegram',
  };
}

/** Collects participants in first-seen order with every distinct display name. */
class People {
  private readonly byKey = new Map<string, string[]>();
  add(key: string, name?: string): void {
    let names = this.byKey.get(key);
    if (!names) {
      names = [];
      this.byKey.set(key, names);
    }
    const shown = name === undefined ? '' : tidy(name).replace(/\s+/g, ' ');
    if (shown !== '' && !names.includes(shown)) names.push(shown);
  }
  has(key: string): boolean {
    return this.byKey.has(key);
  }
  /** True when some participant goes by this name or handle (case aside). */
  named(name: string): boolean {
    const n = name.toLowerCase();
    for (const names of this.byKey.values()) if (names.some((x) => x.toLowerCase() === n)) return true;
    return false;
  }
  list(): ParsedParticipant[] {
    return [...this.byKey].map(([key, names]) => ({ key, names }));
  }
}

/** The speaker's key: `from_id` when present, else the `from` name; registers the names seen. */
function speaker(people: People, id: unknown, name: unknown): string | null {
  const shown = typeof name === 'string' ? name : undefined;
  const key = idKey(id) ?? (shown !== undefined && tidy(shown) !== '' ? nameKey(shown) : null);
  if (key !== null) people.add(key, shown);
  return key;
}

/** `mention_name` entities name a user by id: that name is one more form of the user to redact. */
function addMentions(people: People, ...lists: unknown[]): void {
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const e of list) {
      if (!isRecord(e) || e.type !== 'mention_name' || typeof e.text !== 'string') continue;
      const key = idKey(e.user_id);
      if (key !== null) people.add(key, e.text.replace(/^@/, ''));
    }
  }
}

/**
 * People named without speaking: `mention` entities' handles, service messages' `members`, the authors of
 * forwarded and saved messages (not channels: `forwarded_from_id` "channel…"). All of them get redacted.
 */
function addMentioned(into: Set<string>, m: Record<string, unknown>): void {
  for (const list of [m.text, m.text_entities]) {
    if (!Array.isArray(list)) continue;
    for (const e of list) {
      if (isRecord(e) && e.type === 'mention' && typeof e.text === 'string') addName(into, handleOf(e.text));
    }
  }
  if (Array.isArray(m.members)) for (const member of m.members) if (typeof member === 'string') addName(into, member);
  for (const [field, idField] of [
    ['forwarded_from', 'forwarded_from_id'],
    ['saved_from', 'saved_from_id'],
  ] as const) {
    const name = m[field];
    const id = m[idField];
    if (typeof name === 'string' && !(typeof id === 'string' && id.startsWith('channel'))) addName(into, name);
  }
}

function addName(into: Set<string>, raw: string): void {
  const name = tidy(raw).replace(/\s+/g, ' ');
  if (name !== '') into.add(name);
}

/** The account owner's username, lower case without "@", or null. */
function ownerHandleOf(value: unknown): string | null {
  if (!isRecord(value) || !isRecord(value.personal_information)) return null;
  const handle = value.personal_information.username;
  return typeof handle === 'string' && handle.trim() !== '' ? handleOf(handle).toLowerCase() : null;
}

/** The account owner's own names, when a full export carries `personal_information`. */
function addOwner(people: People, value: unknown): void {
  if (!isRecord(value) || !isRecord(value.personal_information)) return;
  const me = value.personal_information;
  const key = idKey(me.user_id);
  if (key === null || !people.has(key)) return;
  const full = [me.first_name, me.last_name].filter((s) => typeof s === 'string').join(' ');
  people.add(key, full);
  if (typeof me.username === 'string') people.add(key, me.username.replace(/^@/, ''));
}

/**
 * Parse a Telegram Desktop JSON export:
 * `parseTelegram('{"messages":[{"type":"message","date":"2022-03-18T14:56:01","from":"Ana","from_id":"user7","text":"Hi"}]}')`
 * → one message `{ participant: "tg:user7", text: "Hi", at: "2022-03-18T14:56:01" }`.
 */
export function parseTelegram(text: string): ParseResult {
  const { value, warnings } = readJson(text, EXPECTED);
  const chats = chatsOf(value);
  const people = new People();
  const messages: ParsedMessage[] = [];
  const polls: ParsedPoll[] = [];
  const skipped = emptySkips();
  const mentioned = new Set<string>();
  const ownerHandle = ownerHandleOf(value);
  let record = 0;
  let notObjects = 0;
  let undated = 0;
  let firstUndated = 0;

  // Messages stay in file order, chat by chat: each chat is chronological, and `line` counts across the file.
  for (const chat of chats) {
    const list = Array.isArray(chat.messages) ? chat.messages : [];
    for (const m of list) {
      record++;
      if (!isRecord(m)) {
        notObjects++;
        continue;
      }
      if (m.type !== undefined && m.type !== 'message') {
        // Service messages (joins, pins, calls) and any type newer than this parser are never feedback.
        speaker(people, m.actor_id, m.actor);
        addMentioned(mentioned, m);
        skipped.system++;
        continue;
      }
      const participant = speaker(people, m.from_id, m.from);
      addMentions(people, m.text, m.text_entities);
      addMentioned(mentioned, m);
      const at = timeOf(m);
      if (isRecord(m.poll)) {
        const poll = pollOf(m.poll, at);
        if (poll) polls.push(poll);
        else skipped.empty++;
        continue;
      }
      // Participants are only all known at the end: pass the lookup, not a list of names. The owner's handle
      // stays too; if the owner turns out not to be a participant, it is left among the mentioned.
      const keep = (handle: string) => handle.toLowerCase() === ownerHandle || people.named(handle);
      const body = tidy(joinText(m.text, keep)) || tidy(joinText(m.text_entities, keep));
      if (body === '') {
        if (MEDIA_FIELDS.some((f) => m[f] !== undefined)) skipped.media++;
        else skipped.empty++;
        continue;
      }
      if (at === null && undated++ === 0) firstUndated = record;
      messages.push({ participant, text: body, at, line: record });
    }
  }

  addOwner(people, value);
  const participants = people.list();
  for (const p of participants) for (const n of p.names) mentioned.delete(n);
  const notes: Warning[] = [...warnings];
  if (notObjects > 0) {
    notes.push({
      code: 'bad_record',
      message: `${notObjects} message entr${notObjects === 1 ? 'y is not an object and was' : 'ies are not objects and were'} ignored`,
    });
  }
  if (undated > 0) {
    notes.push({
      code: 'no_date',
      message: `${undated} message${undated === 1 ? ' has' : 's have'} no readable "date" or "date_unixtime"; first at record ${firstUndated}`,
      line: firstUndated,
    });
  }
  return { format: 'telegram', messages, participants, ...(mentioned.size > 0 ? { mentioned: [...mentioned] } : {}), polls, skipped, warnings: notes };
}
