import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { AppError } from '../../src/errors';
import { fixMojibake, looksLikeFacebook, parseFacebook } from '../../src/ingest/facebook';
import { isRecord } from '../../src/ingest/json-repair';
import type { ParseResult } from '../../src/ingest/types';

const dir = new URL('../fixtures/facebook/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, dir), 'utf8');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json'));

/** What Facebook writes for a string: its UTF-8 bytes, one code unit each. */
const mojibake = (s: string) => Array.from(new TextEncoder().encode(s), (b) => String.fromCharCode(b)).join('');

describe('parseFacebook: fixtures', () => {
  test('every layout has a fixture', () => {
    expect(fixtures).toEqual(
      expect.arrayContaining([
        'fb-group-posts-v1.json',
        'fb-group-posts-v2.json',
        'fb-comments-v2.json',
        'fb-group-comments-v2.json',
        'fb-your-posts-array.json',
        'fb-messenger.json',
        'fb-mojibake-ar.json',
        'fb-mojibake-ja.json',
      ]),
    );
  });

  test.each(fixtures)('%s gives the result beside it', (name) => {
    const expected: unknown = JSON.parse(read(name.replace(/\.json$/, '.expected.json')));
    expect(parseFacebook(read(name))).toEqual(expected);
  });
});

describe('fixMojibake', () => {
  test.each([
    ['French', mojibake('Inès a publié'), 'Inès a publié'],
    ['Arabic', mojibake('ليلى حداد'), 'ليلى حداد'],
    ['Japanese', mojibake('渡辺 健二'), '渡辺 健二'],
    ['emoji (4 bytes)', mojibake('👍 yes'), '👍 yes'],
    ['plain ASCII untouched', 'plain text', 'plain text'],
    ['real Latin-1 text is not UTF-8 bytes: kept', 'café', 'café'],
    ['a code unit above 0xFF: already decoded, kept', 'Ã© and Ş', 'Ã© and Ş'],
  ])('%s', (_name, input, output) => {
    expect(fixMojibake(input)).toBe(output);
  });
});

describe('parseFacebook: records', () => {
  const comment = (fields: Record<string, unknown>) => ({ timestamp: 1600000000, data: [{ comment: { timestamp: 1600000000, comment: 'Nice', author: 'Ana', ...fields } }], title: 'Ana commented.' });

  test.each([
    ['comments_v2', { comments_v2: [comment({})] }],
    ['comments (2019)', { comments: [comment({})] }],
    ['group_comments_v2', { group_comments_v2: [comment({ group: 'G' })] }],
    ['group_posts (2019, mixed)', { group_posts: [comment({ group: 'G' })] }],
  ])('%s: one comment by its author, at UTC', (_name, value) => {
    const r = parseFacebook(JSON.stringify(value));
    expect(r.messages).toMatchObject([{ participant: 'name:ana', text: 'Nice', at: '2020-09-13T12:26:40Z', line: 1 }]);
  });

  test('a group comment carries its group as context', () => {
    const r = parseFacebook(JSON.stringify({ group_comments_v2: [comment({ group: mojibake('Wikimédia France') })] }));
    expect(r.messages[0]?.context).toBe('Wikimédia France');
  });

  test('posts take the single comment author of the file as their author', () => {
    const post = { timestamp: 1600000100, data: [{ post: 'A post' }], title: 'Ana posted.' };
    expect(parseFacebook(JSON.stringify({ group_posts: [post, comment({})] })).messages[1]?.participant).toBe('name:ana');
    expect(parseFacebook(JSON.stringify({ group_posts_v2: [post] })).messages[0]?.participant).toBeNull();
    const twoAuthors = [post, comment({}), comment({ author: 'Ben' })];
    expect(parseFacebook(JSON.stringify({ group_posts: twoAuthors })).messages.find((m) => m.text === 'A post')?.participant).toBeNull();
  });

  test('the localized title is never the text', () => {
    const r = parseFacebook(JSON.stringify([{ timestamp: 1600000000, title: 'Ana updated her status.' }]));
    expect(r.messages).toEqual([]);
    expect(r.skipped.empty).toBe(1);
  });

  test('newest-first records come out oldest first', () => {
    const posts = [3, 2, 1].map((n) => ({ timestamp: 1600000000 + n, data: [{ post: `p${n}` }] }));
    expect(parseFacebook(JSON.stringify(posts)).messages.map((m) => m.text)).toEqual(['p1', 'p2', 'p3']);
  });
});

