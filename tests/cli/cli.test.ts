import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingHttpHeaders, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Command,
  type ErrSink,
  type UploadCommand,
  type UploadResponse,
  createProgress,
  errorMessage,
  formatBytes,
  main,
  parseCommand,
  progressBar,
  progressLine,
  resultTable,
  uploadUrl,
} from '../../scripts/cli';
import { displayWidth, renderTable } from '../../scripts/lib/table';

const base: UploadCommand = {
  file: 'chat.txt',
  server: 'http://127.0.0.1:8787',
  token: 'tok',
  consultation: 'demo',
  json: false,
};

describe('parseCommand', () => {
  test.each<[string, string[], Record<string, string>]>([
    ['no arguments', [], {}],
    ['--help', ['--help'], {}],
    ['-h after the command', ['upload', 'a.txt', '-h'], {}],
    ['the word help', ['help'], {}],
  ])('help: %s', (_name, argv, env) => {
    expect(parseCommand(argv, env)).toEqual({ kind: 'help' });
  });

  test.each<[string, string[], Record<string, string>, RegExp]>([
    ['unknown command', ['send', 'a.txt'], {}, /unknown command "send"/],
    ['upload without a file', ['upload', '-c', 'demo'], { FEEDBACK_TOKEN: 't' }, /which file/],
    ['two files', ['upload', 'a.txt', 'b.txt', '-c', 'demo'], { FEEDBACK_TOKEN: 't' }, /one file at a time/],
    ['no consultation', ['upload', 'a.txt'], { FEEDBACK_TOKEN: 't' }, /--consultation <slug> is required/],
    ['consultation not a slug', ['upload', 'a.txt', '-c', 'My Demo'], { FEEDBACK_TOKEN: 't' }, /not a consultation slug/],
    ['no token anywhere', ['upload', 'a.txt', '-c', 'demo'], {}, /FEEDBACK_TOKEN/],
    ['blank token in env', ['upload', 'a.txt', '-c', 'demo'], { FEEDBACK_TOKEN: '  ' }, /no token/],
    ['server not http', ['upload', 'a.txt', '-c', 'demo', '-s', 'ftp://x'], { FEEDBACK_TOKEN: 't' }, /not an http\(s\) address/],
    ['server not a URL', ['upload', 'a.txt', '-c', 'demo'], { FEEDBACK_TOKEN: 't', FEEDBACK_SERVER: 'localhost 8787' }, /not an http/],
    ['unknown format', ['upload', 'a.txt', '-c', 'demo', '--format', 'docx'], { FEEDBACK_TOKEN: 't' }, /"docx" is not one of whatsapp/],
    ['bad language code', ['upload', 'a.txt', '-c', 'demo', '--language', 'arabic'], { FEEDBACK_TOKEN: 't' }, /two- or three-letter/],
    ['unknown option', ['upload', 'a.txt', '-c', 'demo', '--colour'], { FEEDBACK_TOKEN: 't' }, /Unknown option '--colour'/],
    ['option without its value', ['upload', 'a.txt', '-c'], { FEEDBACK_TOKEN: 't' }, /-c/],
  ])('usage error: %s', (_name, argv, env, message) => {
    const cmd = parseCommand(argv, env);
    expect(cmd.kind).toBe('usage');
    expect(cmd.kind === 'usage' ? cmd.message : '').toMatch(message);
  });

  test.each<[string, string[], Record<string, string>, Partial<UploadCommand>]>([
    ['token from env, default server', ['upload', 'chat.txt', '-c', 'demo'], { FEEDBACK_TOKEN: 'tok' }, {}],
    ['server from env, trailing slash dropped', ['upload', 'chat.txt', '-c', 'demo'], { FEEDBACK_TOKEN: 'tok', FEEDBACK_SERVER: 'https://fb.example.org/' }, { server: 'https://fb.example.org' }],
    ['server with a base path', ['upload', 'chat.txt', '-c', 'demo', '-s', 'https://example.org/feedback/'], { FEEDBACK_TOKEN: 'tok' }, { server: 'https://example.org/feedback' }],
    ['flags win over env', ['upload', 'chat.txt', '--consultation', 'demo', '--token', 'flag', '--server', 'http://h:1'], { FEEDBACK_TOKEN: 'env', FEEDBACK_SERVER: 'http://env:2' }, { token: 'flag', server: 'http://h:1' }],
    [
      'labels trimmed, format and language lower-cased',
      ['upload', 'chat.txt', '-c', 'demo', '--channel', ' WhatsApp group (Arabic) ', '--context', '1:1 individual interviews', '--format', 'WhatsApp', '--language', 'AR'],
      { FEEDBACK_TOKEN: 'tok' },
      { channel: 'WhatsApp group (Arabic)', context: '1:1 individual interviews', format: 'whatsapp', language: 'ar' },
    ],
    ['empty labels are left out', ['upload', 'chat.txt', '-c', 'demo', '--channel', '  '], { FEEDBACK_TOKEN: 'tok' }, {}],
    ['CSV hints and --json', ['upload', 'chat.txt', '-c', 'demo', '--text-column', 'Q1, Q2', '--multi-select', 'Themes', '--json'], { FEEDBACK_TOKEN: 'tok' }, { textColumn: 'Q1, Q2', multiSelect: 'Themes', json: true }],
  ])('upload: %s', (_name, argv, env, expected) => {
    expect(parseCommand(argv, env)).toEqual<Command>({ kind: 'upload', upload: { ...base, ...expected } });
  });
});

