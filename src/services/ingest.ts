/**
 * ingestUpload: bytes in, redacted and pseudonymised feedback items out, stored all-or-nothing.
 * The raw file is never stored; only its SHA-256 (to recognise the same bytes again).
 */
import { z } from 'zod';
import type { AppContext } from '../context';
import { sha256Hex } from '../crypto/hash';
import { AppError } from '../errors';
import { decodeText, utf16WithoutBom } from '../ingest/decode';
import { detectFormat, opensLikeJson, refuseOtherFormat } from '../ingest/detect';
import { parseFacebook } from '../ingest/facebook';
import { parseNotes } from '../ingest/notes';
import { parseSurveyCsv } from '../ingest/csv';
import type { HintNames } from '../ingest/csv-columns';
import { parseTelegram } from '../ingest/telegram';
import { FORMATS, type Format, type ParseResult, type ParseStream, type ParsedMessage, type SkipCounts, type Warning, streamOf } from '../ingest/types';
import { parseWhatsApp, streamWhatsApp } from '../ingest/whatsapp';
import { parseWikitext } from '../ingest/wikitext';
import { extractChatBytesFromZip, isZip } from '../ingest/zip';
import { NAME_MARKER, buildRedactor } from '../privacy/redact';
import { derivePseudonymKey, pseudonymsFor } from '../privacy/pseudonym';
import type { ConsultationRow, NewItem, NewPoll, UploadTail } from '../store/store';
import { matchThemeHint } from '../taxonomy/presets';
import { detectLanguage } from '../text/language';
import type { Principal } from './auth';
import { requireConsultation } from './consultations';

const label = z.string().trim().min(1).max(200);

export const UploadOptions = z.object({
  format: z.enum(FORMATS as [Format, ...Format[]]).optional(),
  channel: label.optional(),
  context: label.optional(),
  language: z
    .string()
    .regex(/^[a-z]{2,3}$/, 'a two- or three-letter code such as "ar"')
    .optional(),
  filename: z.string().max(300).optional(),
  /** CSV: column(s) whose answers are the free-text feedback, comma-separated. */
  textColumn: z.string().max(2000).optional(),
  /** CSV: multi-select column(s), comma-separated. */
  multiSelect: z.string().max(2000).optional(),
});
export type UploadOptions = z.infer<typeof UploadOptions>;

export interface UploadResult {
  id: string;
  format: Format;
  items: number;
  duplicates: number;
  skipped: number;
  skippedBy: SkipCounts;
  participants: number;
  polls: number;
  redactions: { phone: number; email: number; name: number };
  warnings: Warning[];
  duplicate: boolean;
}

const DEFAULT_CHANNEL: Record<Format, string> = {
  whatsapp: 'WhatsApp group',
  telegram: 'Telegram group',
  facebook: 'Facebook group',
  csv: 'Survey',
  notes: 'Interviews',
  wikitext: 'Wiki talk page',
};

/** The liaisons' three report contexts, used when neither the upload nor the file names one. */
const DEFAULT_CONTEXT: Record<Format, string> = {
  whatsapp: 'Broad community input',
  telegram: 'Broad community input',
  facebook: 'Broad community input',
  csv: 'Survey',
  notes: '1:1 individual interviews',
  wikitext: 'Broad community input',
};

/** Chat messages carry a time and are the same message in every member's export, whoever's contact names. */
const CHAT_FORMATS = new Set<Format>(['whatsapp', 'telegram', 'facebook']);

