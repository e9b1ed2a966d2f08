/**
 * Command-line client: `npm run cli -- upload <file> --consultation <slug> [options]`.
 * Streams the file to POST /api/consultations/:slug/uploads with a progress bar on stderr, then prints
 * the upload result as a table. Exit codes: 0 done (also when the same bytes were uploaded before),
 * 1 the server or the network said no, 2 the command line is wrong.
 *
 * The pure parts (argument parsing, URL, progress line, result table) are exported for tests; `main`
 * runs only when this file is the entry point.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { FORMATS, type Format } from '../src/ingest/types';
import { renderTable } from './lib/table';

export const DEFAULT_SERVER = 'http://127.0.0.1:8787';

export const HELP = `Usage:
  npm run cli -- upload <file> --consultation <slug> [options]

Uploads an export (WhatsApp .txt/.zip, Telegram result.json, Facebook JSON, survey CSV,
interview notes, wiki talk page) to a consultation and prints what was stored.

Options:
  -c, --consultation <slug>  consultation to upload into (required)
  -s, --server <url>         server address (env FEEDBACK_SERVER, default ${DEFAULT_SERVER})
  -t, --token <token>        bearer token of a liaison or admin (env FEEDBACK_TOKEN)
      --channel <label>      where the feedback came from, e.g. "WhatsApp group (Arabic)"
      --context <label>      report context, e.g. "1:1 individual interviews"
      --format <format>      skip auto-detection: ${FORMATS.join(', ')}
      --language <code>      main language of the file, e.g. ar, fr
      --text-column <names>  CSV: column(s) holding the free-text feedback, comma-separated
      --multi-select <names> CSV: multi-select column(s), comma-separated
      --json                 print the server's JSON answer instead of the table
  -h, --help                 show this help

Exit codes: 0 stored (or already uploaded), 1 refused by the server or unreachable, 2 usage error.

Example:
  FEEDBACK_TOKEN=… npm run cli -- upload chat.txt -c demo --channel "WhatsApp group" --language ar`;

export interface UploadCommand {
  file: string;
  server: string;
  token: string;
  consultation: string;
  channel?: string;
  context?: string;
  format?: Format;
  language?: string;
  textColumn?: string;
  multiSelect?: string;
  json: boolean;
}

export type Command = { kind: 'help' } | { kind: 'upload'; upload: UploadCommand } | { kind: 'usage'; message: string };

const OPTIONS = {
  consultation: { type: 'string', short: 'c' },
  server: { type: 'string', short: 's' },
  token: { type: 'string', short: 't' },
  channel: { type: 'string' },
  context: { type: 'string' },
  format: { type: 'string' },
  language: { type: 'string' },
  'text-column': { type: 'string' },
  'multi-select': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * Reads the command line (without `node script`) and the environment into a command; never throws.
 * `parseCommand(["upload", "a.txt", "-c", "demo"], { FEEDBACK_TOKEN: "t" })` → `{ kind: "upload", … }`.
 */
