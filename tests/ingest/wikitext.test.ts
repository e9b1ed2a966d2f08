import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { AppError } from '../../src/errors';
import type { ParseResult } from '../../src/ingest/types';
import { findWikiTimestamps, parseWikiTimestamp } from '../../src/ingest/wiki-dates';
import { parseWikitext } from '../../src/ingest/wikitext';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/wikitext/${name}`, import.meta.url), 'utf8');
const expected = (name: string): ParseResult => JSON.parse(fixture(name.replace(/\.wikitext$/, '.expected.json')));

const FIXTURES = [
  'talk-en-threaded.wikitext',
  'talk-fr-dates.wikitext',
  'talk-ja-dates.wikitext',
  'talk-unsigned-joins.wikitext',
  'talk-anon-ip.wikitext',
  'talk-old-dates.wikitext',
];

/** One comment signed by Ana with the given timestamp. */
const signed = (stamp: string, link = '[[User:Example Ana|Ana]]') => `== T ==\nText here. ${link} ${stamp}\n`;

describe('parseWikitext: fixtures', () => {
  test.each(FIXTURES)('%s matches its expected result', (name) => {
    expect(parseWikitext(fixture(name))).toEqual(expected(name));
  });
});

describe('parseWikitext: signature timestamps in site languages', () => {
  test.each([
    ['en', '07:41, 29 May 2024 (UTC)', '2024-05-29T07:41:00Z'],
    ['en, abbreviated month', '09:16, 8 Jun 2005 (UTC)', '2005-06-08T09:16:00Z'],
    ['en 2003: month before day', '18:45 Mar 10, 2003 (UTC)', '2003-03-10T18:45:00Z'],
    ['en 2005: ISO date after time', '01:54:53, 2005-09-08 (UTC)', '2005-09-08T01:54:53Z'],
    ['ISO 8601', '2024-05-29T07:41:00 (UTC)', '2024-05-29T07:41:00Z'],
    ['fr, local summer time', '29 mai 2024 à 07:41 (CEST)', '2024-05-29T05:41:00Z'],
    ['fr, 1er', '1er juin 2024 à 18:05 (CEST)', '2024-06-01T16:05:00Z'],
    ['fr with LRM between tokens', '\u200E29\u200E \u200Emai\u200E \u200E2024\u200E \u200Eà\u200E \u200E07:41\u200E \u200E(UTC)', '2024-05-29T07:41:00Z'],
    ['de, abbreviated month with dot', '12:34, 5. Jan. 2024 (CET)', '2024-01-05T11:34:00Z'],
    ['de, full month', '07:41, 29. Mai 2024 (CEST)', '2024-05-29T05:41:00Z'],
    ['es', '07:41 29 may 2024 (UTC)', '2024-05-29T07:41:00Z'],
    ['pt', '07h41min de 29 de maio de 2024 (UTC)', '2024-05-29T07:41:00Z'],
    ['ar', '07:41، 29 مايو 2024 (ت ع م)', '2024-05-29T07:41:00Z'],
    ['ar with Arabic-Indic digits and RLM', '\u200F٠٧:٤١\u200F، ٢٩ مايو ٢٠٢٤ (ت ع م)', '2024-05-29T07:41:00Z'],
    ['ja', '2024年5月29日 (水) 07:41 (UTC)', '2024-05-29T07:41:00Z'],
    ['zh', '2024年5月29日 (三) 07:41 (UTC)', '2024-05-29T07:41:00Z'],
    ['ru', '07:41, 29 мая 2024 (UTC)', '2024-05-29T07:41:00Z'],
    ['ckb: RLM first, suffix after the day', '\u200F07:41، 29ی May 2024 (UTC)', '2024-05-29T07:41:00Z'],
    ['th Buddhist year', '07:41, 29 May 2567 (+07)', '2024-05-29T00:41:00Z'],
    ['DST-ambiguous hour, CET given', '02:30, 28 Oct 2018 (CET)', '2018-10-28T01:30:00Z'],
  ])('%s: %s', (_name, stamp, at) => {
    const r = parseWikitext(signed(stamp));
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]?.at).toBe(at);
    expect(r.messages[0]?.text).toBe('Text here.');
  });

  test('an unknown zone keeps the wall-clock time and warns once', () => {
    const r = parseWikitext(`${signed('07:41, 29 May 2024 (XYZT)')}More. [[User:B]] 08:00, 29 May 2024 (XYZT)\n`);
    expect(r.messages.map((m) => m.at)).toEqual(['2024-05-29T07:41:00', '2024-05-29T08:00:00']);
    expect(r.warnings.map((w) => w.code)).toEqual(['unknown_timezone']);
  });

  test.each([
    ['31 February', '07:41, 31 February 2024 (UTC)'],
    ['hour 25', '25:41, 29 May 2024 (UTC)'],
    ['bracket that is no zone', '07:41, 29 May 2024 (talk)'],
    ['no zone at all', '07:41, 29 May 2024'],
  ])('not a timestamp: %s', (_name, s) => {
    expect(findWikiTimestamps(s)).toEqual([]);
  });

  test('template dates may omit the zone', () => {
    expect(parseWikiTimestamp('07:41, 29 May 2024')).toEqual({ at: '2024-05-29T07:41:00' });
  });
});

describe('parseWikitext: who signed', () => {
  test.each([
    ['user and talk links', '[[User:Example_Ana|Ana]] ([[User talk:Example Ana|talk]])', 'wiki:Example Ana', ['Example Ana', 'Ana']],
    ['talk link alone', '[[User talk:Example Ana|talk]]', 'wiki:Example Ana', ['Example Ana']],
    ['talk label that spells the name', '[[User talk:Maple|User:Maple ·talk·]]', 'wiki:Maple', ['Maple', 'User:Maple ·talk·']],
    ['lower-case first letter', '[[User:example ana]]', 'wiki:Example ana', ['Example ana']],
    ['German namespace', '[[Benutzer:Beispiel Berta|Berta]]', 'wiki:Beispiel Berta', ['Beispiel Berta', 'Berta']],
    ['French feminine namespace', '[[Utilisatrice:Awa Exemple|Awa]]', 'wiki:Awa Exemple', ['Awa Exemple', 'Awa']],
    ['Arabic namespace', '[[مستخدم:ليلى مثال|ليلى]]', 'wiki:ليلى مثال', ['ليلى مثال', 'ليلى']],
    ['Japanese talk namespace', '[[利用者‐会話:山田例子|会話]]', 'wiki:山田例子', ['山田例子']],
    ['interwiki prefix', '[[m:User:Example Ana|Ana]]', 'wiki:Example Ana', ['Example Ana', 'Ana']],
    ['contributions of an IPv4', '[[Special:Contributions/192.0.2.10|192.0.2.10]]', 'ip:192.0.2.10', ['192.0.2.10']],
    ['contributions of a named account', '[[Special:Contributions/Example Ana|contribs]]', 'wiki:Example Ana', ['Example Ana']],
    ['German contributions page', '[[Spezial:Beiträge/192.0.2.11|192.0.2.11]]', 'ip:192.0.2.11', ['192.0.2.11']],
    ['styled label', `[[User:Example Ana|<span style="color:red">'''Ana'''</span>]]`, 'wiki:Example Ana', ['Example Ana', 'Ana']],
    ['entity in the user name', '[[User:Eve&#39;s Apple|Eve&#39;s Apple]]', "wiki:Eve's Apple", ["Eve's Apple"]],
  ])('%s', (_name, link, key, names) => {
    const r = parseWikitext(signed('07:41, 29 May 2024 (UTC)', link));
    expect(r.messages[0]?.participant).toBe(key);
    expect(r.participants).toEqual([{ key, names }]);
  });

  test('a user subpage link is not a signature', () => {
    expect(() => parseWikitext(signed('07:41, 29 May 2024 (UTC)', '[[User:Example Ana/sandbox|draft]]'))).toThrow(AppError);
  });

  test('a mention earlier in the comment does not sign it', () => {
    const r = parseWikitext('As [[User:Bruno Example]] said, yes. [[User:Example Ana|Ana]] 07:41, 29 May 2024 (UTC)');
    expect(r.messages[0]).toMatchObject({ participant: 'wiki:Example Ana', text: 'As User:Bruno Example said, yes.' });
    expect(r.participants.map((p) => p.key)).toEqual(['wiki:Example Ana']);
  });
});

describe('parseWikitext: comment text', () => {
  const sig = '[[User:A]] 07:41, 29 May 2024 (UTC)';
  test.each([
    ['indentation and bold', `::: '''Yes''' and ''no'' ${sig}`, 'Yes and no'],
    ['piped and plain links', `See [[Grants:Rapid|rapid grants]] and [[Kiwix]]. ${sig}`, 'See rapid grants and Kiwix.'],
    ['external links', `[https://example.org/r the report] and [https://example.org/x] ${sig}`, 'the report and https://example.org/x'],
    ['stance template kept as its word', `{{support}} good idea ${sig}`, 'Support good idea'],
    ['status template kept', `{{done}} fixed ${sig}`, 'Done fixed'],
    ['quote template keeps its text', `{{tq|grants are slow}} indeed ${sig}`, 'grants are slow indeed'],
    ['ping becomes a mention', `{{ping|Bruno Example}} see above ${sig}`, '@Bruno Example see above'],
    ['other templates dropped', `{{ec}} {{outdent}} point ${sig}`, 'point'],
    ['struck text is retracted', `<s>old idea</s> new idea ${sig}`, 'new idea'],
    ['refs and file links dropped', `Fact.<ref>Source</ref> [[File:X.png|thumb|cap]] ${sig}`, 'Fact.'],
    ['tags and entities', `<small>a&nbsp;b &amp; c</small><br/>d ${sig}`, 'a b & c d'],
    ['signature dash removed', `My point. --${sig}`, 'My point.'],
    ['plain name before a talk-only signature', 'My point. - Dank ([[User talk:Dank|push to talk]]) 07:41, 29 May 2024 (UTC)', 'My point.'],
    ['SineBot phrase removed', `Unsigned point. <small>— Preceding [[Wikipedia:Signatures|unsigned]] comment added by [[User:A|A]] ([[User talk:A|talk]] • [[Special:Contributions/A|contribs]]) 07:41, 29 May 2024 (UTC)</small>`, 'Unsigned point.'],
  ])('%s', (_name, input, text) => {
    expect(parseWikitext(input).messages.map((m) => m.text)).toEqual([text]);
  });

  test('two signatures on one line are two comments; an autosign after a signature is not a third', () => {
    const r = parseWikitext(
      'First. [[User:A]] 07:41, 29 May 2024 (UTC) P.S. second. [[User:A]] 07:45, 29 May 2024 (UTC) <small>— Preceding unsigned comment added by [[User:A|A]] 07:50, 29 May 2024 (UTC)</small>',
    );
    expect(r.messages.map((m) => m.text)).toEqual(['First.', 'P.S. second.']);
    expect(r.skipped.empty).toBe(1);
  });

  test('a signature inside a quote template closes the comment', () => {
    const r = parseWikitext('Look at this:\n{{quote|Grants are slow. --[[User:A]] 07:41, 29 May 2024 (UTC)}}');
    expect(r.messages.map((m) => m.text)).toEqual(['Look at this:\nGrants are slow.']);
  });

  test('thread headings, nested, become theme hints', () => {
    const r = parseWikitext(`== Advocacy ==\n=== Press ===\nA. ${sig}\n== Diversity ==\nB. ${sig}`);
    expect(r.messages.map((m) => m.themeHints)).toEqual([['Advocacy', 'Press'], ['Diversity']]);
  });
});