describe('parseFacebook: messages files', () => {
  const thread = (...messages: unknown[]) => JSON.stringify({ participants: [{ name: 'Ana' }, { name: 'Ben' }], messages, title: 'T', is_still_participant: true, thread_type: 'Regular', thread_path: 'inbox/t' });
  const m = (fields: Record<string, unknown>) => ({ sender_name: 'Ana', timestamp_ms: 1600000000123, content: 'Hi', type: 'Generic', is_unsent: false, ...fields });

  test.each([
    ['unsent', m({ is_unsent: true }), { deleted: 1 }],
    ['call', m({ type: 'Call', call_duration: 5 }), { system: 1 }],
    ['someone left', m({ type: 'Unsubscribe' }), { system: 1 }],
    ['photo only', m({ content: undefined, photos: [{ uri: 'p.jpg' }] }), { media: 1 }],
    ['sticker', m({ content: undefined, sticker: { uri: 's.png' } }), { media: 1 }],
    ['share without text', m({ content: undefined, share: { link: 'https://example.org' } }), { media: 1 }],
    ['nothing at all', m({ content: undefined }), { empty: 1 }],
  ])('skipped: %s', (_name, message, counts) => {
    const r = parseFacebook(thread(message));
    expect(r.messages).toEqual([]);
    expect(r.skipped).toEqual({ system: 0, media: 0, deleted: 0, empty: 0, ...counts });
  });

  test('milliseconds are dropped from `at`; every participant listed, even silent ones', () => {
    const r = parseFacebook(thread(m({})));
    expect(r.messages).toEqual([{ participant: 'name:ana', text: 'Hi', at: '2020-09-13T12:26:40Z', line: 1 }]);
    expect(r.participants.map((p) => p.key)).toEqual(['name:ana', 'name:ben']);
  });

  test('the Instagram sample shape gives the same texts as its target, oldest first', () => {
    const instagram = { messages: [m({ sender_name: 'John Doe', timestamp_ms: 1579294140000, content: 'Hello Jane!', type: undefined }), m({ sender_name: 'Jane Doe', timestamp_ms: 1577186580000, content: 'Hello John!', type: undefined })] };
    expect(parseFacebook(JSON.stringify(instagram)).messages).toEqual([
      { participant: 'name:jane doe', text: 'Hello John!', at: '2019-12-24T11:23:00Z', line: 2 },
      { participant: 'name:john doe', text: 'Hello Jane!', at: '2020-01-17T20:49:00Z', line: 1 },
    ]);
  });
});

describe('parseFacebook: unreadable files', () => {
  test.each([
    ['plain text', 'Jane Doe posted in Group', /not valid JSON/],
    ['broken JSON says where', '{"comments_v2": [\n {"timestamp": 1 "title": "x"}\n]}', /^line 2, column 18: this is not valid JSON \(expected ',' or '}'/],
    ['unknown layout names its keys', '{"profile_v2": {"name": "x"}, "labels": []}', /found top-level keys "profile_v2", "labels", none of which/],
    ['a known key that is not a list', '{"comments_v2": {"a": 1}}', /"comments_v2" is not a list/],
    ['a list of numbers', '[1, 2, 3]', /found a list with no post records/],
    ['a bare string', '"hello"', /found a string value/],
    ['a Telegram export', '{"name": "x", "type": "personal_chat", "id": 1, "chats": {"list": []}}', /top-level keys "name", "type", "id", "chats"/],
  ])('%s', (_name, input, message) => {
    let caught: unknown;
    try {
      parseFacebook(input);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect(caught).toMatchObject({ code: 'unreadable_file', message: expect.stringMatching(message) });
  });
});

describe('looksLikeFacebook', () => {
  test.each([
    ['messenger', JSON.parse(read('fb-messenger.json')), true],
    ['2024 messenger', JSON.parse(read('fb-messenger-e2ee-2024.json')), true],
    ['comments_v2', { comments_v2: [] }, true],
    ['your_posts list', JSON.parse(read('fb-your-posts-array.json')).slice(0, 2), true],
    ['empty list', [], false],
    ['telegram chat', { name: 'x', type: 'personal_chat', id: 1, messages: [{ type: 'message', date: '2022-01-01T00:00:00', text: 'x' }] }, false],
    ['telegram account', { chats: { list: [] } }, false],
    ['a number', 3, false],
  ])('%s', (_name, value, expected) => {
    expect(looksLikeFacebook(value)).toBe(expected);
  });
});

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function checkShape(r: ParseResult): void {
  expect(r.format).toBe('facebook');
  const keys = new Set(r.participants.map((p) => p.key));
  for (const m of r.messages) {
    expect(m.text.trim()).not.toBe('');
    if (m.participant !== null) expect(keys.has(m.participant)).toBe(true);
    if (m.at !== null) expect(m.at).toMatch(ISO_UTC);
  }
}

/** A setter for every place in a JSON value where a random value can be put. */
function slots(v: unknown, out: ((x: unknown) => void)[] = []): ((x: unknown) => void)[] {
  if (Array.isArray(v)) {
    v.forEach((item, i) => {
      out.push((x) => {
        v[i] = x;
      });
      slots(item, out);
    });
  } else if (isRecord(v)) {
    for (const [k, item] of Object.entries(v)) {
      out.push((x) => {
        v[k] = x;
      });
      slots(item, out);
    }
  }
  return out;
}

const texts = fixtures.map(read);
const randomJson = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v));
const textEdits = fc
  .tuple(fc.constantFrom(...texts), fc.array(fc.tuple(fc.nat(), fc.nat(8), fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 4 }))
  .map(([text, edits]) =>
    edits.reduce((s, [at, del, ins]) => {
      const i = at % (s.length + 1);
      return s.slice(0, i) + ins + s.slice(i + del);
    }, text),
  );
const valueSwaps = fc
  .tuple(fc.constantFrom(...texts), fc.array(fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 2 })), { minLength: 1, maxLength: 3 }))
  .map(([text, swaps]) => {
    const value: unknown = JSON.parse(text);
    for (const [pick, replacement] of swaps) {
      const all = slots(value);
      all[pick % Math.max(all.length, 1)]?.(replacement);
    }
    return JSON.stringify(value);
  });
// Random Latin-1 strings put where Facebook writes text, to exercise the mojibake decoder.
const mojibakeText = fc
  .tuple(fc.string({ unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 10 }))
  .map(([comment, author]) => JSON.stringify({ comments_v2: [{ timestamp: 1, data: [{ comment: { comment, author, timestamp: 1 } }] }] }));
const randomText = fc.string({ unit: 'binary', maxLength: 200 });

describe('parseFacebook: property', () => {
  test('10,000 random and mutated inputs: a valid result or an AppError, nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(randomJson, textEdits, valueSwaps, mojibakeText, randomText), (input) => {
        let result: ParseResult;
        try {
          result = parseFacebook(input);
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
