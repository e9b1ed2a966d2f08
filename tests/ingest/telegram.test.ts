import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { AppError } from '../../src/errors';
import { isRecord, readJson, repairJson, syntaxErrorOffset } from '../../src/ingest/json-repair';
import { looksLikeTelegram, parseTelegram } from '../../src/ingest/telegram';
import type { ParseResult } from '../../src/ingest/types';

const dir = new URL('../fixtures/telegram/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, dir), 'utf8');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json'));

const chat = (...messages: unknown[]) => JSON.stringify({ name: 'Test', type: 'private_group', id: 1, messages });
const msg = (fields: Record<string, unknown>) => ({ id: 1, type: 'message', date: '2022-03-18T14:56:01', from: 'Ana', from_id: 'user7', text: 'Hi', ...fields });

describe('parseTelegram: fixtures', () => {
  test('every layout has a fixture', () => {
    expect(fixtures).toEqual(
      expect.arrayContaining(['tg-single-chat.json', 'tg-account-export.json', 'tg-old-numeric-ids.json', 'tg-invalid-control-chars.json', 'tg-poll.json']),
    );
  });

  test.each(fixtures)('%s gives the result beside it', (name) => {
    const expected: unknown = JSON.parse(read(name.replace(/\.json$/, '.expected.json')));
    expect(parseTelegram(read(name))).toEqual(expected);
  });
});

describe('parseTelegram: messages', () => {
  test.each([
    ['a plain string', msg({ text: 'Hello there' }), 'Hello there'],
    ['entities joined as written, keeping their own spaces', msg({ text: ['See ', { type: 'link', text: 'https://example.org' }, ' now'] }), 'See https://example.org now'],
    ['text_entities when text is missing', msg({ text: undefined, text_entities: [{ type: 'plain', text: 'From entities' }] }), 'From entities'],
    ['bidi marks and NBSP cleaned, ends trimmed', msg({ text: '  \u200fمرحبا\u00a0بكم ' }), 'مرحبا بكم'],
    ['a caption on a photo is kept', msg({ photo: 'photos/1.jpg', text: 'Our poster' }), 'Our poster'],
  ])('text: %s', (_name, message, text) => {
    expect(parseTelegram(chat(message)).messages[0]?.text).toBe(text);
  });

  test.each([
    ['local date wins over date_unixtime', msg({ date: '2022-03-18T14:56:01', date_unixtime: '1647604561' }), '2022-03-18T14:56:01'],
    ['only date_unixtime: UTC with Z', msg({ date: undefined, date_unixtime: '1647604561' }), '2022-03-18T11:56:01Z'],
    ['impossible date falls back to date_unixtime', msg({ date: '2022-13-40T10:00:00', date_unixtime: '1647604561' }), '2022-03-18T11:56:01Z'],
    ['no usable time', msg({ date: 'yesterday', date_unixtime: 'soon' }), null],
  ])('at: %s', (_name, message, at) => {
    expect(parseTelegram(chat(message)).messages[0]?.at).toBe(at);
  });

  test.each([
    ['string id', msg({ from_id: 'user123' }), 'tg:user123'],
    ['old numeric id', msg({ from_id: 123 }), 'tg:user123'],
    ['digits in a string', msg({ from_id: '123' }), 'tg:user123'],
    ['channel id kept as is', msg({ from_id: 'channel77' }), 'tg:channel77'],
    ['no id: the name', msg({ from_id: undefined, from: 'Ana  Lima' }), 'name:ana lima'],
    ['no id and no name', msg({ from_id: undefined, from: null }), null],
  ])('participant: %s', (_name, message, key) => {
    expect(parseTelegram(chat(message)).messages[0]?.participant).toBe(key);
  });

  test.each([
    ['service message', msg({ type: 'service', action: 'pin_message', actor: 'Ana', actor_id: 'user7', text: '' }), { system: 1 }],
    ['photo without caption', msg({ photo: '(File not included. Change data exporting settings to download.)', text: '' }), { media: 1 }],
    ['sticker', msg({ file: 'stickers/1.webp', media_type: 'sticker', sticker_emoji: '🙂', text: '' }), { media: 1 }],
    ['blank text, no media', msg({ text: ' ' }), { empty: 1 }],
  ])('skipped: %s', (_name, message, counts) => {
    const r = parseTelegram(chat(message));
    expect(r.messages).toEqual([]);
    expect(r.skipped).toEqual({ system: 0, media: 0, deleted: 0, empty: 0, ...counts });
  });

  test('a mention_name adds the shown name to that user, whose key is the usual one', () => {
    const r = parseTelegram(chat(msg({ from_id: 'user1', from: 'Ana' }), msg({ from_id: 'user2', from: 'Ben', text: ['Thanks ', { type: 'mention_name', text: 'Annie', user_id: 1 }] })));
    expect(r.messages[1]?.text).toBe('Thanks Annie');
    expect(r.participants).toEqual([
      { key: 'tg:user1', names: ['Ana', 'Annie'] },
      { key: 'tg:user2', names: ['Ben'] },
    ]);
  });

  test('a poll becomes a ParsedPoll, not a message', () => {
    const poll = { question: 'Best day?', total_voters: 3, answers: [{ text: 'Mon', voters: 2, chosen: false }, { text: 'Fri', voters: 1, chosen: true }] };
    const r = parseTelegram(chat(msg({ poll, text: '' })));
    expect(r.messages).toEqual([]);
    expect(r.polls).toEqual([
      { question: 'Best day?', options: [{ label: 'Mon', votes: 2 }, { label: 'Fri', votes: 1 }], multiple: false, participants: 3, at: '2022-03-18T14:56:01', source: 'telegram' },
    ]);
  });

  test('an account export reads chats and left chats, and names the owner', () => {
    const r = parseTelegram(read('tg-account-export.json'));
    expect(r.messages.map((m) => m.line)).toEqual([1, 2, 4, 6]);
    expect(r.participants[0]).toEqual({ key: 'tg:user5550010', names: ['Priya Raman', 'priya_example'] });
  });
});

