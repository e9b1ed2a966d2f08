import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { AppError } from '../../src/errors';
import { parseSurveyCsv, surveyColumnPlan } from '../../src/ingest/csv';
import { readTimeColumn } from '../../src/ingest/csv-dates';
import { commaSeparatesOptions, splitCommaColumn } from '../../src/ingest/csv-split';
import type { ParseResult } from '../../src/ingest/types';

const dir = new URL('../fixtures/csv/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, dir), 'utf8');
const withExpected = readdirSync(dir).filter((f) => f.endsWith('.expected.json')).map((f) => f.replace(/\.expected\.json$/, '.csv'));

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

function poll(result: ParseResult, question: string) {
  const p = result.polls.find((x) => x.question === question);
  if (!p) throw new Error(`no poll "${question}" in ${result.polls.map((x) => x.question).join(' | ')}`);
  return { options: Object.fromEntries(p.options.map((o) => [o.label, o.votes])), participants: p.participants, multiple: p.multiple };
}

describe('parseSurveyCsv: fixtures', () => {
  test('every flavour has a fixture with its expected result', () => {
    expect(withExpected).toEqual(
      expect.arrayContaining([
        'google-forms-checkbox-commas.csv',
        'ms-forms-semicolons.csv',
        'limesurvey-bom-01-columns.csv',
        'typeform-two-header-rows.csv',
        'generic-semicolon.csv',
        'multiline-crlf-quoted.csv',
      ]),
    );
  });

  test.each(withExpected)('%s gives the result beside it', (name) => {
    const expected: unknown = JSON.parse(read(name.replace(/\.csv$/, '.expected.json')));
    expect(parseSurveyCsv(read(name))).toEqual(expected);
  });

  test.each([
    ['google-forms-checkbox-commas.csv', 'google', 1],
    ['ms-forms-semicolons.csv', 'msforms', 1],
    ['limesurvey-bom-01-columns.csv', 'limesurvey', 1],
    ['typeform-two-header-rows.csv', 'typeform', 2],
    ['generic-semicolon.csv', 'generic', 1],
  ])('%s is read as %s with %i header row(s)', (name, flavour, headerRows) => {
    const plan = surveyColumnPlan(read(name));
    expect([plan.flavour, plan.headerRows]).toEqual([flavour, headerRows]);
  });
});

describe('parseSurveyCsv: identity columns are personal data', () => {
  const identityCells = (text: string): string[] => {
    const plan = surveyColumnPlan(text);
    const result = parseSurveyCsv(text);
    const keys = plan.columns.filter((c) => c.role === 'identity').map((c) => c.header);
    expect(keys.length).toBeGreaterThan(0);
    return result.participants.flatMap((p) => p.names);
  };

  test.each([
    'google-forms-checkbox-commas.csv',
    'ms-forms-semicolons.csv',
    'limesurvey-bom-01-columns.csv',
    'generic-semicolon.csv',
  ])('%s: no identity value appears in any message or poll option', (name) => {
    const text = read(name);
    const result = parseSurveyCsv(text);
    const names = identityCells(text);
    const emitted = [...result.messages.map((m) => m.text), ...result.polls.flatMap((p) => p.options.map((o) => o.label))];
    for (const value of names) {
      for (const e of emitted) expect(e.toLowerCase()).not.toContain(value.toLowerCase());
    }
  });

  test.each([
    ['header "Email address"', 'Timestamp,Email address,Why?\n2024/05/29 7:41:00 PM GMT+2,ana@example.org,Because\n', 'email:ana@example.org', ['ana@example.org']],
    ['French "Nom" and "Courriel"', 'Nom;Courriel;Commentaire\nAna Lima;ana@example.org;Merci\n', 'email:ana@example.org', ['Ana Lima', 'ana@example.org']],
    ['Japanese 名前', '名前,コメント\n山田花子,よろしくお願いします\n', 'name:山田花子', ['山田花子']],
    ['Arabic البريد الإلكتروني', 'البريد الإلكتروني,ملاحظات\nsara@example.org,شكرا جزيلا لكم\n', 'email:sara@example.org', ['sara@example.org']],
    ['a phone column', 'Phone,Comment\n+44 20 7946 0123,More meetups please\n', 'phone:+442079460123', ['+44 20 7946 0123']],
    ['emails under an unrelated header', 'Contact,Comment\nbo@example.org,Good work overall\n', 'email:bo@example.org', ['bo@example.org']],
    ['MS Forms "anonymous" is nobody', 'ID,Start time,Completion time,Email,Name,Q\n1,5/29/2024 19:38:10,5/29/2024 19:41:03,anonymous,,The survey was too long for mobile users.\n', 'row:2', []],
  ])('%s keys the respondent', (_name, text, key, names) => {
    const result = parseSurveyCsv(text);
    expect(result.messages[0]?.participant).toBe(key);
    expect(result.participants).toEqual([{ key, names }]);
    for (const n of names) expect(result.messages[0]?.text).not.toContain(n);
  });

  test('a question that mentions email is not an identity column', () => {
    const text = 'Timestamp,Would you like to receive news from the chapter by email every month?\n5/1/2024 10:00:00,Yes\n5/2/2024 10:00:00,No\n5/3/2024 10:00:00,Yes\n5/4/2024 10:00:00,Yes\n';
    expect(poll(parseSurveyCsv(text), 'Would you like to receive news from the chapter by email every month?').options).toEqual({ Yes: 3, No: 1 });
  });

  test('names like "N/A" or "-" key nobody: those respondents stay apart', () => {
    const result = parseSurveyCsv('Name,Idea\nN/A,Fund meetups in small towns\n-,Translate the policies first\n');
    expect(result.messages.map((m) => m.participant)).toEqual(['row:2', 'row:3']);
  });

  test('a Typeform checkbox option labelled "Email" is an option, not an identity column', () => {
    const text = [
      ',How should we contact you?,,,Anything else?,',
      '#,Email,Phone,Talk page,,Submit Date (UTC)',
      'a1,Email,,Talk page,Keep the survey short please,2024-06-03 09:07:55',
      'a2,,Phone,,More events in the evening would help,2024-06-03 10:19:30',
    ].join('\n');
    const result = parseSurveyCsv(text);
    expect(poll(result, 'How should we contact you?').options).toEqual({ Email: 1, Phone: 1, 'Talk page': 1 });
    expect(result.participants.map((p) => p.key)).toEqual(['row:3', 'row:4']);
  });

  test('an explicit textColumns entry cannot expose an identity column', () => {
    const result = parseSurveyCsv('Email,Idea\nana@example.org,Fund meetups\n', { textColumns: ['Email'] });
    expect(result.messages.map((m) => m.text)).toEqual(['Fund meetups']);
  });
});

describe('parseSurveyCsv: polls', () => {
  test('Google checkbox answers split against options inferred from single answers', () => {
    const result = parseSurveyCsv(read('google-forms-checkbox-commas.csv'));
    expect(poll(result, 'Which activities should the movement fund? (select all that apply)')).toEqual({
      options: { Training: 3, 'Grants, small funds': 3, Events: 4, 'Translation sprints': 2 },
      participants: 7,
      multiple: true,
    });
    expect(poll(result, 'How do you contribute?')).toEqual({
      options: { Editing: 4, Organising: 2, Translating: 2 },
      participants: 8,
      multiple: false,
    });
  });

  test('a given option list splits Google cells and turns unknown text into "Other"', () => {
    const q = 'Which activities should the movement fund? (select all that apply)';
    const text = [
      `Timestamp,${q}`,
      '2024/05/29 7:41:00 PM GMT+2,"Training, Grants, small funds"',
      '2024/05/29 8:41:00 PM GMT+2,"Events, A hackathon, in Lagos"',
      '2024/05/29 9:41:00 PM GMT+2,Training',
    ].join('\n');
    const result = parseSurveyCsv(text, { options: { [q]: ['Training', 'Grants, small funds', 'Events', 'Translation sprints'] } });
    expect(poll(result, q)).toEqual({
      options: { Training: 2, 'Grants, small funds': 1, Events: 1, 'Translation sprints': 0, Other: 1 },
      participants: 3,
      multiple: true,
    });
    expect(result.messages).toEqual([
      { participant: 'row:3', text: 'A hackathon, in Lagos', at: '2024-05-29T20:41:00', line: 3, question: `${q} [Other]` },
    ]);
  });

  test('a declared multi-select without single answers is split on ", " with a warning', () => {
    const text = 'Timestamp,Topics\n5/29/2024 19:41:00,"Safety, Funding"\n5/30/2024 19:41:00,"Funding, Tools"\n';
    const result = parseSurveyCsv(text, { multiSelect: ['Topics'] });
    expect(poll(result, 'Topics').options).toEqual({ Safety: 1, Funding: 2, Tools: 1 });
    expect(result.warnings.map((w) => w.code)).toContain('multi_split_guessed');
  });

  test('Microsoft Forms ";" answers, trailing ";" included', () => {
    expect(poll(parseSurveyCsv(read('ms-forms-semicolons.csv')), 'Which topics matter most to you?')).toEqual({
      options: { Diversity: 3, 'Capacity building': 3, 'Safety and inclusion': 2 },
      participants: 5,
      multiple: true,
    });
  });

  test('LimeSurvey 0/1 columns are one poll; its [Other] text counts as "Other"', () => {
    const result = parseSurveyCsv(read('limesurvey-bom-01-columns.csv'));
    expect(poll(result, 'Which projects do you contribute to?')).toEqual({
      options: { Wikipedia: 3, Wikidata: 2, 'Wiktionary, Wikisource and Wikibooks': 2, Commons: 1, Other: 1 },
      participants: 4,
      multiple: true,
    });
    expect(poll(result, 'How often do you edit?').options).toEqual({ A1: 2, Other: 1, A2: 1 });
  });

  test('LimeSurvey Y/"" columns are one poll', () => {
    const text = 'Response ID,Date submitted,Last page,Q [A],Q [B],Q [C]\n1,2024-01-01 10:00:00,2,Y,,Y\n2,2024-01-02 10:00:00,2,,,Y\n';
    expect(poll(parseSurveyCsv(text), 'Q')).toEqual({ options: { A: 1, B: 0, C: 2 }, participants: 2, multiple: true });
  });

  test('Typeform option columns holding their label are one poll; option nobody chose keeps 0', () => {
    const result = parseSurveyCsv(read('typeform-two-header-rows.csv'));
    expect(poll(result, 'Which tools do you use for organising?')).toEqual({
      options: { Etherpad: 1, 'Meta-Wiki': 2, Telegram: 2, Other: 1 },
      participants: 3,
      multiple: true,
    });
    expect(poll(result, 'How satisfied are you with the following? [Online calls]').options).toEqual({ Satisfied: 3, 'Not satisfied': 1 });
  });
});

describe('parseSurveyCsv: column roles', () => {
  const rows = (header: string, values: string[]) => [header, ...values.map((v) => (v.includes(',') ? `"${v}"` : v))].join('\n');

  test.each([
    [
      'a header asking for ideas, answered with repeated options, is a choice',
      rows('Which of these ideas do you support?', ['Mentoring', 'Mentoring', 'Hubs', 'Grants', 'Hubs', 'Mentoring', 'Grants', 'Hubs', 'Mentoring']),
      'choice',
    ],
    [
      'a comments column full of "No" keeps its one-off comments as text',
      rows('Any other comments?', ['No', 'No', 'No', 'No', 'No', 'No', 'No', 'The venue was too far from the station', 'Please share the slides', 'No']),
      'text',
    ],
    ['ages are numbers, not feedback', rows('Age', ['34', '27', '61', '45']), 'ignored'],
    ['a 1–5 rating is a choice', rows('Rating', ['4', '5', '4', '2']), 'choice'],
    ['one distinct code per row is an id', rows('Ref', ['P01', 'P02', 'P03', 'P04']), 'metadata'],
    ['few distinct short answers repeated are a choice', rows('Region', ['Africa', 'Asia', 'Africa', 'Europe', 'Oceania']), 'choice'],
    ['mostly distinct answers are text', rows('Organisation', ['Wikimedia Deutschland', 'Art+Feminism', 'Whose Knowledge?', 'Wiki Loves Africa']), 'text'],
  ])('%s', (_name, text, role) => {
    const plan = surveyColumnPlan(text);
    expect(plan.columns.map((c) => c.role)).toEqual([role]);
  });

  test('a title row above the header is skipped and reported', () => {
    const text = 'Consultation results May 2024,,\nTimestamp,Region,What should change?\n5/29/2024 19:41:00,Asia,More translation sprints for small languages\n';
    const result = parseSurveyCsv(text);
    expect(result.messages.map((m) => [m.line, m.text])).toEqual([[3, 'More translation sprints for small languages']]);
    expect(result.warnings.map((w) => w.code)).toContain('title_row_skipped');
  });

  test('Typeform with one header row: option columns holding their own label form one poll', () => {
    const text = [
      '#,Etherpad,Meta-Wiki,Telegram,Which region are you in?,Submit Date (UTC),Network ID',
      'a1,Etherpad,,Telegram,Europe,2024-06-03 09:07:55,n1',
      'a2,,Meta-Wiki,Telegram,Africa,2024-06-03 10:19:30,n2',
    ].join('\n');
    const result = parseSurveyCsv(text);
    expect(poll(result, 'Etherpad / Meta-Wiki / Telegram')).toEqual({
      options: { Etherpad: 1, 'Meta-Wiki': 1, Telegram: 2 },
      participants: 2,
      multiple: true,
    });
  });

  test('a given option list for a single choice: answers outside it count as "Other" and are kept as text', () => {
    const text = 'Region,Comment\nAfrica,Good\nCentral Asia,Fine\nAfrica,Ok\n';
    const result = parseSurveyCsv(text, { options: { Region: ['Africa', 'Asia', 'Europe'] } });
    expect(poll(result, 'Region')).toEqual({ options: { Africa: 2, Asia: 0, Europe: 0, Other: 1 }, participants: 3, multiple: false });
    expect(result.messages.filter((m) => m.question === 'Region [Other]').map((m) => m.text)).toEqual(['Central Asia']);
  });
});

describe('parseSurveyCsv: messages', () => {
  test('free text keeps its line breaks, trims ends, and takes the submit time', () => {
    const result = parseSurveyCsv(read('multiline-crlf-quoted.csv'));
    expect(result.messages.map((m) => [m.line, m.text])).toEqual([
      [2, 'The weekly "office hours" call.\nPeople actually show up.'],
      [2, 'Fewer mailing lists.\n\nOne place for announcements, please.'],
      [3, 'Small grants arrive on time'],
      [3, 'Meeting notes in more languages (French, Arabic, Swahili)'],
      [5, 'Mentors answer within a day'],
      [5, 'Line one\nLine two with a trailing space'],
    ]);
    expect(result.skipped.empty).toBe(2);
  });

  test('LimeSurvey responses without a submit date are counted, not imported', () => {
    const result = parseSurveyCsv(read('limesurvey-bom-01-columns.csv'));
    expect(result.warnings).toContainEqual({ code: 'unfinished_responses', message: '2 unfinished responses (empty "Date submitted") were not imported' });
    expect(new Set(result.messages.map((m) => m.line))).toEqual(new Set([2, 4, 7]));
  });

  test('textColumns overrides a column that looks like a choice', () => {
    const text = 'Region,Q\nEurope,a\nEurope,b\nAsia,c\nEurope,d\n';
    const plain = parseSurveyCsv(text);
    expect(plain.polls.map((p) => p.question)).toContain('Region');
    const forced = parseSurveyCsv(text, { textColumns: ['region'] });
    expect(forced.messages.filter((m) => m.question === 'Region').map((m) => m.text)).toEqual(['Europe', 'Europe', 'Asia', 'Europe']);
  });

  test('guessed free-text columns are reported so the user can override them', () => {
    const result = parseSurveyCsv(read('multiline-crlf-quoted.csv'));
    expect(result.warnings).toContainEqual({
      code: 'columns_guessed',
      message: 'treated "What needs to change?" as free text (written answers); pass textColumns to override',
    });
  });

  test.each([
    ['the survey import (default)', undefined, 'pass textColumns to override'],
    ['the upload endpoint', { textColumns: 'textColumn', multiSelect: 'multiSelect', options: null }, 'pass textColumn to override'],
  ] as const)('warnings name the hints as %s calls them', (_, hintNames, advice) => {
    const result = parseSurveyCsv(read('multiline-crlf-quoted.csv'), hintNames ? { hintNames } : {});
    expect(result.warnings).toContainEqual({ code: 'columns_guessed', message: `treated "What needs to change?" as free text (written answers); ${advice}` });
  });

  const HINTED = 'Region,Why?\nEurope,more training\nAsia,better tools\n';
  test.each([
    ['a text column', { textColumns: ['Nope'] }, 'textColumns "Nope" names no column of this file; its columns are "Region", "Why?"'],
    ['a multi-select column', { multiSelect: ['region', 'Missing'] }, 'multiSelect "Missing" names no column of this file; its columns are "Region", "Why?"'],
    ['an option list', { options: { Where: ['a'] } }, 'options "Where" names no column of this file; its columns are "Region", "Why?"'],
    [
      'two hints, named as the upload endpoint names them',
      { textColumns: ['x'], multiSelect: ['y'], hintNames: { textColumns: 'textColumn', multiSelect: 'multiSelect', options: null } },
      'textColumn "x", multiSelect "y" name no columns of this file; its columns are "Region", "Why?"',
    ],
  ])('a hint naming no column is refused, with the columns there are: %s', (_, opts, message) => {
    const err = thrown(() => parseSurveyCsv(HINTED, opts));
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'invalid_input', message });
  });

  test('"N/A", "-" and blanks are empty answers', () => {
    const result = parseSurveyCsv('Timestamp,Comments\n5/29/2024 19:41:00,N/A\n5/30/2024 19:41:00,-\n5/31/2024 19:41:00,\n6/1/2024 19:41:00,A real comment about training\n');
    expect(result.messages.map((m) => m.text)).toEqual(['A real comment about training']);
    expect(result.skipped.empty).toBe(3);
  });
});

