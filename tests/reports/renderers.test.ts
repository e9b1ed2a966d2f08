import { describe, expect, test } from 'vitest';
import { csvCell, csvLine, itemsCsv } from '../../src/reports/csv';
import { mdText, renderMarkdown } from '../../src/reports/markdown';
import type { ReportData } from '../../src/reports/types';
import { renderWikitext, wikiHeading, wikiText } from '../../src/reports/wikitext';

describe('wikiText keeps participant text literal', () => {
  test.each([
    ['plain text is left readable', 'Grants should reach small affiliates', 'Grants should reach small affiliates'],
    ['a template', 'Please {{delete}} this', '<nowiki>Please {{delete}} this</nowiki>'],
    ['a template parameter', 'x {{{1}}} y', '<nowiki>x {{{1}}} y</nowiki>'],
    ['an internal link', 'see [[Main Page]]', '<nowiki>see [[Main Page]]</nowiki>'],
    ['an external link', 'see [https://example.org here]', '<nowiki>see [https://example.org here]</nowiki>'],
    ['a bare URL', 'visit https://example.org now', '<nowiki>visit https://example.org now</nowiki>'],
    ['a table', '{| class="wikitable"\n|-\n| cell\n|}', '<nowiki>{| class="wikitable" |- | cell |}</nowiki>'],
    ['a signature', 'signed ~~~~', '<nowiki>signed ~~~~</nowiki>'],
    ['a heading', '== Heading ==', '<nowiki>== Heading ==</nowiki>'],
    ['a list at the start', '* item', '<nowiki>* item</nowiki>'],
    ['a numbered list at the start', '# item', '<nowiki># item</nowiki>'],
    ['a definition at the start', '; term : def', '<nowiki>; term : def</nowiki>'],
    ['a horizontal rule', '----', '<nowiki>----</nowiki>'],
    ['bold quotes', "'''bold'''", "<nowiki>'''bold'''</nowiki>"],
    ['a magic word', '__NOTOC__', '<nowiki>__NOTOC__</nowiki>'],
    ['an HTML tag', '<script>alert(1)</script>', '<nowiki>&lt;script&gt;alert(1)&lt;/script&gt;</nowiki>'],
    ['a closing nowiki cannot escape', 'a </nowiki>{{x}}', '<nowiki>a &lt;/nowiki&gt;{{x}}</nowiki>'],
    ['an entity', 'caf&eacute;', '<nowiki>caf&amp;eacute;</nowiki>'],
    ['a bare ampersand stays plain', 'Product & Technology', 'Product & Technology'],
    ['newlines join into one line', 'line one\n* line two', 'line one * line two'],
    ['a pipe', 'a | b', '<nowiki>a | b</nowiki>'],
    ['Arabic stays plain', 'المنح لا تصل إلى المجموعات الصغيرة', 'المنح لا تصل إلى المجموعات الصغيرة'],
    ['empty', '   ', ''],
  ])('%s', (_name, input, expected) => {
    expect(wikiText(input)).toBe(expected);
  });

  test('a heading with markup stays one heading', () => {
    expect(wikiHeading(3, 'A == B ==')).toBe('=== <nowiki>A == B ==</nowiki> ===');
  });
});