describe('uploadUrl', () => {
  test.each<[string, Partial<UploadCommand>, string]>([
    ['only the file name, never its folder', { file: '/home/me/exports/chat.txt' }, 'http://127.0.0.1:8787/api/consultations/demo/uploads?filename=chat.txt'],
    [
      'labels encoded, in a stable order',
      { file: 'a b.txt', channel: 'WhatsApp group (Arabic)', context: 'Q&A', format: 'whatsapp', language: 'ar' },
      'http://127.0.0.1:8787/api/consultations/demo/uploads?channel=WhatsApp+group+%28Arabic%29&context=Q%26A&format=whatsapp&language=ar&filename=a+b.txt',
    ],
    ['CSV hints', { file: 's.csv', textColumn: 'Why?', multiSelect: 'Themes' }, 'http://127.0.0.1:8787/api/consultations/demo/uploads?textColumn=Why%3F&multiSelect=Themes&filename=s.csv'],
    ['non-ASCII file name', { file: 'دردشة.txt' }, 'http://127.0.0.1:8787/api/consultations/demo/uploads?filename=%D8%AF%D8%B1%D8%AF%D8%B4%D8%A9.txt'],
    ['server base path kept', { server: 'https://example.org/fb' }, 'https://example.org/fb/api/consultations/demo/uploads?filename=chat.txt'],
  ])('%s', (_name, cmd, url) => {
    expect(uploadUrl({ ...base, ...cmd })).toBe(url);
  });
});