describe('parseSurveyCsv: delimiters', () => {
  test.each([
    ['comma', ','],
    ['semicolon', ';'],
    ['tab', '\t'],
  ])('%s-separated file', (_name, d) => {
    const text = [`Name${d}Comment${d}Rating`, `Ana${d}"Needs more, and better; docs"${d}4`, `Bo${d}Fine as it is${d}5`].join('\n');
    const result = parseSurveyCsv(text);
    expect(result.messages.map((m) => m.text)).toEqual(['Needs more, and better; docs', 'Fine as it is']);
  });
});

describe('parseSurveyCsv: unreadable files', () => {
  test.each([
    ['an empty file', '', 'the file is empty'],
    ['only a BOM and blank lines', '\uFEFF\n\n  \n', 'the file is empty'],
    ['a header row only', 'Timestamp,Comment\n', 'line 1: there is a header row but no responses'],
    ['a first row of answers', '5/29/2024 19:41:00,42,ana@example.org\n5/30/2024 19:41:00,43,bo@example.org\n', 'line 1: the first row holds answers'],
    ['too many cells on a row, after a multi-line cell', read('ragged-extra-cells.csv'), 'line 4: this row has 5 cells but the header has 3'],
    ['an unterminated quote', read('unterminated-quote.csv'), 'line 3: a quoted cell is never closed'],
  ])('%s', (_name, text, message) => {
    const e = thrown(() => parseSurveyCsv(text));
    expect(e).toBeInstanceOf(AppError);
    expect(e instanceof AppError && e.code).toBe('unreadable_file');
    expect(e instanceof Error && e.message).toContain(message);
  });
});