describe('mdText keeps participant text literal', () => {
  test.each([
    ['plain', 'Grants are late', 'Grants are late'],
    ['a heading', '# Title', '\\# Title'],
    ['a list', '- item', '\\- item'],
    ['a numbered list', '1. item', '1\\. item'],
    ['emphasis', '*a* _b_', '\\*a\\* \\_b\\_'],
    ['a link', '[x](https://example.org)', '\\[x\\](https&#58;//example.org)'],
    ['an image', '![x](y)', '\\!\\[x\\](y)'],
    ['raw HTML', '<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['an entity', '&lt;b&gt;', '&amp;lt;b&amp;gt;'],
    ['a code span', '`code`', '\\`code\\`'],
    ['newlines', 'one\n## two', 'one \\#\\# two'],
  ])('%s', (_name, input, expected) => {
    expect(mdText(input)).toBe(expected);
  });
});

describe('CSV cells', () => {
  test.each([
    ['plain', 'hello', 'hello'],
    ['a formula', '=1+1', "'=1+1"],
    ['a plus formula', '+SUM(A1)', "'+SUM(A1)"],
    ['a minus formula', '-2+3', "'-2+3"],
    ['an at formula', '@cmd', "'@cmd"],
    ['a tab first', '\t=1', "'\t=1"],
    ['a carriage return first', '\r=1', `"'\r=1"`],
    ['a full-width equals', '＝1+1', "'＝1+1"],
    ['a formula with a comma gets quoted too', '=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['a comma', 'a,b', '"a,b"'],
    ['a quote', 'say "hi"', '"say ""hi"""'],
    ['a newline', 'a\nb', '"a\nb"'],
    ['an equals later is fine', 'a=b', 'a=b'],
  ])('%s', (_name, input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  test.each([
    ['numbers stay numbers', [1, -2], '1,-2\r\n'],
    ['null and undefined are empty', [null, undefined, 'x'], ',,x\r\n'],
  ])('%s', (_name, cells, expected) => {
    expect(csvLine(cells)).toBe(expected);
  });

  test('an items file starts with a BOM and a header, themes joined', () => {
    const csv = itemsCsv([
      { id: 7, at: '2022-07-12T22:36:00', channel: 'WhatsApp', context: null, language: 'en', participant: 'P-ABC123', status: 'tagged', themes: [{ key: 'advocacy' }, { key: 'diversity' }], text: '=cmd|x' },
    ]);
    expect(csv).toBe('\ufeffid,at,channel,context,language,participant,status,themes,text\r\n7,2022-07-12T22:36:00,WhatsApp,,en,P-ABC123,tagged,advocacy; diversity,\'=cmd|x\r\n');
  });
});

const REPORT: ReportData = {
  consultation: { slug: 'arabic-2024', title: 'Arabic consultation', language: 'ar' },
  generatedAt: '2026-11-21T10:00:00.000Z',
  generator: 'extractive',
  participation: {
    items: 120,
    participants: 37,
    channels: [
      { value: 'WhatsApp group', items: 90 },
      { value: 'Interviews', items: 30 },
    ],
    contexts: [{ value: '1:1 individual interviews', items: 30 }],
    languages: [{ value: 'ar', items: 120 }],
  },
  themes: [
    {
      key: 'capacity-building',
      label: 'Capacity Building',
      items: 40,
      participants: 12,
      contexts: [
        { context: '1:1 individual interviews', items: 10, points: [{ text: 'Training for new editors', citations: [3, 9] }] },
        { context: 'Broad community input', items: 30, points: [{ text: '{{subst:evil}} more mentors', citations: [4] }] },
      ],
    },
    { key: 'advocacy', label: 'Advocacy', items: 1, participants: 1, contexts: [] },
  ],
  polls: [
    {
      id: 'p1',
      question: 'What should we fund first?',
      multiple: true,
      source: 'whatsapp',
      participants: 37,
      options: [
        { label: 'Offline reading', votes: 31, percent: 84 },
        { label: 'Training', votes: 12, percent: 32 },
      ],
      lines: ['37 participants - 2 options - Multiple votes', '1- Offline reading (31 people - 84 %)', '2- Training (12 people - 32 %)'],
    },
  ],
};

describe('the monthly report', () => {
  test('wikitext follows the liaison structure', () => {
    expect(renderWikitext(REPORT)).toBe(
      [
        '== Participation ==',
        '* Participants: 37',
        '* Items of feedback: 120',
        '',
        '=== Channels ===',
        '* WhatsApp group: 90',
        '* Interviews: 30',
        '',
        '=== Contexts ===',
        '* 1:1 individual interviews: 30',
        '',
        '== Key points per theme ==',
        '=== Capacity Building ===',
        "''40 items from 12 participants''",
        '==== 1:1 individual interviews ====',
        '* Training for new editors',
        '==== Broad community input ====',
        '* <nowiki>{{subst:evil}} more mentors</nowiki>',
        '',
        '=== Advocacy ===',
        "''1 item from 1 participant''",
        '* No feedback under this theme yet.',
        '',
        '== Polls ==',
        '=== What should we fund first? ===',
        '37 participants - 2 options - Multiple votes<br />',
        '1- Offline reading (31 people - 84 %)<br />',
        '2- Training (12 people - 32 %)',
        '',
        '<small>Generated 2026-11-21 from Arabic consultation (extractive key points).</small>',
        '',
      ].join('\n'),
    );
  });

  test('Markdown follows the same structure', () => {
    const md = renderMarkdown(REPORT);
    expect(md.split('\n').filter((l) => l.startsWith('#'))).toEqual([
      '# Arabic consultation',
      '## Participation',
      '### Channels',
      '### Contexts',
      '## Key points per theme',
      '### Capacity Building',
      '#### 1:1 individual interviews',
      '#### Broad community input',
      '### Advocacy',
      '## Polls',
      '### What should we fund first?',
    ]);
    expect(md).toContain('37 participants - 2 options - Multiple votes  \n1- Offline reading (31 people - 84 %)  \n2- Training (12 people - 32 %)');
    expect(md).toContain('- \\{\\{subst:evil\\}\\} more mentors');
  });

  test('a poll with hidden results says so', () => {
    const hidden = { ...REPORT, polls: [{ ...REPORT.polls[0], lines: [], options: [], participants: null } as ReportData['polls'][number]] };
    expect(renderWikitext(hidden)).toContain("''Results are hidden until the poll closes.''");
  });
});