describe('progress', () => {
  test.each<[number, string]>([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KB'],
    [1536, '1.5 KB'],
    [150 * 1024, '150 KB'],
    [5 * 1024 * 1024 + 512 * 1024, '5.5 MB'],
    [3 * 1024 ** 3, '3.0 GB'],
  ])('formatBytes(%d) = %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });

  test.each<[string, { sent: number; total: number; elapsedMs: number }, string, string]>([
    ['start, no time yet', { sent: 0, total: 2048, elapsedMs: 0 }, '[░░░░░░░░░░]   0%  0 B / 2.0 KB', 'sent 0 B / 2.0 KB (0%)'],
    ['half way, one second', { sent: 512, total: 1024, elapsedMs: 1000 }, '[█████░░░░░]  50%  512 B / 1.0 KB  512 B/s', 'sent 512 B / 1.0 KB (50%), 512 B/s'],
    ['percent rounds down until done', { sent: 999, total: 1000, elapsedMs: 500 }, '[█████████░]  99%  999 B / 1000 B  2.0 KB/s', 'sent 999 B / 1000 B (99%), 2.0 KB/s'],
    ['empty file is done', { sent: 0, total: 0, elapsedMs: 3 }, '[██████████] 100%  0 B / 0 B  0 B/s', 'sent 0 B / 0 B (100%), 0 B/s'],
    ['megabytes', { sent: 3 * 1024 * 1024, total: 4 * 1024 * 1024, elapsedMs: 2000 }, '[███████░░░]  75%  3.0 MB / 4.0 MB  1.5 MB/s', 'sent 3.0 MB / 4.0 MB (75%), 1.5 MB/s'],
  ])('%s', (_name, state, bar, line) => {
    expect(progressBar(state, 10)).toBe(bar);
    expect(progressLine(state)).toBe(line);
  });

  /** Feeds `updates` byte counts `stepMs` apart to a progress drawer on a fake clock. */
  function drive(isTTY: boolean, updates: number, stepMs: number): string[] {
    const writes: string[] = [];
    const sink: ErrSink = { isTTY, write: (s) => writes.push(s) };
    let t = 0;
    const p = createProgress(updates * 100, sink, () => t);
    for (let i = 1; i <= updates; i++) {
      t += stepMs;
      p.update(i * 100);
    }
    p.finish();
    return writes;
  }

  test.each<[string, boolean, number, number, number]>([
    ['terminal: 1000 updates in 1 s redraw about 10 times', true, 1000, 1, 11],
    ['terminal: slow updates each redraw', true, 5, 500, 6],
    ['log: 1000 updates in 1 s give one line and the final one', false, 1000, 1, 2],
    ['log: 10 s of updates give a line per 2 s', false, 100, 100, 6],
    ['log: a file sent in one chunk gives one line', false, 1, 1, 1],
    ['terminal: a file sent in one chunk still ends its line', true, 1, 1, 2],
  ])('%s', (_name, isTTY, updates, stepMs, expectedWrites) => {
    const writes = drive(isTTY, updates, stepMs);
    expect(writes.length).toBe(expectedWrites);
    const last = writes.at(-1) ?? '';
    expect(last).toContain('100%');
    expect(last.endsWith('\n')).toBe(true);
    if (isTTY) expect(writes.every((w) => w.startsWith('\r'))).toBe(true);
    else expect(writes.every((w) => !w.includes('\r') && !w.includes('\x1b'))).toBe(true);
  });
});

const sample: UploadResponse = {
  upload: {
    id: 'u-123',
    format: 'whatsapp',
    items: 50,
    duplicates: 2,
    skipped: 10,
    skippedBy: { system: 2, media: 7, deleted: 1, empty: 0 },
    participants: 8,
    polls: 1,
    redactions: { phone: 1, email: 1, name: 3 },
    warnings: [
      { code: 'day_first_assumed', message: 'no date settles day/month order; read day-first', line: 1 },
      { code: 'text_before_first_message', message: 'ignored 2 lines' },
    ],
  },
  duplicate: false,
};

describe('resultTable', () => {
  test('a stored upload: counts, breakdowns, then the warnings', () => {
    expect(resultTable(sample, '/tmp/x/chat.txt', 'demo')).toBe(
      [
        'chat.txt → demo: stored as upload u-123 (format: whatsapp).',
        '',
        '  what          count  detail',
        '  ────────────  ─────  ────────────────────────────────────────────────────',
        '  items            50  feedback items stored',
        '  duplicates        2  already in this consultation or repeated in the file',
        '  skipped          10  system 2, media 7, deleted 1, empty 0',
        '  participants      8  pseudonymised',
        '  polls             1',
        '  redactions        5  phone 1, email 1, name 3',
        '  warnings          2  listed below',
        '',
        'Warnings:',
        '  - [day_first_assumed] line 1: no date settles day/month order; read day-first',
        '  - [text_before_first_message] ignored 2 lines',
      ].join('\n'),
    );
  });

  test.each<[string, UploadResponse, RegExp[], RegExp[]]>([
    [
      'duplicate says nothing new was stored, and whose the counted items are',
      { ...sample, duplicate: true },
      [/uploaded before \(upload u-123\); nothing new stored/, /^ {2}items\s+50 {2}stored by the earlier upload; nothing new stored$/m],
      [/stored as upload/, /feedback items stored/],
    ],
    ['a new upload counts its items as stored now', sample, [/^ {2}items\s+50 {2}feedback items stored$/m], [/earlier upload/]],
    [
      'no warnings: no warnings section',
      { upload: { ...sample.upload, warnings: [] } },
      [/warnings\s+0$/m],
      [/Warnings:/, /listed below/],
    ],
    [
      'warnings name the flags, not the API options',
      { upload: { ...sample.upload, warnings: [{ code: 'columns_guessed', message: 'treated "Why?" as free text (written answers); pass textColumn to override' }] } },
      [/^ {2}- \[columns_guessed\] treated "Why\?" as free text \(written answers\); pass --text-column to override$/m],
      [/pass textColumn/],
    ],
    [
      'older servers without skippedBy or polls',
      { upload: { ...sample.upload, skippedBy: undefined, polls: undefined } },
      [/skipped\s+10$/m, /polls\s+0$/m],
      [/system/],
    ],
  ])('%s', (_name, res, present, absent) => {
    const text = resultTable(res, 'chat.txt', 'demo');
    for (const p of present) expect(text).toMatch(p);
    for (const a of absent) expect(text).not.toMatch(a);
  });
});

describe('errorMessage', () => {
  test.each<[string, number, string, string]>([
    ['the API error shape', 422, '{"error":{"code":"unreadable","message":"line 14: cannot read the date \'31/31/2019\'"}}', "422 unreadable: line 14: cannot read the date '31/31/2019'"],
    ['forbidden', 403, '{"error":{"code":"forbidden","message":"this token may not write to demo"}}', '403 forbidden: this token may not write to demo'],
    ['an HTML page from a proxy', 502, '<html>\n<body>Bad gateway</body></html>', '502: <html> <body>Bad gateway</body></html>'],
    ['empty 404 hints at the address', 404, '', '404 (is the server address right, and is it this app?)'],
    ['JSON of another shape', 500, '{"message":"boom"}', '500: {"message":"boom"}'],
    [
      'a query option the server names is the flag that sets it',
      415,
      '{"error":{"code":"unsupported_format","message":"not a format we know. Supported: whatsapp, csv; pass ?format= to choose"}}',
      '415 unsupported_format: not a format we know. Supported: whatsapp, csv; pass --format to choose',
    ],
    [
      'an option with a value, and camel-case names',
      400,
      '{"error":{"code":"invalid_input","message":"try ?format=csv with ?textColumn= and ?multiSelect="}}',
      '400 invalid_input: try --format csv with --text-column and --multi-select',
    ],
    [
      'a survey hint named bare is the flag that sets it',
      400,
      '{"error":{"code":"invalid_input","message":"textColumn \\"Why\\" names no column of this file"}}',
      '400 invalid_input: --text-column "Why" names no column of this file',
    ],
    ['a query name the CLI has no flag for is left alone', 400, '{"error":{"code":"invalid_input","message":"see ?lang= and ?filename= and ?constructor="}}', '400 invalid_input: see ?lang= and ?filename= and ?constructor='],
  ])('%s', (_name, status, body, text) => {
    expect(errorMessage(status, body)).toBe(text);
  });
});

describe('table helpers', () => {
  test.each<[string, number]>([
    ['abc', 3],
    ['日本語', 6],
    ['مرحبا', 5],
    ['\u200fمرحبا\u200f', 5],
    ['e\u0301', 1],
  ])('displayWidth(%j) = %d', (s, w) => {
    expect(displayWidth(s)).toBe(w);
  });

  test('columns align on display width and trailing spaces are trimmed', () => {
    expect(renderTable([{ header: 'k' }, { header: 'n', align: 'right' }], [['日本', '7'], ['abcdef', '12']])).toBe(
      ['k        n', '──────  ──', '日本     7', 'abcdef  12'].join('\n'),
    );
  });
});

/** The port a listening server was given. */
function portOf(server: ReturnType<typeof createServer>): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the test server is not listening on TCP');
  return address.port;
}

