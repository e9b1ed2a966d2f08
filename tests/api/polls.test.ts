import { beforeAll, describe, expect, test } from 'vitest';
import { MemoryLimiter } from '../../src/polls/rate-limit';
import { ADMIN, FIXED_NOW, type TestEnv, issueToken, newConsultation, postJson, testEnv } from '../helpers';

type Who = 'nobody' | 'admin' | 'liaison' | 'liaison-other' | 'staff';

let t: TestEnv;
let slug: string;
let now = FIXED_NOW;
const tokens = new Map<Who, string | null>();

const CODE = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){6}$/;
const HOUR = 3_600_000;
const at = (offsetMs: number) => new Date(FIXED_NOW.getTime() + offsetMs).toISOString();

interface PollBody {
  id: string;
  source: string;
  state: string;
  options: string[];
  voterCodes?: number;
  results: { participants: number | null; options: { label: string; votes: number; percent: number | null }[]; text: string; note?: string } | null;
}

function token(who: Who): string | null {
  return tokens.get(who) ?? null;
}

async function createPoll(body: Record<string, unknown> = {}, who: Who = 'liaison', inSlug = slug): Promise<PollBody> {
  const res = await postJson(t, `/api/consultations/${inSlug}/polls`, { question: 'Which should come first?', options: ['Offline reading', 'Small grants', 'Translation sprints'], multiple: false, ...body }, token(who));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.poll as PollBody;
}

async function codesFor(pollId: string, count: number): Promise<string[]> {
  const res = await postJson(t, `/api/polls/${pollId}/voters`, { count }, token('liaison'));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.codes as string[];
}

