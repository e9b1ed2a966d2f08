/**
 * A format asked for, or a file name, never makes a chat be read as notes or CSV (its authors' names would
 * be stored in clear); genuine notes and CSVs that mention times are still read as asked.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { AppError } from '../../src/errors';
import { decodeText } from '../../src/ingest/decode';
import { detectFormat, refuseOtherFormat } from '../../src/ingest/detect';
import { FORMATS, type Format } from '../../src/ingest/types';
import { streamBytes } from '../../src/services/ingest';
import { newConsultation, testEnv } from '../helpers';

const FIXTURES = join(import.meta.dirname, '../fixtures');
const fixture = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');
const enc = (s: string) => new TextEncoder().encode(s);

/** The repro: three lines by two people. */
const CHAT = fixture('detect/whatsapp-android-two-people.txt');
const IOS_CHAT = '[14/03/2023, 10:01:12] André Dupont: Bonjour\n[14/03/2023, 10:03:40] Zoé Martin: Great, send it\n';
const TELEGRAM = fixture('telegram/tg-single-chat.json');
const TELEGRAM_BROKEN = fixture('telegram/tg-invalid-control-chars.json');
const MESSENGER = fixture('facebook/fb-messenger.json');
const INSTAGRAM = fixture('facebook/fb-instagram-dm.json');
const POSTS_ARRAY = fixture('facebook/fb-your-posts-array.json');
const OTHER_JSON = '[{"timestamp": "2018-12-05T10:39:10", "author": "A", "message": "hi"}]';

function refusal(asked: Format, text: string): string | null {
  try {
    refuseOtherFormat(asked, text);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('unreadable_file');
    expect((err as AppError).status).toBe(422);
    return (err as AppError).message;
  }
}

describe('refuseOtherFormat: the content clearly is another format', () => {
  test.each<[string, Format, string, RegExp]>([
    ['an Android chat as notes', 'notes', CHAT, /^format=notes was asked, but this reads as a WhatsApp chat export: 3 of 3 sampled lines are message headers; upload it without format, or with format=whatsapp$/],
    ['an Android chat as csv', 'csv', CHAT, /format=csv was asked, but this reads as a WhatsApp chat export: 3 of 3/],
    ['an Android chat as wikitext', 'wikitext', CHAT, /format=wikitext was asked, but this reads as a WhatsApp chat export/],
    ['an Android chat as telegram', 'telegram', CHAT, /format=telegram was asked, but this reads as a WhatsApp chat export/],
    ['an iOS chat as notes', 'notes', IOS_CHAT, /reads as a WhatsApp chat export: 2 of 2 sampled lines/],
    ['a Telegram export as notes', 'notes', TELEGRAM, /format=notes was asked, but this reads as a Telegram Desktop export: it is JSON whose "messages" are Telegram messages.*with format=telegram$/],
    ['a Telegram export as csv', 'csv', TELEGRAM, /reads as a Telegram Desktop export/],
    ['a Telegram export as wikitext', 'wikitext', TELEGRAM, /reads as a Telegram Desktop export/],
    ['a Telegram export as whatsapp', 'whatsapp', TELEGRAM, /format=whatsapp was asked, but this reads as a Telegram Desktop export/],
    ['a Telegram export as facebook', 'facebook', TELEGRAM, /format=facebook was asked, but this reads as a Telegram Desktop export/],
    ['a broken Telegram export as notes', 'notes', TELEGRAM_BROKEN, /reads as a Telegram Desktop export: it is JSON \(not quite valid\) that names/],
    ['a Messenger export as notes', 'notes', MESSENGER, /reads as a Facebook\/Instagram export: its "messages" carry "sender_name" and "timestamp_ms".*with format=facebook$/],
    ['an Instagram export as telegram', 'telegram', INSTAGRAM, /format=telegram was asked, but this reads as a Facebook\/Instagram export/],
    ['an Instagram export as whatsapp', 'whatsapp', INSTAGRAM, /format=whatsapp was asked, but this reads as a Facebook\/Instagram export/],
    ['a list of Facebook posts as telegram', 'telegram', POSTS_ARRAY, /format=telegram was asked, but this JSON is not a Telegram Desktop export/],
    ['another tool\'s JSON as telegram', 'telegram', OTHER_JSON, /format=telegram was asked, but this JSON is not a Telegram Desktop export: it has no "messages" list/],
    ['another tool\'s JSON as facebook', 'facebook', OTHER_JSON, /format=facebook was asked, but this JSON is not a Facebook or Instagram export/],
    ['a JSON object with an empty messages list as telegram', 'telegram', '{"messages": []}', /is not a Telegram Desktop export/],
  ])('%s → 422 saying what was asked, what it reads as and why', (_name, asked, text, message) => {
    expect(refusal(asked, text)).toMatch(message);
  });
});

