import { beforeAll, describe, expect, test } from 'vitest';
import { ADMIN, type TestEnv, issueToken, newConsultation, postJson, testEnv } from '../helpers';

type Who = 'nobody' | 'admin' | 'liaison' | 'liaison-other' | 'staff';

interface PollBody {
  id: string;
  question: string;
  source: string;
  multiple: boolean;
  options: string[];
  results: { participants: number | null; options: { label: string; votes: number; percent: number | null }[]; note?: string; text: string };
}

let t: TestEnv;
let slug: string;
const tokens = new Map<Who, string | null>();

/** Google Forms: a checkbox question joins answers with ", ", and one option itself holds a comma. */
const GOOGLE = [
  'Timestamp,Email address,Which activities should the movement fund? (select all that apply),How do you contribute?,What should change?',
  '2024/05/29 7:41:00 PM GMT+2,amina.k@example.org,"Training, Grants, small funds",Editing,More support for small language communities.',
  '2024/05/29 8:02:13 PM GMT+2,jonas.b@example.org,"Grants, small funds",Organising,Clearer decision making.',
  '2024/05/30 9:15:40 AM GMT+2,li.wei@example.org,Events,Editing,N/A',
  '2024/05/30 9:20:00 AM GMT+2,sara.m@example.org,"Training, Events",Translating,Faster grants.',
  '2024/05/31 10:00:00 AM GMT+2,omar.f@example.org,"Grants, small funds, Events",Editing,',
  '',
].join('\n');

const GOOGLE_OPTIONS = { 'Which activities should the movement fund? (select all that apply)': ['Training', 'Grants, small funds', 'Events'] };

/** LimeSurvey: one column per option of a multiple-choice question, Y when ticked. */
const LIMESURVEY = [
  '"Response ID","Date submitted","Which projects do you contribute to? [Wikipedia]","Which projects do you contribute to? [Wikidata]","Which projects do you contribute to? [Commons]"',
  '"1","2024-03-04 10:12:45","Y","","Y"',
  '"2","2024-03-04 11:00:02","Y","Y",""',
  '"3","2024-03-05 08:45:10","","Y",""',
  '"4","2024-03-05 09:45:10","Y","",""',
  '',
].join('\n');

function token(who: Who): string | null {
  return tokens.get(who) ?? null;
}

async function postCsv(csv: string, query = '', who: Who = 'liaison') {
  const res = await t.request(`/api/consultations/${slug}/surveys${query}`, { method: 'POST', token: token(who), headers: { 'content-type': 'text/csv' }, body: csv });
  return { status: res.status, body: (await res.json()) as { polls: PollBody[]; warnings: { code: string; message: string }[]; error?: { code: string; message: string } } };
}

beforeAll(async () => {
  t = await testEnv();
  slug = await newConsultation(t);
  const other = await newConsultation(t);
  tokens.set('nobody', null);
  tokens.set('admin', ADMIN);
  tokens.set('liaison', await issueToken(t, 'liaison', [slug]));
  tokens.set('liaison-other', await issueToken(t, 'liaison', [other]));
  tokens.set('staff', await issueToken(t, 'staff', [slug]));
});