export async function ingestUpload(
  ctx: AppContext,
  by: Principal | null,
  slug: string,
  bytes: Uint8Array<ArrayBuffer>,
  options: UploadOptions,
): Promise<UploadResult> {
  const consultation = await requireConsultation(ctx, by, slug, 'write');
  if (bytes.length === 0) throw new AppError('invalid_input', 'the file is empty');
  if (bytes.length > ctx.config.MAX_UPLOAD_BYTES) {
    throw new AppError('too_large', `the file is ${bytes.length} bytes; the limit is ${ctx.config.MAX_UPLOAD_BYTES}`);
  }

  // The write path starts up while the file's first pass reads it: a large upload does not wait for it. The
  // digest comes first (a few tens of ms for tens of MB); the same bytes twice cost that pass once more.
  const digest = sha256Hex(bytes);
  digest.catch(() => {});
  ctx.store.warmWrites();
  // A file that cannot be read fails here, before anything is written.
  const { format, stream, extraWarnings } = streamBytes(bytes, options, ctx.config.MAX_UNZIPPED_BYTES);
  const sha256 = await digest;
  const existing = await ctx.store.findUploadBySha(consultation.id, sha256);
  if (existing) return { ...fromRow(existing, await ctx.store.countPollsOfUpload(existing.id)), duplicate: true };
  const prepared = await prepare(ctx, consultation, stream, format, options);

  const id = crypto.randomUUID();
  const at = ctx.clock.now().toISOString();
  let result: Omit<UploadResult, 'id' | 'duplicate'> | null = null;
  const finish = (stored: { inserted: number; existing: number }): UploadTail => {
    const found = stream.finish();
    // Warnings may quote a line of the file: they are redacted like everything else that is stored.
    const erasedWarning: Warning[] =
      prepared.dropped.erased > 0
        ? [{ code: 'erased_participants', message: `${prepared.dropped.erased} message${prepared.dropped.erased === 1 ? '' : 's'} by participants erased from this consultation ${prepared.dropped.erased === 1 ? 'was' : 'were'} not stored` }]
        : [];
    const warnings = [...extraWarnings, ...found.warnings].map((w) => ({ ...w, message: prepared.redact(w.message) })).concat(erasedWarning);
    const skippedBy = found.skipped;
    const polls: NewPoll[] = found.polls.map((p) => ({
      id: crypto.randomUUID(),
      question: prepared.redact(p.question),
      multiple: p.multiple,
      source: p.source,
      participants: p.participants ?? null,
      options: p.options.map((o) => ({ label: prepared.redact(o.label), votes: o.votes })),
    }));
    // A file with nothing to keep is refused rather than recorded: a record would answer the same bytes sent
    // again with other options (textColumn…) as a duplicate of nothing. The throw rolls the upload back.
    if (stored.inserted === 0 && stored.existing === 0 && polls.length === 0) throw nothingToStore(format, skippedBy, prepared.dropped.erased);
    const participants = prepared.participants();
    result = {
      format,
      items: stored.inserted,
      duplicates: stored.existing,
      skipped: skippedBy.system + skippedBy.media + skippedBy.deleted + skippedBy.empty,
      skippedBy,
      participants: participants.length,
      polls: polls.length,
      redactions: prepared.redactions,
      warnings,
    };
    return {
      findings: {
        items: result.items,
        duplicates: result.duplicates,
        participants: participants.length,
        skipped: JSON.stringify(skippedBy),
        redactions: JSON.stringify(prepared.redactions),
        warnings: JSON.stringify(warnings),
      },
      participants,
      polls,
      audit: { at, actor: by?.tokenId ?? 'system', action: 'upload.create', consultationId: consultation.id, target: id, details: { format, items: stored.inserted } },
    };
  };

  try {
    await ctx.store.writeUpload({
      upload: {
        id,
        consultationId: consultation.id,
        sha256,
        format,
        channel: prepared.channel,
        context: options.context ?? null,
        language: options.language ?? null,
        filename: options.filename ? prepared.redact(options.filename) : null,
        bytes: bytes.length,
        // Set when the items are written (UploadFindings).
        items: 0,
        duplicates: 0,
        participants: 0,
        skipped: '{}',
        redactions: '{}',
        warnings: '[]',
        createdBy: by?.tokenId ?? null,
        createdAt: at,
      },
      items: prepared.chunks(),
      finish,
    });
  } catch (err) {
    // The same bytes uploaded at the same moment: the other request won; answer as a duplicate.
    const raced = await ctx.store.findUploadBySha(consultation.id, sha256);
    if (raced) return { ...fromRow(raced, await ctx.store.countPollsOfUpload(raced.id)), duplicate: true };
    throw err;
  }
  if (result === null) throw new Error('the upload was written without its findings');
  const done: Omit<UploadResult, 'id' | 'duplicate'> = result;

  if (done.items > 0) await ctx.tasks.enqueue({ kind: 'tag', consultationId: consultation.id });
  ctx.log.info('upload stored', { consultation: slug, upload: id, format, items: done.items, duplicates: done.duplicates });
  return { id, ...done, duplicate: false };
}