describe('refuseOtherFormat: genuine files are read as asked', () => {
  test.each<[string, Format, string]>([
    ['notes whose lines start with a date and time, without authors', 'notes', fixture('detect/notes-plain-times.txt')],
    ['notes with a few timed lines among headings and bullets', 'notes', fixture('detect/notes-meeting-times.md')],
    ['notes quoting one chat line', 'notes', '# Interview\n- She said: "14/03/2023, 10:01 - André: the grants are late"\n14/03/2023, 10:01 - Amina: one quoted line\n- More grants\n- Training'],
    ['a Google Forms CSV whose rows start with a date-time', 'csv', fixture('detect/google-forms-timestamp-rows.csv')],
    ['a one-question Google Forms CSV', 'csv', fixture('detect/google-forms-one-question.csv')],
    ['a CSV without a header row whose rows start with a date-time', 'csv', fixture('detect/csv-time-first-rows.csv')],
    ['a LimeSurvey CSV', 'csv', fixture('detect/limesurvey-r-quoted-header.csv')],
    ['a Typeform CSV', 'csv', fixture('detect/typeform-two-header-rows-quoted.csv')],
    ['another tool\'s JSON as notes', 'notes', OTHER_JSON],
    ['a Telegram export whose first messages are not typed', 'telegram', '{"messages": [{"id": 1}, {"id": 2, "type": "message", "text": "hi"}]}'],
    ['a list of Facebook posts with one odd record', 'facebook', POSTS_ARRAY],
    ['a Messenger thread with no messages yet', 'facebook', '{"participants": [{"name": "A"}], "messages": []}'],
    ['broken JSON as telegram (its parser says where)', 'telegram', '{"name": "x", "messages": ['],
    ['an iOS chat as whatsapp (it opens with "[")', 'whatsapp', IOS_CHAT],
    ['wikitext opening with a template', 'wikitext', '{{Talk header}}\n== Funding ==\nMore grants. [[User:Amina|Amina]] ([[User talk:Amina|talk]]) 07:41, 29 May 2024 (UTC)'],
  ])('%s', (_name, asked, text) => {
    expect(refusal(asked, text)).toBeNull();
  });

  const own: [string, Format, string][] = [];
  const dirs: Record<string, Format> = { whatsapp: 'whatsapp', telegram: 'telegram', facebook: 'facebook', csv: 'csv', notes: 'notes', wikitext: 'wikitext' };
  for (const [dir, format] of Object.entries(dirs)) {
    for (const name of readdirSync(join(FIXTURES, dir)).sort()) {
      if (!/expected/.test(name)) own.push([`${dir}/${name}`, format, decodeText(readFileSync(join(FIXTURES, dir, name))).text]);
    }
  }
  test.each(own)('fixture %s asked as %s is never refused', (_name, format, text) => {
    expect(refusal(format, text)).toBeNull();
  });

  const chats = own.filter(([, format]) => format === 'whatsapp');
  test.each(chats)('chat fixture %s asked as notes, csv or wikitext is refused', (_name, _format, text) => {
    for (const asked of ['notes', 'csv', 'wikitext'] as const) expect(refusal(asked, text)).toMatch(/reads as a WhatsApp chat export/);
  });
});

describe('detectFormat: a file name does not overrule a clear chat', () => {
  test.each([
    ['a chat named .csv', CHAT, 'chat.csv', 'whatsapp'],
    ['an iOS chat named .csv', IOS_CHAT, 'export.csv', 'whatsapp'],
    ['a chat named .md', CHAT, 'notes.md', 'whatsapp'],
    ['a Telegram export named .csv', TELEGRAM, 'result.csv', 'telegram'],
    ['a Messenger export named .txt', MESSENGER, 'message_1.txt', 'facebook'],
    ['a CSV without a header row, named .csv', fixture('detect/csv-time-first-rows.csv'), 'answers.csv', 'csv'],
    ['a Google Forms CSV named .csv', fixture('detect/google-forms-timestamp-rows.csv'), 'form.csv', 'csv'],
  ])('%s → %s', (_name, text, filename, format) => {
    expect(detectFormat(enc(text), text, filename)).toBe(format);
  });
});