describe('parseWikitext: what is not a message', () => {
  test('banners, {{outdent}} and bot notices are counted as system', () => {
    const r = parseWikitext(
      [
        '{{Talk header}}',
        '{{WikiProject X|class=B',
        '|importance=high}}',
        '== News ==',
        '{{Newsletter}} [[User:MediaWiki message delivery|MediaWiki message delivery]] 12:00, 1 June 2024 (UTC)',
        '== Bot ==',
        'Archived. [[User:ArchiveBot|ArchiveBot]] 12:00, 1 June 2024 (UTC)',
        '== Real ==',
        'A point. [[User:A]] 12:00, 1 June 2024 (UTC)',
        '{{od}}',
      ].join('\n'),
    );
    expect(r.messages.map((m) => m.text)).toEqual(['A point.']);
    expect(r.skipped.system).toBe(5);
  });

  test('unsigned lines left at a heading are reported, not imported', () => {
    const r = parseWikitext(`== A ==\nNobody signed this.\n:Nor this.\n== B ==\nSigned. [[User:A]] 07:41, 29 May 2024 (UTC)`);
    expect(r.messages.map((m) => m.text)).toEqual(['Signed.']);
    expect(r.warnings).toEqual([
      { code: 'unsigned_text', line: 2, message: expect.stringContaining('line 2: 2 lines without a signature') },
    ]);
  });

  test('a deeper reply in between does not take the waiting lines', () => {
    const r = parseWikitext(
      [
        ':Point one.',
        '::Reply. [[User:B]] 07:00, 29 May 2024 (UTC)',
        ':Point two. [[User:A]] 07:41, 29 May 2024 (UTC)',
      ].join('\n'),
    );
    expect(r.messages.map((m) => [m.participant, m.text, m.line])).toEqual([
      ['wiki:B', 'Reply.', 2],
      ['wiki:A', 'Point one.\nPoint two.', 1],
    ]);
  });

  test.each([
    ['empty file', ''],
    ['only whitespace', ' \n\n\t'],
    ['rendered page text, no signatures', '== Talk ==\nSome text by someone, 07:41, 29 May 2024 (UTC)'],
    ['a timestamp with no user link', 'Point. 07:41, 29 May 2024 (UTC)'],
  ])('unreadable: %s', (_name, input) => {
    expect(() => parseWikitext(input)).toThrowError(/no signed comments found/);
  });
});