describe('POST /api/consultations/:slug/surveys with tallies (JSON)', () => {
  test("stores a survey poll that reads like a native one: the liaison's 37-participant example", async () => {
    const body = {
      question: 'Which areas matter most?',
      participants: 37,
      multiple: true,
      theme: 'community-health',
      options: [
        { label: 'Offline reading', votes: 31 },
        { label: 'Small grants', votes: 17 },
        { label: 'Translation sprints', votes: 9 },
        { label: 'Wiki Loves Africa', votes: 4 },
        { label: 'Other', votes: 2 },
      ],
    };
    const res = await postJson(t, `/api/consultations/${slug}/surveys`, body, token('liaison'));
    expect(res.status).toBe(201);
    const [poll] = res.body.polls as PollBody[];
    expect(poll).toMatchObject({ source: 'survey', state: 'closed', multiple: true, theme: 'community-health', options: body.options.map((o) => o.label) });
    expect(poll!.results.participants).toBe(37);
    expect(poll!.results.options.map((o) => o.percent)).toEqual([84, 46, 24, 11, 5]);
    expect(poll!.results.text.split('\n')[0]).toBe('37 participants - 5 options - Multiple votes');
    const again = await t.request(`/api/polls/${poll!.id}/results`, { token: token('staff') });
    expect(((await again.json()) as { options: unknown[] }).options).toEqual(poll!.results.options);
  });

  test.each([
    {
      name: 'single choice without participants: one voter per vote',
      body: { question: 'Q', multiple: false, options: [{ label: 'Yes', votes: 3 }, { label: 'No', votes: 1 }] },
      participants: 4,
      percents: [75, 25],
      note: false,
    },
    {
      name: 'multiple choice without participants: unknown, no percentages, a note',
      body: { question: 'Q', multiple: true, participants: null, options: [{ label: 'A', votes: 3 }, { label: 'B', votes: 2 }] },
      participants: null,
      percents: [null, null],
      note: true,
    },
    {
      name: 'participants who skipped the question count in the base',
      body: { question: 'Q', multiple: false, participants: 10, options: [{ label: 'Yes', votes: 3 }, { label: 'No', votes: 2 }] },
      participants: 10,
      percents: [30, 20],
      note: false,
    },
  ])('$name', async ({ body, participants, percents, note }) => {
    const res = await postJson(t, `/api/consultations/${slug}/surveys`, body, token('liaison'));
    expect(res.status).toBe(201);
    const [poll] = res.body.polls as PollBody[];
    expect(poll!.results.participants).toBe(participants);
    expect(poll!.results.options.map((o) => o.percent)).toEqual(percents);
    expect(poll!.results.note !== undefined).toBe(note);
  });

  test.each([
    { name: 'single-choice votes above the participants', body: { participants: 3, multiple: false, options: [{ label: 'A', votes: 2 }, { label: 'B', votes: 2 }] }, message: /add up to 4, more than the 3 participants/ },
    { name: 'an option with more votes than participants', body: { participants: 3, multiple: true, options: [{ label: 'A', votes: 4 }] }, message: /options.0.votes: 4 votes but only 3 participants/ },
    { name: 'negative votes', body: { multiple: true, options: [{ label: 'A', votes: -1 }] }, message: /options.0.votes/ },
    { name: 'no options', body: { multiple: true, options: [] }, message: /at least one option/ },
    { name: 'the same option twice', body: { multiple: true, options: [{ label: 'A', votes: 1 }, { label: 'a', votes: 2 }] }, message: /"a" is listed twice/ },
    { name: 'no multiple flag', body: { options: [{ label: 'A', votes: 1 }] }, message: /multiple/ },
  ])('400 for $name', async ({ body, message }) => {
    const res = await postJson(t, `/api/consultations/${slug}/surveys`, { question: 'Q', ...body }, token('liaison'));
    expect(res.status).toBe(400);
    expect((res.body.error as { message: string }).message).toMatch(message);
  });

  test('400 for a body that is not JSON', async () => {
    const res = await t.request(`/api/consultations/${slug}/surveys`, { method: 'POST', token: token('liaison'), headers: { 'content-type': 'application/json' }, body: '{"question":' });
    expect(res.status).toBe(400);
  });

  test('phone numbers and e-mails typed into a question or option are scrubbed', async () => {
    const res = await postJson(t, `/api/consultations/${slug}/surveys`, { question: 'Ask lead.organiser@example.org?', multiple: false, options: [{ label: 'Call +44 20 7946 0123', votes: 1 }, { label: 'No', votes: 1 }] }, token('liaison'));
    expect(res.status).toBe(201);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('example.org');
    expect(text).not.toContain('7946');
  });

  test.each<{ who: Who; status: number }>([
    { who: 'admin', status: 201 },
    { who: 'staff', status: 403 },
    { who: 'liaison-other', status: 404 },
    { who: 'nobody', status: 401 },
  ])('$who → $status', async ({ who, status }) => {
    const res = await postJson(t, `/api/consultations/${slug}/surveys`, { question: 'Q', multiple: false, options: [{ label: 'A', votes: 1 }] }, token(who));
    expect(res.status).toBe(status);
  });
});

