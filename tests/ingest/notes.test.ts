import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { AppError } from '../../src/errors';
import { parseNoteDate, parseNotes } from '../../src/ingest/notes';
import type { ParseResult } from '../../src/ingest/types';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/notes/${name}`, import.meta.url), 'utf8');
const expected = (name: string): ParseResult => JSON.parse(fixture(name.replace(/\.[^.]+$/, '.expected.json')));

const FIXTURES = ['notes-interviews-en.md', 'notes-fr-plain.txt', 'notes-ar.md', 'notes-context-lines.md'];

const texts = (r: ParseResult) => r.messages.map((m) => m.text);

describe('parseNotes: fixtures', () => {
  test.each(FIXTURES)('%s matches its expected result', (name) => {
    expect(parseNotes(fixture(name))).toEqual(expected(name));
  });
});

describe('parseNotes: who was interviewed', () => {
  test.each([
    ['English heading', '## Interview with Amina Yusuf\n- a', 'name:amina yusuf', 'Amina Yusuf'],
    ['role after a comma', '## Interview with Amina Yusuf, librarian, Kano\n- a', 'name:amina yusuf', 'Amina Yusuf'],
    ['date in brackets', '## Interview with Amina Yusuf (29 May 2024)\n- a', 'name:amina yusuf', 'Amina Yusuf'],
    ['1:1 with', '### 1:1 with Paulo Silva\n- a', 'name:paulo silva', 'Paulo Silva'],
    ['French', '## Entretien avec Marie Dubois\n- a', 'name:marie dubois', 'Marie Dubois'],
    ['Spanish', '## Entrevista con Lucía Ejemplo\n- a', 'name:lucía ejemplo', 'Lucía Ejemplo'],
    ['German', '## Gespräch mit Berta Beispiel\n- a', 'name:berta beispiel', 'Berta Beispiel'],
    ['Arabic', '## مقابلة مع ليلى حسن\n- a', 'name:ليلى حسن', 'ليلى حسن'],
    ['Japanese', '## 山田花子さんとのインタビュー\n・a', 'name:山田花子', '山田花子'],
    ['Japanese with a Latin name', '## Amina Yusufとのインタビュー\n- a', 'name:amina yusuf', 'Amina Yusuf'],
    ['Interviewee line', '## Notes\nInterviewee: Jane Example\n- a', 'name:jane example', 'Jane Example'],
    ['Participant line in bold', '**Participant:** Jane Example\n\n- a', 'name:jane example', 'Jane Example'],
    ['plain "Interview with" line', 'Interview with Jane Example\n\n- a', 'name:jane example', 'Jane Example'],
    ['setext heading', 'Interview with Jane Example\n===========================\n- a', 'name:jane example', 'Jane Example'],
    ['Interview: label that reads like a name', '## Interview: Jane Example\n- a', 'name:jane example', 'Jane Example'],
  ])('%s', (_name, input, key, name) => {
    const r = parseNotes(input);
    expect(r.messages[0]?.participant).toBe(key);
    expect(r.participants).toEqual([{ key, names: [name] }]);
  });

  test.each([
    ['group heading', '## Group discussion, Dakar\n- a', 'Group discussion, Dakar'],
    ['focus group in French', '## Atelier communautaire, Bouaké\n- a', 'Atelier communautaire, Bouaké'],
    ['meetup', '## Wikipedia Day meetup, Accra\n- a', 'Wikipedia Day meetup, Accra'],
  ])('%s: nobody in particular, the heading is the context', (_name, input, context) => {
    const r = parseNotes(input);
    expect(r.messages[0]).toMatchObject({ participant: null, context });
    expect(r.participants).toEqual([]);
  });

  test('"Interview: first impressions" is a theme, not a person', () => {
    const r = parseNotes('## Interview: first impressions\n- a');
    expect(r.messages[0]).toMatchObject({ participant: null, themeHints: ['Interview: first impressions'] });
  });

  test('the interviewee ends with the section', () => {
    const r = parseNotes('## Interview with Jane Example\n- a\n## Open questions\n- b');
    expect(r.messages.map((m) => m.participant)).toEqual(['name:jane example', null]);
  });
});

describe('parseNotes: context and dates', () => {
  test('a Context line holds until a heading at its section level or higher', () => {
    const r = parseNotes(
      [
        '# Day one',
        'Context: 1:1 individual interviews',
        '## Interview with A Person',
        '- a',
        '# Day two',
        '- b',
        '## Context: Group discussion',
        '### Table 1',
        '- c',
        '## Other',
        '- d',
      ].join('\n'),
    );
    expect(r.messages.map((m) => m.context)).toEqual(['1:1 individual interviews', undefined, 'Group discussion', undefined]);
  });

  test('a Context line overrides a group heading', () => {
    const r = parseNotes('## Community meeting, Accra\nContext: Broad community input\n- a');
    expect(r.messages[0]?.context).toBe('Broad community input');
  });

  test('Date lines date what follows, with the time when given', () => {
    const r = parseNotes('- before\nDate: 2024-05-29\n- after\n## Next\nDate: 29 May 2024 14:30\n- later');
    expect(r.messages.map((m) => m.at)).toEqual([null, '2024-05-29T00:00:00', '2024-05-29T14:30:00']);
  });

  test('an unreadable date is reported and ignored', () => {
    const r = parseNotes('Date: sometime in spring\n- a');
    expect(r.messages[0]?.at).toBeNull();
    expect(r.warnings).toEqual([{ code: 'unreadable_date', line: 1, message: "line 1: cannot read the date 'sometime in spring' — write it as 2024-05-29" }]);
  });

  test.each([
    ['ISO', '2024-05-29', '2024-05-29T00:00:00', false],
    ['day first, settled', '29/05/2024', '2024-05-29T00:00:00', false],
    ['month first, settled', '05/29/2024', '2024-05-29T00:00:00', false],
    ['either way: read day first', '05/06/2024', '2024-06-05T00:00:00', true],
    ['dotted', '29.05.24', '2024-05-29T00:00:00', false],
    ['English words', 'May 29, 2024', '2024-05-29T00:00:00', false],
    ['French words', '14 mars 2024', '2024-03-14T00:00:00', false],
    ['Arabic month and digits', '٢٩ مايو ٢٠٢٤', '2024-05-29T00:00:00', false],
    ['Japanese', '2024年5月29日', '2024-05-29T00:00:00', false],
    ['with time', '2024-05-28 at 14:30', '2024-05-28T14:30:00', false],
  ])('parseNoteDate: %s', (_name, raw, at, ambiguous) => {
    expect(parseNoteDate(raw)).toEqual({ at, ambiguous });
  });

  test.each([['30 February', '30.02.2024'], ['no date', 'next week'], ['year out of range', '1850-01-01']])(
    'parseNoteDate rejects %s',
    (_name, raw) => {
      expect(parseNoteDate(raw)).toBeNull();
    },
  );
});

describe('parseNotes: points', () => {
  test.each([
    ['each bullet marker', '## T\n- a\n* b\n+ c\n• d\n1. e\n2) f\n١. g\n・h\n– i', ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']],
    ['indented continuation belongs to the bullet', '- first line\n  second line\n- next', ['first line\nsecond line', 'next']],
    ['lazy continuation', '- wrapped\nhere\n- next', ['wrapped\nhere', 'next']],
    ['continuation after a blank line', '- a\n\n  more about a\n- b', ['a\n\nmore about a', 'b']],
    ['sub-bullets are their own items', '- parent point\n  - child one\n  - child two', ['parent point', 'child one', 'child two']],
    ['a bare label is not an item', '- Funding:\n  - slow\n  - costly', ['slow', 'costly']],
    ['paragraphs, in a section without bullets', '## T\nFirst paragraph\nwrapped.\n\nSecond paragraph.', ['First paragraph\nwrapped.', 'Second paragraph.']],
    ['markdown links and emphasis', '- **Very** slow, see [form](https://example.org/f) and `code`', ['Very slow, see form (https://example.org/f) and code']],
    ['task boxes', '- [ ] translate\n- [x] print', ['translate', 'print']],
    ['emails and phones stay for redaction', '- write to a@example.org or +44 20 7946 0123', ['write to a@example.org or +44 20 7946 0123']],
    ['blockquote marker', '## T\n> We need grants.', ['We need grants.']],
    ['horizontal rules are not points', '- a\n\n---\n\n- b\n* * *', ['a', 'b']],
  ])('%s', (_name, input, expectedTexts) => {
    expect(texts(parseNotes(input))).toEqual(expectedTexts);
  });

  test.each([
    ['ATX headings', '# Notes\n## Advocacy\n- a', ['Notes', 'Advocacy']],
    ['setext underline', 'Advocacy\n--------\n- a', ['Advocacy']],
    ['plain line ending with a colon', 'Advocacy:\n- a', ['Advocacy']],
    ['French spacing before the colon', 'Plaidoyer :\n\n- a', ['Plaidoyer']],
    ['bold line', '**Capacity Building**\n- a', ['Capacity Building']],
    ['short line straight above bullets', 'Resource Allocation\n- a', ['Resource Allocation']],
    ['label bullet, then the point', '- Funding:\n  - slow', ['Funding']],
    ['a parent that introduces its children', '- Offline packs for schools without data:\n  - USB sticks', ['Offline packs for schools without data']],
    ['inline label', '- Community Health: harassment goes unanswered', ['Community Health']],
    ['theme headings in any language', '## المناصرة\n- a', ['المناصرة']],
  ])('theme hints from %s', (_name, input, hints) => {
    expect(parseNotes(input).messages.at(-1)?.themeHints).toEqual(hints);
  });

  test('a parent that does not introduce its children is not their hint', () => {
    const r = parseNotes('## Advocacy\n- Media do not know us.\n  - radio especially');
    expect(r.messages.map((m) => m.themeHints)).toEqual([['Advocacy'], ['Advocacy']]);
  });

  test('paragraphs beside bullets are descriptions, reported', () => {
    const r = parseNotes('## Interview with Jane Example\nShe runs the club.\n\n- a');
    expect(texts(r)).toEqual(['a']);
    expect(r.warnings.map((w) => [w.code, w.line])).toEqual([['paragraph_not_imported', 2]]);
  });

  test('empty bullets are counted, not stored', () => {
    const r = parseNotes('- a\n-\n- b');
    expect(texts(r)).toEqual(['a', 'b']);
    expect(r.skipped.empty).toBe(1);
  });

  test('line numbers point at the bullet', () => {
    expect(parseNotes('# T\n\n- a\n\n- b').messages.map((m) => m.line)).toEqual([3, 5]);
  });

  test('CRLF, BOM and bidi marks are cleaned', () => {
    expect(texts(parseNotes('\uFEFF## T\r\n- \u200Fa\u00A0b\r\n'))).toEqual(['a b']);
  });

  test.each([
    ['empty file', ''],
    ['only whitespace', '  \n\t\n'],
    ['only headings', '# Interview with Jane Example\n## Advocacy\n**Partnerships**'],
    ['only metadata', 'Date: 2024-05-29\nInterviewee: Jane Example'],
    ['only empty bullets', '- \n-'],
  ])('unreadable: %s', (_name, input) => {
    expect(() => parseNotes(input)).toThrowError(/no points found: write each point as a bullet/);
  });
});

describe('parseNotes: never crashes', () => {
  const TOKENS = [
    '#', '## ', '### ', '- ', '  - ', '    * ', '1. ', '2) ', '• ', '٣. ', '・', '\n', '\n\n', '\t', '**', '__', ':', '：',
    'Interview with ', 'Entretien avec ', 'مقابلة مع ', 'とのインタビュー', 'Group discussion', 'Context: ', 'Date: ',
    'Interviewee: ', '2024-13-45', '31/31/2019', '29 May 2024', '---', '===', '> ', '[ ] ', '[x](', '`', '\u200F', '\uFEFF', '\r\n',
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
  const tokenSoup = fc.array(fc.constantFrom(...TOKENS, 'a', 'Ana', 'x y.'), { maxLength: 60 }).map((t) => t.join(''));
  const input = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), tokenSoup, mutated);

  test('10,000 generated inputs: a result or an AppError, and no empty points', () => {
    fc.assert(
      fc.property(input, (text) => {
        let r: ParseResult;
        try {
          r = parseNotes(text);
        } catch (e) {
          expect(e).toBeInstanceOf(AppError);
          return;
        }
        expect(r.messages.length).toBeGreaterThan(0);
        const keys = new Set(r.participants.map((p) => p.key));
        for (const m of r.messages) {
          expect(m.text.trim()).not.toBe('');
          expect(m.participant === null || keys.has(m.participant)).toBe(true);
        }
      }),
      { numRuns: 10_000 },
    );
  });
});