/** A ballot from a client address of its own, so the wrong-code limiter of one test never touches another. */
async function vote(pollId: string, voter: string, choices: number[], ip = '192.0.2.10') {
  const res = await t.request(`/api/polls/${pollId}/ballots`, {
    method: 'POST',
    token: null,
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify({ voter, choices }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Record<string, unknown> };
}

async function results(pollId: string, who: Who = 'staff') {
  const res = await t.request(`/api/polls/${pollId}/results`, { token: token(who) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & NonNullable<PollBody['results']> };
}

async function getJson(path: string, who: Who) {
  const res = await t.request(path, { token: token(who) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

let ipCounter = 0;
function freshIp(): string {
  ipCounter++;
  return `198.51.100.${ipCounter}`;
}

beforeAll(async () => {
  t = await testEnv();
  t.ctx.clock = { now: () => now };
  slug = await newConsultation(t);
  const other = await newConsultation(t);
  tokens.set('nobody', null);
  tokens.set('admin', ADMIN);
  tokens.set('liaison', await issueToken(t, 'liaison', [slug]));
  tokens.set('liaison-other', await issueToken(t, 'liaison', [other]));
  tokens.set('staff', await issueToken(t, 'staff', [slug]));
});

describe('POST /api/consultations/:slug/polls', () => {
  test.each<{ who: Who; status: number }>([
    { who: 'admin', status: 201 },
    { who: 'liaison', status: 201 },
    { who: 'staff', status: 403 },
    { who: 'liaison-other', status: 404 },
    { who: 'nobody', status: 401 },
  ])('$who → $status', async ({ who, status }) => {
    const res = await postJson(t, `/api/consultations/${slug}/polls`, { question: 'Q?', options: ['A', 'B'], multiple: true }, token(who));
    expect(res.status).toBe(status);
    if (status === 201) {
      expect(res.body.poll).toMatchObject({ question: 'Q?', options: ['A', 'B'], multiple: true, maxChoices: null, source: 'native', state: 'open', resultsVisibility: 'always', consultation: slug });
    }
  });

  test('unknown consultation → 404', async () => {
    const res = await postJson(t, '/api/consultations/no-such-consultation/polls', { question: 'Q?', options: ['A', 'B'], multiple: false });
    expect(res.status).toBe(404);
  });

  test('keeps every setting it is given', async () => {
    const poll = await createPoll({ multiple: true, maxChoices: 2, theme: 'community-health', opensAt: '2026-11-21T12:00:00+02:00', closesAt: at(24 * HOUR), resultsVisibility: 'after_close' });
    expect(poll).toMatchObject({ multiple: true, maxChoices: 2, theme: 'community-health', opensAt: '2026-11-21T10:00:00.000Z', closesAt: at(24 * HOUR), resultsVisibility: 'after_close', state: 'open' });
  });

  test.each([
    { name: 'one option', body: { options: ['Only'] }, message: /at least two options/ },
    { name: 'an empty option', body: { options: ['A', '  '] }, message: /an option is empty/ },
    { name: 'the same option twice (case and spaces aside)', body: { options: ['Grants', ' grants '] }, message: /"grants ?" is listed twice|listed twice/ },
    { name: 'no question', body: { question: ' ' }, message: /question/ },
    { name: 'maxChoices on a single-choice poll', body: { maxChoices: 2 }, message: /single-choice poll takes one choice/ },
    { name: 'maxChoices above the number of options', body: { multiple: true, maxChoices: 4 }, message: /at most 3/ },
    { name: 'closesAt before opensAt', body: { opensAt: at(2 * HOUR), closesAt: at(HOUR) }, message: /closesAt: must be after opensAt/ },
    { name: 'a time without a zone', body: { closesAt: '2026-12-01T18:00:00' }, message: /closesAt: a date and time with a zone/ },
    { name: 'an unknown theme', body: { theme: 'not-a-theme' }, message: /theme: "not-a-theme" is not a theme of this consultation/ },
    { name: 'an unknown results setting', body: { resultsVisibility: 'never' }, message: /resultsVisibility/ },
  ])('400 for $name', async ({ body, message }) => {
    const res = await postJson(t, `/api/consultations/${slug}/polls`, { question: 'Q?', options: ['A', 'B', 'C'], multiple: false, ...body }, token('liaison'));
    expect(res.status).toBe(400);
    expect(String((res.body.error as { message: string }).message)).toMatch(message);
  });
});

describe('POST /api/polls/:id/voters', () => {
  test('liaison gets distinct printable codes, stored as SHA-256 only', async () => {
    const poll = await createPoll();
    const codes = await codesFor(poll.id, 50);
    expect(codes).toHaveLength(50);
    expect(new Set(codes).size).toBe(50);
    for (const c of codes) expect(c).toMatch(CODE);
    const rows = await t.client.execute({ sql: 'select code_hash from voter_codes where poll_id = ?', args: [poll.id] });
    expect(rows.rows).toHaveLength(50);
    const stored = rows.rows.map((r) => String(r.code_hash));
    for (const h of stored) expect(h).toMatch(/^[0-9a-f]{64}$/);
    const dump = JSON.stringify((await t.client.execute('select * from voter_codes')).rows) + JSON.stringify((await t.client.execute('select * from audit_log')).rows);
    for (const c of codes) {
      expect(dump).not.toContain(c);
      expect(dump).not.toContain(c.replace(/-/g, ''));
    }
    const view = await getJson(`/api/polls/${poll.id}`, 'liaison');
    expect((view.body.poll as PollBody).voterCodes).toBe(50);
  });

  test.each<{ name: string; who: Who; count: unknown; status: number }>([
    { name: 'staff may not issue codes', who: 'staff', count: 1, status: 403 },
    { name: 'a liaison of another consultation sees no poll', who: 'liaison-other', count: 1, status: 404 },
    { name: 'no token', who: 'nobody', count: 1, status: 401 },
    { name: 'zero codes', who: 'liaison', count: 0, status: 400 },
    { name: 'more than 10,000 codes', who: 'liaison', count: 10_001, status: 400 },
    { name: 'a fractional count', who: 'liaison', count: 1.5, status: 400 },
  ])('$name → $status', async ({ who, count, status }) => {
    const poll = await createPoll();
    const res = await postJson(t, `/api/polls/${poll.id}/voters`, { count }, token(who));
    expect(res.status).toBe(status);
  });

  test('the most codes at once: 10,000', async () => {
    const poll = await createPoll();
    const codes = await codesFor(poll.id, 10_000);
    expect(new Set(codes).size).toBe(10_000);
  });

  test('unknown poll → 404; closed poll → 409', async () => {
    expect((await postJson(t, '/api/polls/no-such-poll/voters', { count: 1 }, token('liaison'))).status).toBe(404);
    const closed = await createPoll({ closesAt: at(-HOUR) });
    const res = await postJson(t, `/api/polls/${closed.id}/voters`, { count: 1 }, token('liaison'));
    expect(res.status).toBe(409);
  });
});

describe('POST /api/polls/:id/ballots', () => {
  test('first ballot 201, a second with the same code replaces it 200, and the tally follows', async () => {
    const poll = await createPoll({ multiple: true });
    const [a, b] = await codesFor(poll.id, 2);
    expect((await vote(poll.id, a!, [0, 2])).status).toBe(201);
    expect((await vote(poll.id, b!, [0])).status).toBe(201);
    expect((await results(poll.id)).body.options.map((o) => o.votes)).toEqual([2, 0, 1]);
    const again = await vote(poll.id, a!, [1]);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ poll: poll.id, replaced: true });
    const r = (await results(poll.id)).body;
    expect(r.participants).toBe(2);
    expect(r.options.map((o) => o.votes)).toEqual([1, 1, 0]);
  });

  test('a code typed in lower case with spaces and O for 0 is the same code', async () => {
    const poll = await createPoll();
    const [code] = await codesFor(poll.id, 1);
    const typed = ` ${code!.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o')} `;
    expect((await vote(poll.id, typed, [1])).status).toBe(201);
    expect((await vote(poll.id, code!, [2])).status).toBe(200);
  });

  test.each([
    { name: 'no choice', choices: [], message: /choose at least one option/ },
    { name: 'out of range', choices: [3], message: /3 is not an option of this poll; options are numbered 0 to 2/ },
    { name: 'negative', choices: [-1], message: /-1 is not an option/ },
    { name: 'duplicate', choices: [1, 1], message: /listed twice/ },
    { name: 'two in a single-choice poll', choices: [0, 1], message: /takes one choice/ },
  ])('400 for choices: $name', async ({ choices, message }) => {
    const poll = await createPoll();
    const [code] = await codesFor(poll.id, 1);
    const res = await vote(poll.id, code!, choices, freshIp());
    expect(res.status).toBe(400);
    expect(String((res.body.error as { message: string }).message)).toMatch(message);
    expect((await results(poll.id)).body.participants).toBe(0);
  });

  test('400 for more than maxChoices', async () => {
    const poll = await createPoll({ multiple: true, maxChoices: 2 });
    const [code] = await codesFor(poll.id, 1);
    const res = await vote(poll.id, code!, [0, 1, 2], freshIp());
    expect(res.status).toBe(400);
    expect(String((res.body.error as { message: string }).message)).toMatch(/at most 2 options/);
  });

  test('400 for a body without choices', async () => {
    const poll = await createPoll();
    const res = await t.request(`/api/polls/${poll.id}/ballots`, { method: 'POST', token: null, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ voter: 'x' }) });
    expect(res.status).toBe(400);
  });

  test('403 with the same answer for a malformed code, a code of another poll and a made-up code', async () => {
    const poll = await createPoll();
    const other = await createPoll();
    await codesFor(poll.id, 3);
    const [foreign] = await codesFor(other.id, 1);
    const answers = new Set<string>();
    for (const code of ['not-a-code', foreign!, '0000-0000-0000-0000-0000-0000-0000']) {
      const res = await vote(poll.id, code, [0], freshIp());
      expect(res.status).toBe(403);
      answers.add(JSON.stringify(res.body));
    }
    expect(answers.size).toBe(1);
    expect([...answers][0]).toMatch(/not valid for this poll/);
  });

  test('404 for an unknown poll', async () => {
    expect((await vote('no-such-poll', 'K7QF-2M9X-4TRB-8JWN-D3HC-Q6PV-Z1EA', [0])).status).toBe(404);
  });

  test.each([
    { name: 'closed', settings: { closesAt: at(HOUR) }, later: 2 * HOUR, message: /closed at 2026-11-21T11:00:00.000Z; no more votes/ },
    { name: 'not open yet', settings: { opensAt: at(HOUR) }, later: 0, message: /opens at 2026-11-21T11:00:00.000Z/ },
  ])('409 when the poll is $name', async ({ settings, later, message }) => {
    const poll = await createPoll(settings);
    const [code] = await codesFor(poll.id, 1);
    now = new Date(FIXED_NOW.getTime() + later);
    try {
      const res = await vote(poll.id, code!, [0]);
      expect(res.status).toBe(409);
      expect(String((res.body.error as { message: string }).message)).toMatch(message);
    } finally {
      now = FIXED_NOW;
    }
  });

  test('a poll closes on time: open at 10:00, 409 once the clock passes closesAt', async () => {
    const poll = await createPoll({ closesAt: at(HOUR) });
    const [a, b] = await codesFor(poll.id, 2);
    expect((await vote(poll.id, a!, [0])).status).toBe(201);
    now = new Date(FIXED_NOW.getTime() + HOUR);
    try {
      expect((await vote(poll.id, b!, [0])).status).toBe(409);
    } finally {
      now = FIXED_NOW;
    }
  });

  test('409 for an imported poll', async () => {
    const res = await postJson(t, `/api/consultations/${slug}/surveys`, { question: 'Imported?', participants: 4, options: [{ label: 'Yes', votes: 3 }, { label: 'No', votes: 1 }], multiple: false }, token('liaison'));
    const id = (res.body.polls as PollBody[])[0]!.id;
    expect((await vote(id, 'K7QF-2M9X-4TRB-8JWN-D3HC-Q6PV-Z1EA', [0])).status).toBe(409);
    expect((await postJson(t, `/api/polls/${id}/voters`, { count: 1 }, token('liaison'))).status).toBe(409);
  });

  test('429 with retry-after after repeated wrong codes from one client; others and later tries go through', async () => {
    t.ctx.limiter = new MemoryLimiter({ maxFailures: 3, windowMs: 60_000, maxClients: 100 });
    try {
      const poll = await createPoll();
      const [good, other] = await codesFor(poll.id, 2);
      const ip = '203.0.113.9';
      for (let i = 0; i < 3; i++) expect((await vote(poll.id, `bad-${i}`, [0], ip)).status).toBe(403);
      const blocked = await vote(poll.id, good!, [0], ip);
      expect(blocked.status).toBe(429);
      expect(blocked.retryAfter).toBe('60');
      expect((blocked.body.error as { code: string }).code).toBe('rate_limited');
      // Behind a proxy, the last x-forwarded-for entry is the client; a spoofed first entry changes nothing.
      expect((await vote(poll.id, good!, [0], `10.9.9.9, ${ip}`)).status).toBe(429);
      expect((await vote(poll.id, other!, [0], '203.0.113.10')).status).toBe(201);
      now = new Date(FIXED_NOW.getTime() + 60_000);
      expect((await vote(poll.id, good!, [0], ip)).status).toBe(201);
    } finally {
      now = FIXED_NOW;
      t.ctx.limiter = undefined;
    }
  });

  test('cf-connecting-ip names the client on Cloudflare', async () => {
    t.ctx.limiter = new MemoryLimiter({ maxFailures: 1, windowMs: 60_000, maxClients: 100 });
    try {
      const poll = await createPoll();
      const send = (ip: string) =>
        t.request(`/api/polls/${poll.id}/ballots`, { method: 'POST', token: null, headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip, 'x-forwarded-for': '192.0.2.1' }, body: JSON.stringify({ voter: 'bad', choices: [0] }) });
      expect((await send('203.0.113.50')).status).toBe(403);
      expect((await send('203.0.113.50')).status).toBe(429);
      expect((await send('203.0.113.51')).status).toBe(403);
    } finally {
      t.ctx.limiter = undefined;
    }
  });

  test('the audit log says a ballot was cast or changed, never the choices or the code', async () => {
    const poll = await createPoll();
    const [code] = await codesFor(poll.id, 1);
    await vote(poll.id, code!, [2]);
    await vote(poll.id, code!, [1]);
    const rows = (await t.client.execute({ sql: "select actor, action, target, details from audit_log where action like 'ballot.%' and target = ?", args: [poll.id] })).rows;
    expect(rows.map((r) => ({ ...r }))).toEqual([
      { actor: 'voter', action: 'ballot.cast', target: poll.id, details: '{}' },
      { actor: 'voter', action: 'ballot.change', target: poll.id, details: '{}' },
    ]);
  });
});

describe('GET /api/polls/:id/results', () => {
  test("reproduces the liaison's example exactly: 37 participants, 31/17/9/4/2 → 84/46/24/11/5 %", async () => {
    const labels = ['Offline reading', 'Small grants', 'Translation sprints', 'Wiki Loves Africa', 'Other'];
    const poll = await createPoll({ options: labels, multiple: true });
    const codes = await codesFor(poll.id, 37);
    // 31 tick the first option, voters 20–36 the second (17), 0–8 the third (9), 9–12 the fourth (4), 13–14 the last (2).
    await Promise.all(
      codes.map((code, i) => {
        const choices = [i < 31 ? 0 : -1, i >= 20 ? 1 : -1, i < 9 ? 2 : -1, i >= 9 && i < 13 ? 3 : -1, i === 13 || i === 14 ? 4 : -1].filter((c) => c >= 0);
        return vote(poll.id, code, choices);
      }),
    );
    const r = await results(poll.id);
    expect(r.status).toBe(200);
    expect(r.body.participants).toBe(37);
    expect(r.body.options).toEqual([
      { label: 'Offline reading', votes: 31, percent: 84 },
      { label: 'Small grants', votes: 17, percent: 46 },
      { label: 'Translation sprints', votes: 9, percent: 24 },
      { label: 'Wiki Loves Africa', votes: 4, percent: 11 },
      { label: 'Other', votes: 2, percent: 5 },
    ]);
    expect(r.body.text.split('\n')).toEqual([
      '37 participants - 5 options - Multiple votes',
      '1- Offline reading (31 people - 84 %)',
      '2- Small grants (17 people - 46 %)',
      '3- Translation sprints (9 people - 24 %)',
      '4- Wiki Loves Africa (4 people - 11 %)',
      '5- Other (2 people - 5 %)',
    ]);
    // Tallies only: nothing in the answer says who voted what.
    expect(Object.keys(r.body).sort()).toEqual(['id', 'multiple', 'options', 'participants', 'question', 'source', 'state', 'text']);
  });

  test('a poll without ballots: 0 participants, 0 %', async () => {
    const poll = await createPoll();
    const r = await results(poll.id, 'nobody');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ participants: 0, options: [{ votes: 0, percent: 0 }, { votes: 0, percent: 0 }, { votes: 0, percent: 0 }] });
  });

  test.each<{ who: Who; beforeClose: number; afterClose: number }>([
    { who: 'nobody', beforeClose: 403, afterClose: 200 },
    { who: 'liaison-other', beforeClose: 403, afterClose: 200 },
    { who: 'staff', beforeClose: 200, afterClose: 200 },
    { who: 'liaison', beforeClose: 200, afterClose: 200 },
    { who: 'admin', beforeClose: 200, afterClose: 200 },
  ])('after_close results: $who sees $beforeClose before close, $afterClose after', async ({ who, beforeClose, afterClose }) => {
    const poll = await createPoll({ resultsVisibility: 'after_close', closesAt: at(HOUR) });
    const before = await results(poll.id, who);
    expect(before.status).toBe(beforeClose);
    if (beforeClose === 403) expect(String((before.body as { error?: { message: string } }).error?.message)).toMatch(/shown once it closes/);
    const view = await getJson(`/api/polls/${poll.id}`, who);
    expect(view.status).toBe(200);
    expect((view.body.poll as PollBody).results === null).toBe(beforeClose === 403);
    now = new Date(FIXED_NOW.getTime() + HOUR);
    try {
      expect((await results(poll.id, who)).status).toBe(afterClose);
    } finally {
      now = FIXED_NOW;
    }
  });

  test('404 for an unknown poll', async () => {
    expect((await results('no-such-poll')).status).toBe(404);
  });
});