describe('POST /api/consultations/:slug/surveys with raw responses (CSV)', () => {
  test('Google Forms checkboxes split against the known options given as a hint', async () => {
    const res = await postCsv(GOOGLE, `?options=${encodeURIComponent(JSON.stringify(GOOGLE_OPTIONS))}`);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const byQuestion = new Map(res.body.polls.map((p) => [p.question, p]));
    const funds = byQuestion.get('Which activities should the movement fund? (select all that apply)');
    expect(funds).toMatchObject({ source: 'survey', multiple: true });
    expect(funds!.results.participants).toBe(5);
    expect(funds!.results.options.map((o) => [o.label, o.votes])).toEqual([
      ['Training', 2],
      ['Grants, small funds', 3],
      ['Events', 3],
    ]);
    const contribute = byQuestion.get('How do you contribute?');
    expect(contribute).toMatchObject({ multiple: false });
    expect(contribute!.results.participants).toBe(5);
    expect(contribute!.results.options.map((o) => [o.label, o.votes, o.percent])).toEqual([
      ['Editing', 3, 60],
      ['Organising', 1, 20],
      ['Translating', 1, 20],
    ]);
    // Free text and identities are not polls and are not stored by a survey import.
    expect(byQuestion.has('What should change?')).toBe(false);
    expect(JSON.stringify(res.body)).not.toContain('example.org');
  });

  test('the same CSV sent as a multipart file with the hint as a form field', async () => {
    const form = new FormData();
    form.set('file', new File([GOOGLE], 'responses.csv', { type: 'text/csv' }));
    form.set('options', JSON.stringify(GOOGLE_OPTIONS));
    const res = await t.request(`/api/consultations/${slug}/surveys`, { method: 'POST', token: token('liaison'), body: form });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { polls: PollBody[] };
    const funds = body.polls.find((p) => p.multiple);
    expect(funds!.results.options.map((o) => o.votes)).toEqual([2, 3, 3]);
  });

  test('LimeSurvey: one Y column per option becomes one multiple-choice poll', async () => {
    const res = await postCsv(LIMESURVEY);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const [poll] = res.body.polls;
    expect(poll).toMatchObject({ question: 'Which projects do you contribute to?', multiple: true, source: 'survey' });
    expect(poll!.results.participants).toBe(4);
    expect(poll!.results.options.map((o) => [o.label, o.votes, o.percent])).toEqual([
      ['Wikipedia', 3, 75],
      ['Wikidata', 2, 50],
      ['Commons', 1, 25],
    ]);
  });

  test('a CSV with no question to count → 422 saying what to do', async () => {
    const res = await postCsv('Timestamp,What should change?\n2024/05/29 7:41:00 PM GMT+2,More support for small language communities.\n2024/05/29 8:00:00 PM GMT+2,Clearer decisions about grants and who decides them.\n');
    expect(res.status).toBe(422);
    expect(res.body.error?.message).toMatch(/no choice or multi-select questions/);
  });

  test('an empty body → 400', async () => {
    expect((await postCsv('')).status).toBe(400);
  });

  test('an options hint that is not JSON → 400 with an example', async () => {
    const res = await postCsv(GOOGLE, '?options=Training,Events');
    expect(res.status).toBe(400);
    expect(res.body.error?.message).toMatch(/JSON object from column header/);
  });

  test('staff may not import → 403', async () => {
    expect((await postCsv(GOOGLE, '', 'staff')).status).toBe(403);
  });
});