describe('parseTelegram: invalid JSON', () => {
  test('control characters, bare ids and trailing commas are repaired and reported', () => {
    const r = parseTelegram(read('tg-invalid-control-chars.json'));
    expect(r.messages[0]?.text).toBe('Line one\nline two\twith a tab');
    expect(r.warnings).toEqual([{ code: 'json_repaired', message: expect.stringMatching(/^repaired 2 raw control characters inside strings, 2 unquoted/) }]);
  });

  test.each([
    ['raw newline', '{"a":"x\ny"}', '{"a":"x\\ny"}'],
    ['backslash before a raw tab', '{"a":"x\\\ty"}', '{"a":"x\\ty"}'],
    ['bare id', '{"id": user12, "n": 1e5, "t": true}', '{"id": "user12", "n": 1e5, "t": true}'],
    ['trailing commas', '[1, 2, ]', '[1, 2 ]'],
    ['commas and words inside strings untouched', '{"a":"x, ]y"}', '{"a":"x, ]y"}'],
  ])('repairJson: %s', (_name, input, output) => {
    expect(repairJson(input).text).toBe(output);
  });

  test.each([
    ['valid', '{"a": [1, -2.5e3, "x\\n", true, null]}', -1],
    ['value missing', '{"text": }', 9],
    ['bare word', '{"id": user1}', 7],
    ['cut off', '[1,2', 4],
    ['trailing comma', '{"a":1,}', 7],
    ['text after the value', ' 12 x', 4],
    ['bad escape', '"\\x"', 1],
  ])('syntaxErrorOffset: %s', (_name, input, offset) => {
    expect(syntaxErrorOffset(input)).toBe(offset);
  });

  test('valid JSON is never "repaired"', () => {
    expect(readJson('{"a": "b, ]"}', 'x').warnings).toEqual([]);
  });
});

