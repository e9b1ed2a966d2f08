/**
 * The shape every export parser returns. Parsers are pure: bytes or text in, this out, no I/O.
 * Nothing here is redacted yet: the ingest service redacts and pseudonymises before anything is stored.
 */
export type Format = 'whatsapp' | 'telegram' | 'facebook' | 'csv' | 'notes' | 'wikitext';
export const FORMATS: readonly Format[] = ['whatsapp', 'telegram', 'facebook', 'csv', 'notes', 'wikitext'];

/** A person seen in the file. `key` identifies them across files; `names` are every form to redact. */
export interface ParsedParticipant {
  /** Normalised identity, prefixed by kind: `phone:+40521028618`, `name:jane doe`, `tg:user123`,
   *  `email:a@b.org`, `wiki:Example`, `ip:192.0.2.1`, `row:17` (anonymous survey response). Build with identity.ts. */
  key: string;
  /** Display forms as they appear in the file (names, phone spellings, handles, emails): all get redacted. */
  names: string[];
}

export interface ParsedMessage {
  /** `ParsedParticipant.key` of the speaker, or null when nobody is known (anonymous notes). */
  participant: string | null;
  /** The message text: cleaned (bidi marks, BOM, odd spaces removed; edited markers stripped), not redacted. */
  text: string;
  /** Local wall-clock time as ISO 8601 without offset (`2022-03-18T14:56:01`), `…Z` when the source is UTC; null if unknown. */
  at: string | null;
  /** 1-based line (text formats) or record index (JSON/CSV) where the message starts: for error messages and citations. */
  line?: number;
  /** Context label from the file itself (notes heading "Context: …", survey question). */
  context?: string;
  /** Headings or question text that may name a theme; the ingest service maps them to theme keys. */
  themeHints?: string[];
  /** Survey question / form column the answer came from. */
  question?: string;
}

export interface ParsedPoll {
  question: string;
  options: { label: string; votes: number }[];
  multiple: boolean;
  /** Distinct voters when the source says so. */
  participants?: number;
  at: string | null;
  /** Where it came from, e.g. "whatsapp", "telegram", "csv". */
  source: Format;
}

/** What was read and not kept as feedback. */
export interface SkipCounts {
  /** System lines: joined/left/encryption notices, service messages. */
  system: number;
  /** Media placeholders: `<Media omitted>`, `image omitted`, attachments. */
  media: number;
  /** Deleted-message markers and view-once `null`. */
  deleted: number;
  /** Empty answers, blank posts. */
  empty: number;
}

export interface Warning {
  code: string;
  message: string;
  line?: number;
}

export interface ParseResult {
  format: Format;
  messages: ParsedMessage[];
  participants: ParsedParticipant[];
  /** Names and handles of people the file names (mentions, members added or removed, a 1:1 chat's name)
   *  without their being participants, as written: all get redacted, under `[name]` unless a participant
   *  has the same name. */
  mentioned?: string[];
  polls: ParsedPoll[];
  skipped: SkipCounts;
  warnings: Warning[];
}

export function emptySkips(): SkipCounts {
  return { system: 0, media: 0, deleted: 0, empty: 0 };
}

/**
 * A parse that hands its messages over chunk by chunk, so a large export never has all of its messages
 * (or all of its decoded text) in memory at once. Everything that can be known before the first message
 * is known when the stream is made, and a file that cannot be read fails then, before anything is stored.
 */
export interface ParseStream {
  format: Format;
  /** Everyone in the file, exactly as a whole-file parse reports them: the redactor needs every name first. */
  participants: ParsedParticipant[];
  /** As ParseResult's `mentioned`, complete when the stream is made. */
  mentioned?: string[];
  /** The messages in file order, a chunk at a time; can be consumed once. */
  chunks(): Iterable<ParsedMessage[]>;
  /** Polls, skip counts and warnings: complete once `chunks()` has been consumed. */
  finish(): Pick<ParseResult, 'polls' | 'skipped' | 'warnings'>;
}

/** A whole-file parse as a stream of one chunk (formats whose files are small, or that JSON.parse whole). */
export function streamOf(result: ParseResult): ParseStream {
  let messages: ParsedMessage[] | null = result.messages;
  return {
    format: result.format,
    participants: result.participants,
    ...(result.mentioned ? { mentioned: result.mentioned } : {}),
    *chunks() {
      if (messages === null) throw new Error('the messages of this parse were already consumed');
      const all = messages;
      messages = null;
      yield all;
    },
    finish: () => ({ polls: result.polls, skipped: result.skipped, warnings: result.warnings }),
  };
}