describe('streamBytes: refused before anything is parsed', () => {
  test.each<[string, { format: Format; filename?: string }]>([
    ['format=notes', { format: 'notes' }],
    ['format=csv', { format: 'csv' }],
    ['format=csv with a .csv name', { format: 'csv', filename: 'chat.csv' }],
    ['format=wikitext', { format: 'wikitext' }],
  ])('the two-person chat with %s → 422', (_name, options) => {
    expect(() => streamBytes(enc(CHAT), options, 1 << 20)).toThrow(/reads as a WhatsApp chat export/);
  });

  test('named chat.csv without format: read as the chat it is, its authors known to the redactor', () => {
    const { format, stream } = streamBytes(enc(CHAT), { filename: 'chat.csv' }, 1 << 20);
    expect(format).toBe('whatsapp');
    expect(stream.participants.flatMap((p) => p.names).sort()).toEqual(['André Dupont', 'Zoé Martin']);
  });

  test.each<[string, string, Format]>([
    ['a Facebook export as telegram', INSTAGRAM, 'telegram'],
    ['a Telegram export as whatsapp (read whole, not streamed)', TELEGRAM, 'whatsapp'],
    ['a Telegram export with a BOM as whatsapp', `\uFEFF${TELEGRAM}`, 'whatsapp'],
  ])('%s → 422', (_name, text, format) => {
    expect(() => streamBytes(enc(text), { format }, 1 << 20)).toThrow(/was asked, but this reads as a (Facebook|Telegram)/);
  });

  test('format=whatsapp on an iOS chat still streams', () => {
    const { format, stream } = streamBytes(enc(IOS_CHAT), { format: 'whatsapp' }, 1 << 20);
    expect(format).toBe('whatsapp');
    expect(stream.participants).toHaveLength(2);
  });
});

describe('uploads: nothing of a refused file is stored', () => {
  test.each([
    ['?format=notes', 422],
    ['?format=csv', 422],
    ['?filename=chat.csv', 201],
  ])('the two-person chat with %s → %i, and no name in clear', async (query, status) => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const res = await t.request(`/api/consultations/${slug}/uploads${query}`, { method: 'POST', body: CHAT });
    expect(res.status).toBe(status);
    const body = (await res.json()) as { upload?: { format: string }; error?: { code: string; message: string } };
    if (status === 422) {
      expect(body.error?.code).toBe('unreadable_file');
      expect(body.error?.message).toMatch(/upload it without format, or with format=whatsapp/);
      const n = await t.client.execute('select (select count(*) from uploads) + (select count(*) from items) as n');
      expect(Number(n.rows[0]?.n)).toBe(0);
    } else {
      expect(body.upload?.format).toBe('whatsapp');
    }
    const texts = await t.client.execute('select text from items');
    for (const row of texts.rows) expect(String(row.text)).not.toMatch(/André|Zoé|Dupont|Martin/);
  });
});

describe('properties', () => {
  const chatLine = fc
    .tuple(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 10, max: 59 }), fc.constantFrom('Amina', 'Zoé Martin', '+44 20 7946 0123'), fc.string({ maxLength: 30 }))
    .map(([d, m, h, mi, who, text]) => `${d}/${m}/2023, ${h}:${mi} - ${who}: ${text.replace(/[\r\n]/g, ' ')}`);
  const text = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.array(chatLine, { minLength: 1, maxLength: 8 }).map((l) => l.join('\n')),
    fc.tuple(fc.array(chatLine, { maxLength: 6 }), fc.array(fc.string({ maxLength: 40 }), { maxLength: 6 })).map(([a, b]) => [...a, ...b].sort().join('\n')),
    fc.constantFrom(TELEGRAM, MESSENGER, CHAT, fixture('detect/google-forms-timestamp-rows.csv')).chain((s) =>
      fc.tuple(fc.nat(s.length), fc.nat(s.length), fc.string({ maxLength: 5 })).map(([a, b, ins]) => s.slice(0, Math.min(a, b)) + ins + s.slice(Math.max(a, b))),
    ),
  );

  test('detectFormat and refuseOtherFormat throw nothing but AppError, whatever the text', () => {
    fc.assert(
      fc.property(text, fc.constantFrom(...FORMATS), fc.constantFrom(undefined, 'a.csv', 'a.txt', 'a.md'), (s, asked, filename) => {
        for (const run of [() => detectFormat(enc(s), s, filename), () => refuseOtherFormat(asked, s)]) {
          try {
            run();
          } catch (err) {
            expect(err).toBeInstanceOf(AppError);
          }
        }
      }),
      { numRuns: 10_000 },
    );
  });

  test('a chat of two or more authored lines is refused as notes, csv and wikitext, and accepted as whatsapp', () => {
    fc.assert(
      fc.property(fc.array(chatLine, { minLength: 2, maxLength: 10 }), (lines) => {
        const s = lines.join('\n');
        for (const asked of ['notes', 'csv', 'wikitext'] as const) expect(refusal(asked, s)).toMatch(/reads as a WhatsApp chat export/);
        expect(refusal('whatsapp', s)).toBeNull();
      }),
      { numRuns: 2_000 },
    );
  });
});