describe('parseTelegram: unreadable files', () => {
  test.each([
    ['empty file', '', /empty/],
    ['plain text', 'hello, this is a WhatsApp chat', /not valid JSON \(it does not start with/],
    ['broken JSON says where', '{\n "messages": [\n  {"text": }\n ]\n}', /^line 3, column 12: this is not valid JSON/],
    ['cut-off file', '{"messages": [', /^end of file: /],
    ['a list', '[1, 2]', /found a list of 2 items; expected a Telegram Desktop export/],
    ['a Facebook messages file', '{"participants": [], "thread_path": "inbox/x"}', /found top-level keys "participants", "thread_path"/],
    ['messages not a list', '{"messages": {"a": 1}}', /"messages" is not a list/],
    ['chats without list', '{"chats": {"about": "x"}}', /"chats" has no "list"/],
  ])('%s', (_name, input, message) => {
    let caught: unknown;
    try {
      parseTelegram(input);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect(caught).toMatchObject({ code: 'unreadable_file', message: expect.stringMatching(message) });
  });
});

describe('looksLikeTelegram', () => {
  test.each([
    ['single chat', JSON.parse(read('tg-single-chat.json')), true],
    ['account export', JSON.parse(read('tg-account-export.json')), true],
    ['empty chat with name, type, id', { name: 'x', type: 'personal_chat', id: 1, messages: [] }, true],
    ['messenger file', { participants: [{ name: 'A' }], messages: [{ sender_name: 'A', timestamp_ms: 1, content: 'x' }] }, false],
    ['facebook comments', { comments_v2: [] }, false],
    ['a list', [], false],
    ['null', null, false],
  ])('%s', (_name, value, expected) => {
    expect(looksLikeTelegram(value)).toBe(expected);
  });
});

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z?$/;

function checkShape(r: ParseResult): void {
  expect(r.format).toBe('telegram');
  const keys = new Set(r.participants.map((p) => p.key));
  for (const m of r.messages) {
    expect(m.text.trim()).not.toBe('');
    if (m.participant !== null) expect(keys.has(m.participant)).toBe(true);
    if (m.at !== null) expect(m.at).toMatch(ISO);
  }
  for (const p of r.polls) for (const o of p.options) expect(Number.isSafeInteger(o.votes)).toBe(true);
}

/** A setter for every place in a JSON value where a random value can be put. */
function slots(v: unknown, out: ((x: unknown) => void)[] = []): ((x: unknown) => void)[] {
  if (Array.isArray(v)) {
    v.forEach((item, i) => {
      out.push((x) => { v[i] = x; });
      slots(item, out);
    });
  } else if (isRecord(v)) {
    for (const [k, item] of Object.entries(v)) {
      out.push((x) => { v[k] = x; });
      slots(item, out);
    }
  }
  return out;
}

const texts = fixtures.map(read);
const validTexts = fixtures.filter((f) => f !== 'tg-invalid-control-chars.json').map(read);

const randomJson = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v));
const textEdits = fc
  .tuple(fc.constantFrom(...texts), fc.array(fc.tuple(fc.nat(), fc.nat(8), fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 4 }))
  .map(([text, edits]) => edits.reduce((s, [at, del, ins]) => { const i = at % (s.length + 1); return s.slice(0, i) + ins + s.slice(i + del); }, text));
const valueSwaps = fc
  .tuple(fc.constantFrom(...validTexts), fc.array(fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 2 })), { minLength: 1, maxLength: 3 }))
  .map(([text, swaps]) => {
    const value: unknown = JSON.parse(text);
    for (const [pick, replacement] of swaps) {
      const all = slots(value);
      all[pick % Math.max(all.length, 1)]?.(replacement);
    }
    return JSON.stringify(value);
  });
const randomText = fc.string({ unit: 'binary', maxLength: 200 });

describe('parseTelegram: property', () => {
  test('10,000 random and mutated inputs: a valid result or an AppError, nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(randomJson, textEdits, valueSwaps, randomText), (input) => {
        let result: ParseResult;
        try {
          result = parseTelegram(input);
        } catch (e) {
          if (e instanceof AppError) return;
          throw e;
        }
        checkShape(result);
      }),
      { numRuns: 10_000 },
    );
  });
});