/** `nothingToStore('whatsapp', { system: 3, media: 1, deleted: 0, empty: 0 })` → 422 "nothing to store: … (3 system lines, 1 media placeholder)…". */
function nothingToStore(format: Format, skipped: SkipCounts, erased: number): AppError {
  const found = (
    [
      [skipped.system, 'system line'],
      [skipped.media, 'media placeholder'],
      [skipped.deleted, 'deleted message'],
      [skipped.empty, 'empty answer'],
      [erased, 'message', ' by erased participants'],
    ] as const
  )
    .filter(([n]) => n > 0)
    .map(([n, what, after = '']) => `${n} ${what}${n === 1 ? '' : 's'}${after}`);
  const hint = format === 'csv' ? '; name the columns of written answers with textColumn' : '';
  return new AppError(
    'unreadable_file',
    `nothing to store: the file holds no feedback and no poll${found.length > 0 ? ` (only ${found.join(', ')})` : ''}${hint}. Nothing was kept`,
  );
}

/** Messages handed over by the parser at a time: few, so they are consumed while still young (see CHUNK_ITEMS). */
const STREAM_CHUNK = 200;

/**
 * Bytes of the file decoded at a time. Under 128 KB of string (48k characters at two bytes each, whatever
 * the mix of scripts), a decoded segment is an ordinary young object that dies in the next scavenge; a
 * larger one goes to V8's large-object space, which only a full collection frees, and a 35 MB export read
 * twice leaves ~30 MB more resident at its peak.
 */
const SEGMENT_BYTES = 48 * 1024;

/** Enough bytes to hold the 64k characters format detection looks at, whatever the script. */
const DETECT_HEAD_BYTES = 4 * 64 * 1024;

/**
 * Like parseBytes, as a stream: a WhatsApp export (plain or zipped, the big files) is read a segment at a
 * time in two passes and never decoded whole; other formats are parsed whole and handed over in one chunk.
 */
export function streamBytes(
  bytes: Uint8Array,
  options: UploadOptions,
  maxUnzippedBytes: number,
): { format: Format; stream: ParseStream; extraWarnings: Warning[] } {
  // streamWhatsApp reads UTF-16 only with a BOM: without one, parseBytes decodes the chat whole.
  if (isZip(bytes)) {
    const chat = zippedChat(bytes, options, maxUnzippedBytes);
    if (utf16WithoutBom(chat.bytes) === null) return { format: 'whatsapp', stream: streamChat(chat.bytes, chat.filename), extraWarnings: [] };
  } else if (
    utf16WithoutBom(bytes) === null &&
    // Asked for WhatsApp, a file that opens like JSON is read whole, so that a Telegram or Facebook export is refused.
    (options.format === 'whatsapp' ? !opensLikeJson(decodeText(bytes.subarray(0, 1024)).text) : options.format === undefined && detectFromHead(bytes, options.filename) === 'whatsapp')
  ) {
    // streamWhatsApp decodes as decodeText does, and reports decodeText's warnings itself.
    return { format: 'whatsapp', stream: streamChat(bytes, options.filename), extraWarnings: [] };
  }
  const { format, parsed, extraWarnings } = parseBytes(bytes, options, maxUnzippedBytes);
  return { format, stream: streamOf(parsed), extraWarnings };
}

function streamChat(bytes: Uint8Array, filename: string | undefined): ParseStream {
  return streamWhatsApp(bytes, { filename, chunkMessages: STREAM_CHUNK, segmentBytes: SEGMENT_BYTES });
}

/**
 * The format, when the start of the file settles it the way detectFormat would on the whole text: UTF-8
 * without JSON (JSON is parsed whole to be recognised). Null means: decode the whole file and ask then.
 */