describe('upload against a local server', () => {
  interface Seen {
    method: string;
    url: string;
    headers: IncomingHttpHeaders;
    bytes: number;
    sha256: string;
  }
  const seen: Seen[] = [];
  let answer: { status: number; body: string } = { status: 201, body: '' };
  let server: ReturnType<typeof createServer>;
  let origin = '';
  let dir = '';
  let file = '';
  let fileSha = '';
  const size = 300 * 1024 + 17;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cli-test-'));
    file = join(dir, 'chat export.txt');
    const content = Buffer.alloc(size);
    for (let i = 0; i < size; i++) content[i] = 32 + (i % 90);
    writeFileSync(file, content);
    fileSha = createHash('sha256').update(content).digest('hex');
    server = createServer((req, res) => {
      const hash = createHash('sha256');
      let bytes = 0;
      req.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        hash.update(chunk);
      });
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, bytes, sha256: hash.digest('hex') });
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body);
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    origin = `http://127.0.0.1:${portOf(server)}`;
  });

  afterAll(async () => {
    await new Promise<void>((ok) => server.close(() => ok()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(argv: string[], env: Record<string, string> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    let t = 0;
    const code = await main(argv, env, {
      stdout: { write: (s) => out.push(s) },
      stderr: { write: (s) => err.push(s), isTTY: false },
      now: () => (t += 5),
      fetch: globalThis.fetch,
    });
    return { code, stdout: out.join(''), stderr: err.join('') };
  }

  test('streams every byte with the options, the token and the file name; prints the table', async () => {
    seen.length = 0;
    answer = { status: 201, body: JSON.stringify(sample) };
    const r = await run(['upload', file, '-c', 'demo', '--channel', 'WhatsApp group (Arabic)', '--context', 'Broad community input', '--language', 'ar'], {
      FEEDBACK_TOKEN: 'secret-token',
      FEEDBACK_SERVER: origin,
    });
    expect(r.code).toBe(0);
    expect(seen).toHaveLength(1);
    const req = seen[0] as Seen;
    expect(req.method).toBe('POST');
    expect(req.bytes).toBe(size);
    expect(req.sha256).toBe(fileSha);
    expect(req.url).toBe(
      '/api/consultations/demo/uploads?channel=WhatsApp+group+%28Arabic%29&context=Broad+community+input&language=ar&filename=chat+export.txt',
    );
    expect(req.headers.authorization).toBe('Bearer secret-token');
    expect(req.headers['content-type']).toBe('application/octet-stream');
    // Streamed: the body goes out in chunks rather than being buffered whole with a length.
    expect(req.headers['transfer-encoding']).toBe('chunked');
    expect(r.stdout).toBe(`${resultTable(sample, file, 'demo')}\n`);
    expect(r.stdout).toContain('chat export.txt → demo: stored as upload u-123');
    expect(r.stderr).toMatch(/sent 300 KB \/ 300 KB \(100%\)/);
  });

  test('--json prints the answer as the server sent it', async () => {
    answer = { status: 200, body: JSON.stringify({ ...sample, duplicate: true }) };
    const r = await run(['upload', file, '-c', 'demo', '-t', 'tok', '-s', origin, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ...sample, duplicate: true });
  });

  test.each<[string, number, string, RegExp]>([
    ['unreadable file', 422, '{"error":{"code":"unreadable","message":"line 14: cannot read the date \'31/31/2019\'"}}', /upload failed: 422 unreadable: line 14: cannot read the date/],
    ['format not recognised: the hint names the flag', 415, '{"error":{"code":"unsupported_format","message":"not a known export; pass ?format= to choose"}}', /415 unsupported_format: not a known export; pass --format to choose/],
    ['bad token', 401, '{"error":{"code":"unauthorized","message":"missing or unknown bearer token"}}', /401 unauthorized: missing or unknown bearer token/],
    ['2xx that is not the API', 200, '<html>hello</html>', /without JSON/],
    ['2xx JSON of another shape', 201, '{"ok":true}', /unexpected answer/],
  ])('server refusal → exit 1: %s', async (_name, status, body, message) => {
    answer = { status, body };
    const r = await run(['upload', file, '-c', 'demo', '-t', 'tok', '-s', origin]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  test('unreachable server → exit 1 naming the address', async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const port = portOf(closed);
    await new Promise<void>((ok) => closed.close(() => ok()));
    const r = await run(['upload', file, '-c', 'demo', '-t', 'tok', '-s', `http://127.0.0.1:${port}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot reach http://127.0.0.1:${port}`);
  });

  test.each<[string, () => string[], RegExp]>([
    ['missing file', () => ['upload', join(dir, 'nope.txt'), '-c', 'demo', '-t', 'tok', '-s', origin], /cannot read .*nope\.txt/],
    ['a folder', () => ['upload', dir, '-c', 'demo', '-t', 'tok', '-s', origin], /is not a file/],
    ['no token', () => ['upload', file, '-c', 'demo', '-s', origin], /FEEDBACK_TOKEN[\s\S]*--help/],
  ])('usage problem → exit 2 and nothing sent: %s', async (_name, argv, message) => {
    seen.length = 0;
    const r = await run(argv());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(seen).toHaveLength(0);
  });

  test('--help prints the usage on stdout and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage:\n {2}npm run cli -- upload <file> --consultation <slug>/);
  });
});