describe('GET /api/polls/:id and GET /api/consultations/:slug/polls', () => {
  test.each<{ who: Who; status: number; voterCodes: boolean }>([
    { who: 'nobody', status: 200, voterCodes: false },
    { who: 'staff', status: 200, voterCodes: true },
    { who: 'liaison', status: 200, voterCodes: true },
    { who: 'liaison-other', status: 200, voterCodes: false },
  ])('a native poll is public to voters; only the consultation sees its code count ($who)', async ({ who, status, voterCodes }) => {
    const poll = await createPoll();
    await codesFor(poll.id, 2);
    const res = await getJson(`/api/polls/${poll.id}`, who);
    expect(res.status).toBe(status);
    expect((res.body.poll as PollBody).voterCodes).toBe(voterCodes ? 2 : undefined);
  });

  test('404 for an unknown poll', async () => {
    expect((await getJson('/api/polls/no-such-poll', 'admin')).status).toBe(404);
  });

  test('the list holds native and imported polls in one shape, with source and tallies', async () => {
    const own = await newConsultation(t);
    const native = await createPoll({}, 'admin', own);
    const [code] = (await postJson(t, `/api/polls/${native.id}/voters`, { count: 1 })).body.codes as string[];
    await vote(native.id, code!, [1]);
    const chat = [
      '12/03/2024, 14:05 - Amina Diallo: POLL:',
      'Which should come first?',
      'OPTION: Offline reading (5 votes)',
      'OPTION: Small grants (3 votes)',
      '',
      '12/03/2024, 14:07 - Kofi Mensah: Offline reading for schools matters most to us.',
      '',
    ].join('\n');
    const up = await t.request(`/api/consultations/${own}/uploads?format=whatsapp`, { method: 'POST', body: chat });
    expect(up.status).toBe(201);
    await postJson(t, `/api/consultations/${own}/surveys`, { question: 'Survey?', participants: 10, options: [{ label: 'A', votes: 7 }, { label: 'B', votes: 6 }], multiple: true });

    const list = await getJson(`/api/consultations/${own}/polls`, 'admin');
    expect(list.status).toBe(200);
    const polls = list.body.polls as PollBody[];
    expect(polls.map((p) => p.source).sort()).toEqual(['native', 'survey', 'whatsapp']);
    const keys = new Set(polls.map((p) => Object.keys(p).sort().join(',')));
    expect(keys.size).toBe(1);
    expect(polls.find((p) => p.source === 'native')?.results).toMatchObject({ participants: 1, options: [{ votes: 0 }, { votes: 1, percent: 100 }, { votes: 0 }] });
    // A WhatsApp export does not say how many people answered a (multiple-answer) poll: votes, no percentages.
    expect(polls.find((p) => p.source === 'whatsapp')?.results).toMatchObject({
      participants: null,
      options: [
        { label: 'Offline reading', votes: 5, percent: null },
        { label: 'Small grants', votes: 3, percent: null },
      ],
      note: expect.stringMatching(/not how many people voted/),
    });
    expect(polls.find((p) => p.source === 'survey')?.results?.text).toBe('10 participants - 2 options - Multiple votes\n1- A (7 people - 70 %)\n2- B (6 people - 60 %)');

    // Imported polls are the consultation's material: not shown to voters.
    const imported = polls.find((p) => p.source === 'whatsapp')!;
    expect((await getJson(`/api/polls/${imported.id}`, 'nobody')).status).toBe(404);
    expect((await getJson(`/api/polls/${imported.id}/results`, 'nobody')).status).toBe(404);
    expect((await getJson(`/api/polls/${imported.id}/results`, 'admin')).status).toBe(200);
  });

  test.each<{ who: Who; status: number }>([
    { who: 'staff', status: 200 },
    { who: 'liaison', status: 200 },
    { who: 'liaison-other', status: 404 },
    { who: 'nobody', status: 401 },
  ])('list: $who → $status', async ({ who, status }) => {
    expect((await getJson(`/api/consultations/${slug}/polls`, who)).status).toBe(status);
  });
});