function detectFromHead(bytes: Uint8Array, filename: string | undefined): Format | null {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return null;
  let head: string;
  try {
    // stream: true leaves a character cut at the end of the slice undecoded instead of failing on it.
    head = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, DETECT_HEAD_BYTES), { stream: true });
  } catch {
    return null;
  }
  if (/^\uFEFF?\s*[[{]/.test(head)) return null;
  try {
    return detectFormat(bytes, head, filename);
  } catch {
    return null;
  }
}

/** The chat inside a zipped upload, undecoded; only WhatsApp exports come zipped. */
function zippedChat(bytes: Uint8Array, options: UploadOptions, maxUnzippedBytes: number) {
  if (options.format && options.format !== 'whatsapp') {
    throw new AppError('unsupported_format', `a zip was uploaded with format=${options.format}; only WhatsApp exports come zipped`);
  }
  return extractChatBytesFromZip(bytes, { maxUncompressedBytes: maxUnzippedBytes });
}

/** Unzips, decodes, detects and parses. Pure apart from the cost. */
export function parseBytes(
  bytes: Uint8Array,
  options: UploadOptions,
  maxUnzippedBytes: number,
): { format: Format; parsed: ParseResult; extraWarnings: Warning[] } {
  if (isZip(bytes)) {
    const chat = zippedChat(bytes, options, maxUnzippedBytes);
    const { text, warnings } = decodeText(chat.bytes);
    return { format: 'whatsapp', parsed: parseWhatsApp(text, { filename: chat.filename }), extraWarnings: warnings };
  }
  const { text, warnings } = decodeText(bytes);
  // A chat asked to be read as notes or CSV would keep its authors' names in clear: refuse it before parsing.
  if (options.format !== undefined) refuseOtherFormat(options.format, text);
  const format = options.format ?? detectFormat(bytes, text, options.filename);
  return { format, parsed: parseAs(format, text, options), extraWarnings: warnings };
}

function parseAs(format: Format, text: string, options: UploadOptions): ParseResult {
  switch (format) {
    case 'whatsapp':
      return parseWhatsApp(text, { filename: options.filename });
    case 'telegram':
      return parseTelegram(text);
    case 'facebook':
      return parseFacebook(text);
    case 'csv':
      return parseSurveyCsv(text, { textColumns: splitList(options.textColumn), multiSelect: splitList(options.multiSelect), hintNames: UPLOAD_HINT_NAMES });
    case 'notes':
      return parseNotes(text);
    case 'wikitext':
      return parseWikitext(text);
  }
}

/** The upload endpoint's names for the survey hints, for the parser's warnings; it takes no option lists. */
const UPLOAD_HINT_NAMES: HintNames = { textColumns: 'textColumn', multiSelect: 'multiSelect', options: null };

function splitList(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const list = v
    .split(/\s*[,\n]\s*/)
    .map((s) => s.trim())
    .filter(Boolean);
  return list.length > 0 ? list : undefined;
}

/** Items are prepared and written this many at a time: large enough to amortise, small enough to overlap. */
const CHUNK_ITEMS = 500;

interface Prepared {
  channel: string;
  /** The upload's items, redacted, with language and their content hash's head; a message repeated in the file is repeated here. */
  chunks(): Generator<NewItem[]>;
  /** Participants who said something (not only media or empty lines); complete once the chunks are consumed. */
  participants(): { pseudonym: string; label: string }[];
  /** Counts by kind, growing as chunks are prepared. */
  redactions: { phone: number; email: number; name: number };
  /** Messages by participants an admin erased from the consultation: not stored again; growing likewise. */
  dropped: { erased: number };
  redact: (s: string) => string;
}

/**
 * Pseudonymises the participants and builds the redactor (every name is known before the first message);
 * the items themselves are prepared chunk by chunk as the writer asks for them.
 */
async function prepare(
  ctx: AppContext,
  consultation: ConsultationRow,
  stream: ParseStream,
  format: Format,
  options: UploadOptions,
): Promise<Prepared> {
  const key = await derivePseudonymKey(ctx.pseudonymSecret, consultation.pseudonymSalt);
  const pseudonyms = await pseudonymsFor(
    key,
    stream.participants.map((p) => p.key),
  );
  const redactor = buildRedactor([
    ...stream.participants.map((p) => {
      const ps = pseudonyms.get(p.key);
      if (!ps) throw new Error(`no pseudonym was made for a participant of this file`);
      return { label: ps.label, names: p.names };
    }),
    // People the file names without their writing in it: a participant of the same name keeps their label.
    { label: NAME_MARKER, names: stream.mentioned ?? [] },
  ]);
  const themes = await ctx.store.themesOf(consultation.id);
  const themeList = themes.map((t) => ({ key: t.key, label: t.label }));
  const redactions = { phone: 0, email: 0, name: 0 };
  const channel = options.channel ?? DEFAULT_CHANNEL[format];
  const defaultContext = options.context ?? DEFAULT_CONTEXT[format];
  const chat = CHAT_FORMATS.has(format);
  const usedParticipants = new Map<string, string>();
  const hintCache = new Map<string, string | null>();
  const redactText = (s: string): string => {
    const r = redactor.redact(s);
    redactions.phone += r.counts.phone;
    redactions.email += r.counts.email;
    redactions.name += r.counts.name;
    return r.text;
  };

  // Each participant's stored id, cut once: one string per person instead of one per message.
  const stored = new Map([...pseudonyms].map(([k, ps]) => [k, { id: ps.id.slice(0, 32), label: ps.label }]));
  // An erasure lasts: what an erased person said does not come back with the next export of the same group.
  // Their name stays in the redactor, so others' mentions of them still become their label.
  const erased = await ctx.store.erasedPseudonyms(consultation.id, [...stored.values()].map((s) => s.id));
  const dropped = { erased: 0 };
  const prepareOne = (m: ParsedMessage): NewItem | null => {
    const who = m.participant !== null ? stored.get(m.participant) : undefined;
    if (who && erased.has(who.id)) {
      dropped.erased++;
      return null;
    }
    const text = redactText(m.text).trim();
    if (text === '') return null;
    const participant = who?.id ?? null;
    const context = m.context ? redactor.redact(m.context).text : defaultContext;
    const question = m.question ? redactor.redact(m.question).text : null;
    const head = `${m.at ? m.at.slice(0, 16) : ''}\u0000${chat ? '' : (participant ?? '')}\u0000${question ?? ''}\u0000${chat ? '' : context}\u0000`;
    if (who) usedParticipants.set(who.id, who.label);
    const humanThemes: string[] = [];
    for (const hint of m.themeHints ?? []) {
      let k = hintCache.get(hint);
      if (k === undefined) {
        k = matchThemeHint(hint, themeList);
        hintCache.set(hint, k);
      }
      if (k && !humanThemes.includes(k)) humanThemes.push(k);
    }
    return {
      participant,
      text,
      language: detectLanguage(text) ?? options.language ?? null,
      at: m.at,
      channel,
      context,
      question,
      // Labels differ when two members' exports name the same person differently; the hash is made without
      // them. A message repeated in the file gets the same hash; the store keeps the first and counts the rest.
      hashHead: head,
      status: humanThemes.length > 0 ? 'tagged' : 'pending',
      humanThemes,
    };
  };

  return {
    channel,
    *chunks() {
      let out: NewItem[] = [];
      for (const messages of stream.chunks()) {
        for (const m of messages) {
          const item = prepareOne(m);
          if (item === null) continue;
          out.push(item);
          if (out.length >= CHUNK_ITEMS) {
            yield out;
            out = [];
          }
        }
      }
      if (out.length > 0) yield out;
    },
    participants: () => [...usedParticipants].map(([pseudonym, l]) => ({ pseudonym, label: l })),
    redactions,
    dropped,
    redact: (s) => redactor.redact(s).text,
  };
}

function fromRow(row: {
  id: string;
  format: string;
  items: number;
  duplicates: number;
  participants: number;
  skipped: string;
  redactions: string;
  warnings: string;
}, polls: number): Omit<UploadResult, 'duplicate'> {
  return {
    id: row.id,
    ...storedFindings(row),
    items: row.items,
    duplicates: row.duplicates,
    participants: row.participants,
    polls,
    redactions: RedactionsJson.parse(JSON.parse(row.redactions)),
  };
}

/** An upload row's format, skip counts and warnings, read back from their stored JSON (the upload result and the uploads list show them). */
export function storedFindings(row: { format: string; skipped: string; warnings: string }): Pick<UploadResult, 'format' | 'skipped' | 'skippedBy' | 'warnings'> {
  const skippedBy = SkipCountsJson.parse(JSON.parse(row.skipped));
  return {
    format: z.enum(FORMATS as [Format, ...Format[]]).parse(row.format),
    skipped: skippedBy.system + skippedBy.media + skippedBy.deleted + skippedBy.empty,
    skippedBy,
    warnings: WarningsJson.parse(JSON.parse(row.warnings)),
  };
}

const SkipCountsJson = z.object({ system: z.number(), media: z.number(), deleted: z.number(), empty: z.number() });
const RedactionsJson = z.object({ phone: z.number(), email: z.number(), name: z.number() });
const WarningsJson = z.array(z.object({ code: z.string(), message: z.string(), line: z.number().optional() }));