export function parseCommand(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Command {
  const args = readArgs(argv);
  if ('error' in args) return usage(args.error);
  const { values, positionals } = args;
  if (values.help || positionals.length === 0 || positionals[0] === 'help') return { kind: 'help' };

  const [command, ...rest] = positionals;
  if (command !== 'upload') return usage(`unknown command "${command}"; the command is "upload"`);
  if (rest.length === 0) return usage('upload: which file? e.g. `upload chat.txt --consultation demo`');
  if (rest.length > 1) return usage(`upload: one file at a time (got ${rest.length}: ${rest.join(', ')})`);
  const file = rest[0] ?? '';

  const consultation = values.consultation?.trim();
  if (!consultation) return usage('upload: --consultation <slug> is required (the slug in /c/<slug>)');
  if (!SLUG.test(consultation)) {
    return usage(`upload: "${consultation}" is not a consultation slug (lower-case letters, digits and "-")`);
  }

  const token = (values.token ?? env.FEEDBACK_TOKEN ?? '').trim();
  if (!token) return usage('upload: no token; pass --token <token> or set FEEDBACK_TOKEN');

  const serverRaw = (values.server ?? env.FEEDBACK_SERVER ?? DEFAULT_SERVER).trim();
  const server = normaliseServer(serverRaw);
  if (server === null) return usage(`upload: --server "${serverRaw}" is not an http(s) address such as ${DEFAULT_SERVER}`);

  const upload: UploadCommand = { file, server, token, consultation, json: values.json ?? false };
  if (values.format !== undefined) {
    const wanted = values.format.trim().toLowerCase();
    const format = FORMATS.find((f) => f === wanted);
    if (!format) return usage(`upload: --format "${values.format}" is not one of ${FORMATS.join(', ')}`);
    upload.format = format;
  }
  if (values.language !== undefined) {
    const language = values.language.trim().toLowerCase();
    if (!/^[a-z]{2,3}$/.test(language)) {
      return usage(`upload: --language "${values.language}" should be a two- or three-letter code such as "ar"`);
    }
    upload.language = language;
  }
  const channel = values.channel?.trim();
  if (channel) upload.channel = channel;
  const context = values.context?.trim();
  if (context) upload.context = context;
  const textColumn = values['text-column']?.trim();
  if (textColumn) upload.textColumn = textColumn;
  const multiSelect = values['multi-select']?.trim();
  if (multiSelect) upload.multiSelect = multiSelect;
  return { kind: 'upload', upload };
}

function readArgs(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    // parseArgs explains unknown options and missing values well; keep its words.
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

function usage(message: string): Command {
  return { kind: 'usage', message };
}

/** An http(s) origin plus optional base path, without a trailing slash; null when it is not one. */
function normaliseServer(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not a URL at all: the caller turns null into a usage message.
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.search || url.hash) return null;
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * The upload endpoint with the options as query parameters:
 * `uploadUrl({ server: "http://h", consultation: "demo", file: "x/a.txt", … })` →
 * `"http://h/api/consultations/demo/uploads?filename=a.txt"`.
 */
export function uploadUrl(cmd: UploadCommand): string {
  const q = new URLSearchParams();
  const pairs: [string, string | undefined][] = [
    ['channel', cmd.channel],
    ['context', cmd.context],
    ['format', cmd.format],
    ['language', cmd.language],
    ['textColumn', cmd.textColumn],
    ['multiSelect', cmd.multiSelect],
    ['filename', basename(cmd.file)],
  ];
  for (const [k, v] of pairs) if (v !== undefined && v !== '') q.set(k, v);
  return `${cmd.server}/api/consultations/${encodeURIComponent(cmd.consultation)}/uploads?${q}`;
}

// ---------------------------------------------------------------------------------------------
// Progress

/** Bytes for people: `formatBytes(1536)` → `"1.5 KB"`, `formatBytes(12)` → `"12 B"`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

export interface ProgressState {
  sent: number;
  total: number;
  elapsedMs: number;
}

/** Whole percent sent, 100 for an empty file: `percentOf({sent: 1, total: 3, elapsedMs: 0})` → 33. */
export function percentOf(p: ProgressState): number {
  if (p.total <= 0) return 100;
  return Math.min(100, Math.floor((100 * p.sent) / p.total));
}

/** Bytes per second so far, or null before any time has passed. */
function rateOf(p: ProgressState): number | null {
  return p.elapsedMs > 0 ? (p.sent * 1000) / p.elapsedMs : null;
}

/**
 * One progress line for a terminal:
 * `progressBar({sent: 512, total: 1024, elapsedMs: 1000}, 10)` → `"[█████░░░░░]  50%  512 B / 1.0 KB  512 B/s"`.
 */
export function progressBar(p: ProgressState, width = 24): string {
  const pct = percentOf(p);
  const filled = Math.floor((pct * width) / 100);
  const bar = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
  return `${bar} ${String(pct).padStart(3)}%  ${sizes(p)}${rate(p)}`;
}

/** The same facts as a plain log line (stderr is a file or a pipe): `"sent 512 B / 1.0 KB (50%), 512 B/s"`. */
export function progressLine(p: ProgressState): string {
  return `sent ${sizes(p)} (${percentOf(p)}%)${rate(p).replace(/^ {2}/, ', ')}`;
}

function sizes(p: ProgressState): string {
  return `${formatBytes(p.sent)} / ${formatBytes(p.total)}`;
}

function rate(p: ProgressState): string {
  const r = rateOf(p);
  return r === null ? '' : `  ${formatBytes(Math.round(r))}/s`;
}

export interface ErrSink {
  write(s: string): void;
  isTTY: boolean;
}

/** Redraws at most every 100 ms on a terminal; a log gets a line at most every 2 s. */
const TTY_INTERVAL_MS = 100;
const LOG_INTERVAL_MS = 2000;

/**
 * Draws upload progress on `sink`, throttled by the injected clock. `finish()` always draws the final
 * state, so a fast upload still shows its 100 % line.
 */
export function createProgress(total: number, sink: ErrSink, now: () => number) {
  const start = now();
  let last = Number.NEGATIVE_INFINITY;
  let sent = 0;
  let sentAt = start;
  let drawn = false;
  let drawnSent = -1;
  const draw = (final: boolean) => {
    // The final rate counts until the last byte left, not until the server finished reading the file.
    const state = { sent, total, elapsedMs: (final ? sentAt : now()) - start };
    if (sink.isTTY) sink.write(`\r${progressBar(state)}\x1b[K${final ? '\n' : ''}`);
    else sink.write(`${progressLine(state)}\n`);
    drawn = true;
    drawnSent = sent;
  };
  return {
    update(bytes: number) {
      sent = bytes;
      const t = now();
      sentAt = t;
      if (t - last < (sink.isTTY ? TTY_INTERVAL_MS : LOG_INTERVAL_MS)) return;
      last = t;
      draw(false);
    },
    finish() {
      // A log already holding the last count needs no second line (a small file is sent in one chunk).
      if (!sink.isTTY && drawnSent === sent) return;
      draw(true);
    },
    /** Ends a half-drawn terminal line so an error message starts on its own line. */
    abandon() {
      if (drawn && sink.isTTY) sink.write('\n');
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Server answers

const Counts = { system: z.number(), media: z.number(), deleted: z.number(), empty: z.number() };

export const UploadResponse = z.object({
  upload: z.object({
    id: z.string(),
    format: z.string(),
    items: z.number(),
    duplicates: z.number(),
    skipped: z.number(),
    skippedBy: z.object(Counts).optional(),
    participants: z.number(),
    polls: z.number().optional(),
    redactions: z.record(z.string(), z.number()),
    warnings: z.array(z.object({ code: z.string(), message: z.string(), line: z.number().optional() })),
  }),
  duplicate: z.boolean().optional(),
});
export type UploadResponse = z.infer<typeof UploadResponse>;

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

function joinCounts(counts: Record<string, number> | undefined): string {
  if (!counts) return '';
  return Object.entries(counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

/**
 * The upload result as a table with the warnings listed under it.
 * `resultTable(res, "chat.txt", "demo")` → `"chat.txt → demo: stored as upload …\n\n  what  count …"`.
 */
export function resultTable(res: UploadResponse, file: string, consultation: string): string {
  const u = res.upload;
  const redacted = Object.values(u.redactions).reduce((a, b) => a + b, 0);
  const head = res.duplicate
    ? `${basename(file)} → ${consultation}: these bytes were uploaded before (upload ${u.id}); nothing new stored.`
    : `${basename(file)} → ${consultation}: stored as upload ${u.id} (format: ${u.format}).`;
  const rows: string[][] = [
    // The server answers a repeat with the earlier upload's counts: say whose they are.
    ['items', String(u.items), res.duplicate ? 'stored by the earlier upload; nothing new stored' : 'feedback items stored'],
    ['duplicates', String(u.duplicates), 'already in this consultation or repeated in the file'],
    ['skipped', String(u.skipped), joinCounts(u.skippedBy)],
    ['participants', String(u.participants), 'pseudonymised'],
    ['polls', String(u.polls ?? 0), ''],
    ['redactions', String(redacted), joinCounts(u.redactions)],
    ['warnings', String(u.warnings.length), u.warnings.length > 0 ? 'listed below' : ''],
  ];
  const table = renderTable([{ header: 'what' }, { header: 'count', align: 'right' }, { header: 'detail' }], rows, '  ');
  const warnings = u.warnings.map((w) => `  - [${w.code}]${w.line !== undefined ? ` line ${w.line}:` : ''} ${inCliWords(w.message)}`);
  return [head, '', table, ...(warnings.length > 0 ? ['', 'Warnings:', ...warnings] : [])].join('\n');
}

/** The query options the server's messages name, and the flag that sets each here. */
const FLAG_OF_QUERY: ReadonlyMap<string, string> = new Map([
  ['format', '--format'],
  ['channel', '--channel'],
  ['context', '--context'],
  ['language', '--language'],
  ['textColumn', '--text-column'],
  ['multiSelect', '--multi-select'],
]);

/**
 * The server speaks to API callers ("pass ?format= to choose", "pass textColumn to override"); a CLI user sets the
 * same thing with a flag. The survey hints are named bare in its messages.
 */
function inCliWords(message: string): string {
  return message
    .replace(/\?([A-Za-z]+)=([\w-]*)/g, (query, name: string, value: string) => {
      const flag = FLAG_OF_QUERY.get(name);
      if (flag === undefined) return query;
      return value ? `${flag} ${value}` : flag;
    })
    .replace(/\b(textColumn|multiSelect)\b/g, (name: string) => FLAG_OF_QUERY.get(name) ?? name);
}

/**
 * What to tell the user about a refused upload, from the status and the body text:
 * `errorMessage(422, '{"error":{"code":"unreadable","message":"line 3: …"}}')` → `"422 unreadable: line 3: …"`.
 */
export function errorMessage(status: number, body: string): string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    // Not our JSON (a proxy's HTML page, an empty body): show its start instead.
    json = undefined;
  }
  const parsed = ErrorBody.safeParse(json);
  if (parsed.success) return `${status} ${parsed.data.error.code}: ${inCliWords(parsed.data.error.message)}`;
  const text = body.replace(/\s+/g, ' ').trim();
  const hint = status === 404 ? ' (is the server address right, and is it this app?)' : '';
  return `${status}${hint}${text ? `: ${text.slice(0, 300)}` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// I/O

export type UploadOutcome =
  | { ok: true; status: number; response: UploadResponse; raw: string }
  /** `file`: the local file cannot be read (a usage error); `server`: the network or the server said no. */
  | { ok: false; kind: 'file' | 'server'; message: string };

export interface UploadIo {
  stderr: ErrSink;
  now: () => number;
  fetch: typeof fetch;
}

/** Streams the file to the server while drawing progress; resolves with the answer, never throws. */
export async function uploadFile(cmd: UploadCommand, io: UploadIo): Promise<UploadOutcome> {
  let size: number;
  try {
    const s = await stat(cmd.file);
    if (!s.isFile()) return { ok: false, kind: 'file', message: `${cmd.file} is not a file` };
    size = s.size;
  } catch (err) {
    return { ok: false, kind: 'file', message: `cannot read ${cmd.file}: ${describe(err)}` };
  }

  const progress = createProgress(size, io.stderr, io.now);
  const stream = createReadStream(cmd.file, { highWaterMark: 64 * 1024 });
  const chunks = stream[Symbol.asyncIterator]();
  let sent = 0;
  // Pull-based: a chunk is read from disk only when fetch asks for the next one, so the count follows
  // what the connection has taken rather than what the disk could deliver.
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next: IteratorResult<unknown> = await chunks.next();
      if (next.done) {
        controller.close();
        return;
      }
      const chunk = next.value;
      if (!(chunk instanceof Uint8Array)) throw new Error('the file stream yielded a non-byte chunk');
      sent += chunk.byteLength;
      progress.update(sent);
      controller.enqueue(chunk);
    },
    cancel() {
      stream.destroy();
    },
  });

  const url = uploadUrl(cmd);
  let res: Response;
  try {
    const init: RequestInit & { duplex: 'half' } = {
      method: 'POST',
      headers: {
        authorization: `Bearer ${cmd.token}`,
        'content-type': 'application/octet-stream',
        accept: 'application/json',
      },
      body,
      // Required by fetch for a streamed request body: the response is read only after the body is sent.
      duplex: 'half',
    };
    res = await io.fetch(url, init);
  } catch (err) {
    progress.abandon();
    stream.destroy();
    return { ok: false, kind: 'server', message: `cannot reach ${cmd.server}: ${describe(err)}` };
  }
  progress.finish();

  const text = await res.text();
  if (!res.ok) return { ok: false, kind: 'server', message: errorMessage(res.status, text) };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // A 2xx that is not JSON is not this API; say so rather than print a half-table.
    return { ok: false, kind: 'server', message: `${res.status}: the server answered without JSON; is ${cmd.server} this app?` };
  }
  const parsed = UploadResponse.safeParse(json);
  if (!parsed.success) {
    return { ok: false, kind: 'server', message: `${res.status}: unexpected answer from the server: ${parsed.error.issues[0]?.message ?? ''}` };
  }
  return { ok: true, status: res.status, response: parsed.data, raw: text };
}

/** An error's message with its cause (fetch hides ECONNREFUSED in `cause`). */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? err.cause.message : undefined;
  return cause && cause !== err.message ? `${err.message} (${cause})` : err.message;
}

export interface MainIo extends UploadIo {
  stdout: { write(s: string): void };
}

/** Runs one command; returns the exit code. */
export async function main(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: MainIo): Promise<number> {
  const cmd = parseCommand(argv, env);
  if (cmd.kind === 'help') {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (cmd.kind === 'usage') {
    io.stderr.write(`error: ${cmd.message}\n\nRun \`npm run cli -- --help\` for the options.\n`);
    return 2;
  }
  const outcome = await uploadFile(cmd.upload, io);
  if (!outcome.ok) {
    if (outcome.kind === 'file') {
      io.stderr.write(`error: ${outcome.message}\n`);
      return 2;
    }
    io.stderr.write(`error: upload failed: ${outcome.message}\n`);
    return 1;
  }
  io.stdout.write(cmd.upload.json ? `${outcome.raw.trim()}\n` : `${resultTable(outcome.response, cmd.upload.file, cmd.upload.consultation)}\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2), process.env, {
    stdout: process.stdout,
    stderr: { write: (s) => process.stderr.write(s), isTTY: process.stderr.isTTY === true },
    now: () => performance.now(),
    fetch: globalThis.fetch,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    },
  );
}