describe('parseWikitext: never crashes', () => {
  const TOKENS = [
    '[[', ']]', '{{', '}}', '{{{', '|', '==', '= ', ':', '::', '*', '#', ';', '\n', '\n\n', ' ', "'''", "''",
    '(UTC)', '(CEST)', '(ت ع م)', '07:41, 29 May 2024', '29 mai 2024 à 07:41', '2024年5月29日 (水) 07:41',
    '18:45 Mar 10, 2003', '[[User:', '[[User talk:', '[[Special:Contributions/', '192.0.2.1', '2001:db8::1',
    '<!--', '-->', '<small>', '</small>', '<s>', '<ref>', '&#1114112;', '&#x110000;', '&#0;', '&nbsp;',
    '{{unsigned|', '{{ping|', '{|', '|}', '|-', '[http://x', '\u200F', '\uFEFF', '\r\n', '٠٧:٤١',
  ];
  const valid = FIXTURES.map(fixture);
  const mutated = fc
    .tuple(
      fc.constantFrom(...valid),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.constantFrom(...TOKENS, '')), { maxLength: 8 }),
    )
    .map(([text, edits]) =>
      edits.reduce((s, [pos, del, ins]) => {
        const at = s.length === 0 ? 0 : pos % s.length;
        return s.slice(0, at) + ins + s.slice(at + del);
      }, text),
    );
  const tokenSoup = fc.array(fc.constantFrom(...TOKENS, 'a', 'Ana', 'x y'), { maxLength: 60 }).map((t) => t.join(''));
  const input = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), tokenSoup, mutated);

  test('10,000 generated inputs: a result or an AppError, and every message is attributable', () => {
    fc.assert(
      fc.property(input, (text) => {
        let r: ParseResult;
        try {
          r = parseWikitext(text);
        } catch (e) {
          expect(e).toBeInstanceOf(AppError);
          return;
        }
        const keys = new Set(r.participants.map((p) => p.key));
        for (const m of r.messages) {
          expect(m.text.trim()).not.toBe('');
          expect(m.participant !== null && keys.has(m.participant)).toBe(true);
        }
      }),
      { numRuns: 10_000 },
    );
  });
});