describe('readTimeColumn', () => {
  test.each([
    ['Google download with GMT offset, 12h', ['2024/05/29 7:41:00 PM GMT+2'], false, ['2024-05-29T19:41:00']],
    ['midnight in 12h', ['2024/05/29 12:05:00 AM GMT-5'], false, ['2024-05-29T00:05:00']],
    ['US sheet: month first settled by a day > 12', ['5/29/2024 19:41:00', '6/1/2024 08:00:00'], false, ['2024-05-29T19:41:00', '2024-06-01T08:00:00']],
    ['UK sheet: day first settled by a day > 12', ['29/05/2024 19:41:00', '01/06/2024 08:00:00'], false, ['2024-05-29T19:41:00', '2024-06-01T08:00:00']],
    ['ambiguous: the part that changes more often is the day', ['5/3/2024 10:00', '5/4/2024 10:00', '5/9/2024 10:00'], false, ['2024-05-03T10:00:00', '2024-05-04T10:00:00', '2024-05-09T10:00:00']],
    ['two-digit year, dots', ['29.05.24 19:41'], false, ['2024-05-29T19:41:00']],
    ['ISO with seconds fraction', ['2021-09-24 11:39:34.123'], false, ['2021-09-24T11:39:34']],
    ['UTC column appends Z', ['2024-06-03 09:07:55'], true, ['2024-06-03T09:07:55Z']],
    ['unreadable and impossible dates are null', ['yesterday', '2024-02-30 10:00', ''], false, [null, null, null]],
  ])('%s', (_name, cells, utc, times) => {
    expect(readTimeColumn(cells, utc).times).toEqual(times);
  });

  test('nothing settles the order: day-first, flagged as a guess', () => {
    const col = readTimeColumn(['3/4/2024 10:00'], false);
    expect([col.times, col.order, col.orderGuessed]).toEqual([['2024-04-03T10:00:00'], 'dmy', true]);
  });
});

describe('comma-joined multi-select inference', () => {
  test.each([
    ['options seen alone', ['A', 'B', 'A, B'], true],
    ['a single choice whose options hold ", "', ['Yes, definitely', 'Yes, probably', 'No', 'No'], false],
    ['free text with commas', ['I think, overall, it is fine', 'Too long, honestly', 'Good'], false],
  ])('%s → %s', (_name, cells, expected) => {
    expect(commaSeparatesOptions(cells, 'Question')).toBe(expected);
  });

  test('an option containing ", " is kept whole when it recurs as a unit', () => {
    const split = splitCommaColumn(['Grants, small funds', 'Training', 'Grants, small funds, Training']);
    expect(split.picks.map((p) => p.map((x) => x.label))).toEqual([['Grants, small funds'], ['Training'], ['Grants, small funds', 'Training']]);
    expect(split.compound).toEqual(['Grants, small funds']);
  });
});
