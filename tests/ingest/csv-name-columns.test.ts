import { describe, expect, test } from 'vitest';
import { parseSurveyCsv, surveyColumnPlan } from '../../src/ingest/csv';
import { identityFromHeader, mentionsOwnName } from '../../src/ingest/csv-headers';

describe('identityFromHeader: headers that ask for the respondent’s name', () => {
  test.each([
    'Name',
    'Full Name *',
    'First and last name',
    'Name (if you want to be credited)',
    'Your organisation and your name',
    'Participant name',
    "Participant's name",
    'Name of the participant',
    'Contact person',
    'Respondent name',
    'Name and affiliation',
    'Name / Organisation',
    'Name, organisation',
    'Username on Wikipedia',
    'Wikipedia user name',
    'What is your Wikimedia username?',
    'Your name (optional)',
    'nom',
    'Prénom',
    'Nom complet',
    'Nom et prénom *',
    'Quel est votre nom ?',
    "Nom d'utilisateur sur Wikipédia",
    'Nom du participant',
    'Nombre',
    'Nombre completo',
    'Nombre y apellidos',
    '¿Cuál es tu nombre?',
    'Nombre de usuario en Wikipedia',
    'Usuario',
    'Qual é o seu nome?',
    'اسم',
    'الاسم',
    'ما اسمك؟',
    'اسم المستخدم في ويكيبيديا',
    '名前',
    '氏名',
    'ユーザー名',
    'ユーザー名（任意）',
  ])('"%s" is a name column', (header) => {
    expect(identityFromHeader(header)).toBe('name');
  });

  test.each([
    'Name one change you would make',
    'Name three topics you care about',
    'Can you name a tool you use?',
    'Name of your organisation',
    'Name (of your organisation)',
    'What is the name of your project?',
    'Which namespace do you edit?',
    'Company/organization name (optional)',
    'Organisation name',
    'Names of the tools you use',
    'Name of your user group',
    'Is your username public?',
    'Username policy: what do you think?',
    'Your organisation',
    'Contact',
    'Nombre de participants',
    'Nom de votre organisation',
    'Nombre de la organización',
    'اسم المنظمة',
    '団体名',
    'プロジェクト名',
  ])('"%s" is not an identity column', (header) => {
    expect(identityFromHeader(header)).toBeUndefined();
  });
});

describe('mentionsOwnName: the header half of the value-based safety net', () => {
  test.each([
    ["If you'd like to be credited, your name here", true],
    ['Who filled this in? Your name, if you like', true],
    ['Name one change you would make', false],
    ['What is the name of your project?', false],
    ['Name of the facilitator of your session', false],
    ['Which namespace do you edit?', false],
  ] as const)('"%s" → %s', (header, expected) => {
    expect(mentionsOwnName(header)).toBe(expected);
  });
});

const roles = (text: string): Record<string, string> =>
  Object.fromEntries(surveyColumnPlan(text).columns.map((c) => [c.header, c.role]));

function emitted(text: string): string[] {
  const result = parseSurveyCsv(text);
  return [...result.messages.map((m) => m.text), ...result.polls.flatMap((p) => [p.question, ...p.options.map((o) => o.label)])];
}

describe('parseSurveyCsv: name columns are never text or poll options', () => {
  const rows = (header: string, names: readonly string[]): string =>
    [
      `Timestamp,"${header}",What would you change?`,
      ...names.map((n, i) => `5/${i + 1}/2024 10:00:00,"${n}",Idea number ${i + 1} about small grants`),
    ].join('\n');

  test.each([
    ['repeated names under "First and last name" (was a poll)', 'First and last name', ['Selam Bekele', 'Selam Bekele', 'Selam Bekele', 'Yaw Boateng', 'Yaw Boateng']],
    ['names under "Name (if you want to be credited)"', 'Name (if you want to be credited)', ['Yaw Boateng', 'Ama Owusu', 'Kofi Ampofo', 'Esi Mensah']],
    ['organisation and name', 'Your organisation and your name', ['AfroCROWD, Kofi Ampofo', 'Wiki Loves Africa, Ama Owusu', 'Nobody, Esi Mensah', 'Selam Bekele']],
    ['a username', 'What is your Wikimedia username?', ['Ama Owusu (WMGH)', 'KofiEdits', 'Selam-B', 'Esi.M']],
    ['a Spanish question', '¿Cuál es tu nombre?', ['Lucía Pérez', 'Lucía Pérez', 'Mateo Ruiz', 'Mateo Ruiz']],
    ['the value safety net', "If you'd like to be credited, your name here", ['Yaw Boateng', 'Ama de Lima', 'Kofi Ampofo', 'Yaw Boateng']],
  ])('%s', (_name, header, names) => {
    const text = rows(header, names);
    expect(roles(text)[header]).toBe('identity');
    for (const out of emitted(text)) for (const n of names) expect(out).not.toContain(n);
    const result = parseSurveyCsv(text);
    expect(result.warnings.find((w) => w.code === 'identity_columns')?.message).toContain(header);
    expect(result.polls.map((p) => p.question)).not.toContain(header);
    expect(result.messages).toHaveLength(names.length);
  });

  test.each([
    ['a verb', 'Name one change you would make', ['More Local Events', 'Better Mobile Editing', 'Fewer Meetings', 'Local Grants']],
    ['a project', 'What is the name of your project?', ['Wiki Loves Monuments', 'Art And Feminism', 'Wiki Loves Africa', 'Open Maps Ghana']],
    ['an organisation', 'Name of your organisation', ['Wikimedia Ghana', 'AfroCROWD', 'Wikimedia Ghana', 'Igbo Wiki']],
    ['a namespace', 'Which namespace do you edit?', ['Main', 'Talk', 'Main', 'User', 'Main']],
    ['a name-looking answer to a question about others', 'Name of the facilitator of your session', ['Yaw Boateng', 'Yaw Boateng', 'Ama Owusu', 'Ama Owusu']],
  ])('%s stays what it was: its answers are imported', (_name, header, answers) => {
    const text = rows(header, answers);
    expect(roles(text)[header]).not.toBe('identity');
    const out = emitted(text).join('\n');
    for (const a of answers) expect(out).toContain(a);
  });

  test('a short-answer column asking for the respondent’s name keeps answers that are not names', () => {
    const text = rows("If you'd like to be credited, your name here", ['Rather not', 'no thanks', 'Maybe later', 'Not now']);
    expect(roles(text)["If you'd like to be credited, your name here"]).not.toBe('identity');
  });
});
