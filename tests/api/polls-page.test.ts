/** The voting page /p/:pollId through app.request: the three steps, languages, messages, and escaping. */
import { beforeAll, describe, expect, test } from 'vitest';
import { MemoryLimiter } from '../../src/polls/rate-limit';
import { FIXED_NOW, type TestEnv, newConsultation, postJson, testEnv } from '../helpers';

let t: TestEnv;
let slug: string;
let now = FIXED_NOW;
const HOUR = 3_600_000;
const at = (offsetMs: number) => new Date(FIXED_NOW.getTime() + offsetMs).toISOString();

interface Poll {
  id: string;
}

async function createPoll(body: Record<string, unknown> = {}): Promise<Poll> {
  const res = await postJson(t, `/api/consultations/${slug}/polls`, { question: 'Which should come first?', options: ['Offline reading', 'Small grants', 'Events'], multiple: false, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.poll as Poll;
}

async function codes(pollId: string, count = 1): Promise<string[]> {
  return (await postJson(t, `/api/polls/${pollId}/voters`, { count })).body.codes as string[];
}

async function page(path: string, headers: Record<string, string> = {}) {
  const res = await t.app.request(path, { headers });
  return { status: res.status, html: await res.text(), headers: res.headers };
}

let ipCounter = 0;
/** Posts a step form as a browser would (urlencoded, repeated `choice` fields), from a client address of its own. */
async function post(pollId: string, fields: { step: string; code?: string; choice?: number[] }, lang = 'en', ip?: string) {
  const body = new URLSearchParams({ step: fields.step, code: fields.code ?? '' });
  for (const c of fields.choice ?? []) body.append('choice', String(c));
  ipCounter++;
  const res = await t.app.request(`/p/${pollId}?lang=${lang}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip ?? `198.51.100.${ipCounter}` },
  });
  return { status: res.status, html: await res.text(), headers: res.headers };
}

async function tally(pollId: string): Promise<number[]> {
  const res = await t.request(`/api/polls/${pollId}/results`);
  return ((await res.json()) as { options: { votes: number }[] }).options.map((o) => o.votes);
}

beforeAll(async () => {
  t = await testEnv();
  t.ctx.clock = { now: () => now };
  slug = await newConsultation(t);
});

describe('GET /p/:pollId', () => {
  test('the code form, server-rendered, posting back to the page; no script needed', async () => {
    const poll = await createPoll();
    const res = await page(`/p/${poll.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(res.html).toMatch(/<html lang="en" dir="ltr">/);
    expect(res.html).toContain(`<form method="post" action="/p/${poll.id}?lang=en">`);
    expect(res.html).toContain('name="code"');
    expect(res.html).toContain('<input type="hidden" name="step" value="code"/>');
    expect(res.html).toContain('Which should come first?');
    expect(res.html).toContain('name="viewport"');
    expect(res.html).not.toMatch(/<script/);
  });

  test.each<{ name: string; path: string; headers: Record<string, string>; html: RegExp; text: string }>([
    { name: '?lang=ar: Arabic, right to left', path: '?lang=ar', headers: {}, html: /<html lang="ar" dir="rtl">/, text: 'رمز التصويت الخاص بك' },
    { name: '?lang=fr', path: '?lang=fr', headers: {}, html: /<html lang="fr" dir="ltr">/, text: 'Votre code de vote' },
    { name: '?lang=ja', path: '?lang=ja', headers: {}, html: /<html lang="ja" dir="ltr">/, text: '投票コード' },
    { name: 'Accept-Language: ar-EG', path: '', headers: { 'accept-language': 'ar-EG,ar;q=0.9,en;q=0.5' }, html: /<html lang="ar" dir="rtl">/, text: 'التالي' },
    { name: 'Accept-Language: fr-CA', path: '', headers: { 'accept-language': 'fr-CA' }, html: /<html lang="fr"/, text: 'Suivant' },
    { name: '?lang= wins over Accept-Language', path: '?lang=ja', headers: { 'accept-language': 'fr' }, html: /<html lang="ja"/, text: '次へ' },
  ])('$name', async ({ path, headers, html, text }) => {
    const poll = await createPoll();
    const res = await page(`/p/${poll.id}${path}`, headers);
    expect(res.status).toBe(200);
    expect(res.html).toMatch(html);
    expect(res.html).toContain(text);
  });

  test.each([
    { name: 'closed', settings: { closesAt: at(HOUR) }, later: 2 * HOUR, text: 'This poll is closed.' },
    { name: 'not open yet', settings: { opensAt: at(HOUR) }, later: 0, text: 'This poll is not open for voting.' },
  ])('a $name poll says so and offers no code form', async ({ settings, later, text }) => {
    const poll = await createPoll(settings);
    now = new Date(FIXED_NOW.getTime() + later);
    try {
      const res = await page(`/p/${poll.id}`);
      expect(res.status).toBe(200);
      expect(res.html).toContain(text);
      expect(res.html).not.toContain('name="code"');
    } finally {
      now = FIXED_NOW;
    }
  });

  test('unknown poll → 404 page', async () => {
    const res = await page('/p/no-such-poll?lang=fr');
    expect(res.status).toBe(404);
    expect(res.html).toMatch(/<html lang="fr"/);
  });

  test('an imported poll has no voting page → 404', async () => {
    const res = await postJson(t, `/api/consultations/${slug}/surveys`, { question: 'Imported', multiple: false, options: [{ label: 'A', votes: 1 }] });
    const id = (res.body.polls as Poll[])[0]!.id;
    expect((await page(`/p/${id}`)).status).toBe(404);
  });

  test('results: shown for an "always" poll, "shown when the poll closes" for after_close', async () => {
    const always = await createPoll();
    expect((await page(`/p/${always.id}`)).html).toContain('0 participants - 3 options - Single vote');
    const later = await createPoll({ resultsVisibility: 'after_close', closesAt: at(HOUR) });
    const res = await page(`/p/${later.id}`);
    expect(res.html).toContain('Results are shown when the poll closes.');
    expect(res.html).not.toContain('participants - 3 options');
  });
});

describe('POST /p/:pollId: code → choose → confirm', () => {
  test('the whole flow records the vote; a second flow replaces it and says so', async () => {
    const poll = await createPoll({ multiple: true, maxChoices: 2 });
    const [code] = await codes(poll.id);

    const choose = await post(poll.id, { step: 'code', code: code! });
    expect(choose.status).toBe(200);
    expect(choose.html).toContain('<input type="hidden" name="step" value="choose"/>');
    expect(choose.html).toContain('type="checkbox" name="choice" value="0"');
    expect(choose.html).toContain('Choose up to 2 options.');
    expect(choose.html).not.toContain('You have voted in this poll already');

    const confirm = await post(poll.id, { step: 'choose', code: code!, choice: [2, 0] });
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain('Check your vote');
    expect(confirm.html).toContain('<b>Offline reading</b>');
    expect(confirm.html).toContain('<b>Events</b>');
    expect(confirm.html).not.toContain('<b>Small grants</b>');
    expect(confirm.html).toContain('<input type="hidden" name="step" value="confirm"/>');
    expect(await tally(poll.id)).toEqual([0, 0, 0]);

    const done = await post(poll.id, { step: 'confirm', code: code!, choice: [0, 2] });
    expect(done.status).toBe(200);
    expect(done.html).toContain('Thank you, your vote is counted.');
    expect(done.html).not.toContain('Your earlier vote was replaced.');
    expect(done.html).toContain('1 participants - 3 options - Multiple votes');
    expect(await tally(poll.id)).toEqual([1, 0, 1]);

    const again = await post(poll.id, { step: 'code', code: code!.toLowerCase() });
    expect(again.html).toContain('You have voted in this poll already');
    const replaced = await post(poll.id, { step: 'confirm', code: code!, choice: [1] }, 'ar');
    expect(replaced.status).toBe(200);
    expect(replaced.html).toMatch(/<html lang="ar" dir="rtl">/);
    expect(replaced.html).toContain('شكرًا، تم احتساب صوتك.');
    expect(replaced.html).toContain('تم استبدال تصويتك السابق.');
    expect(await tally(poll.id)).toEqual([0, 1, 0]);
  });

  test('a single-choice poll offers radio buttons', async () => {
    const poll = await createPoll();
    const [code] = await codes(poll.id);
    const res = await post(poll.id, { step: 'code', code: code! });
    expect(res.html).toContain('type="radio" name="choice" value="1"');
    expect(res.html).toContain('Choose one option.');
  });

  test('"change my choice" goes back to the choices with them still ticked', async () => {
    const poll = await createPoll({ multiple: true });
    const [code] = await codes(poll.id);
    const back = await post(poll.id, { step: 'code', code: code!, choice: [1] });
    expect(back.html).toContain('type="checkbox" name="choice" value="1" checked=""');
    expect(back.html).not.toContain('value="0" checked=""');
  });

  test.each([
    { name: 'a wrong code', code: 'K7QF-2M9X-4TRB-8JWN-D3HC-Q6PV-Z1EA' },
    { name: 'a malformed code', code: 'hello' },
  ])('$name → 403 with a clear message and the code form again', async ({ code }) => {
    const poll = await createPoll();
    await codes(poll.id);
    const res = await post(poll.id, { step: 'code', code }, 'fr');
    expect(res.status).toBe(403);
    expect(res.html).toContain('Ce code de vote n’est pas valide pour ce sondage.');
    expect(res.html).toContain('name="code"');
    expect(res.html).toContain(`value="${code}"`);
  });

  test.each([
    { name: 'nothing chosen (single)', settings: {}, choice: [], status: 400, text: 'Choose one option.' },
    { name: 'two in a single-choice poll', settings: {}, choice: [0, 1], status: 400, text: 'Choose one option.' },
    { name: 'nothing chosen (multiple)', settings: { multiple: true }, choice: [], status: 400, text: 'Choose one or more options.' },
    { name: 'more than the maximum', settings: { multiple: true, maxChoices: 2 }, choice: [0, 1, 2], status: 400, text: 'Choose up to 2 options.' },
    { name: 'a tampered option number', settings: { multiple: true }, choice: [7], status: 400, text: 'Please choose again from the options shown.' },
  ])('$name → $status, back to the choices with a message', async ({ settings, choice, status, text }) => {
    const poll = await createPoll(settings);
    const [code] = await codes(poll.id);
    const res = await post(poll.id, { step: 'choose', code: code!, choice });
    expect(res.status).toBe(status);
    expect(res.html).toContain(text);
    expect(res.html).toContain('<input type="hidden" name="step" value="choose"/>');
  });

  test('voting after the poll closed → 409 and "This poll is closed."', async () => {
    const poll = await createPoll({ closesAt: at(HOUR) });
    const [code] = await codes(poll.id);
    now = new Date(FIXED_NOW.getTime() + 2 * HOUR);
    try {
      const res = await post(poll.id, { step: 'confirm', code: code!, choice: [0] }, 'ja');
      expect(res.status).toBe(409);
      expect(res.html).toContain('この投票は締め切られました。');
      expect(res.html).not.toContain('name="code"');
    } finally {
      now = FIXED_NOW;
    }
  });

  test('repeated wrong codes → 429 page with retry-after', async () => {
    t.ctx.limiter = new MemoryLimiter({ maxFailures: 2, windowMs: 120_000, maxClients: 100 });
    try {
      const poll = await createPoll();
      const ip = '203.0.113.77';
      expect((await post(poll.id, { step: 'code', code: 'bad-1' }, 'en', ip)).status).toBe(403);
      expect((await post(poll.id, { step: 'code', code: 'bad-2' }, 'en', ip)).status).toBe(403);
      const res = await post(poll.id, { step: 'code', code: 'bad-3' }, 'en', ip);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('120');
      expect(res.html).toContain('Please try again in 2 minutes.');
    } finally {
      t.ctx.limiter = undefined;
    }
  });

  test('a form posted from another site is refused', async () => {
    const poll = await createPoll();
    const [code] = await codes(poll.id);
    const res = await t.app.request(`/p/${poll.id}`, {
      method: 'POST',
      body: new URLSearchParams({ step: 'confirm', code: code!, choice: '0' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', host: 'localhost' },
    });
    expect(res.status).toBe(403);
    expect(await tally(poll.id)).toEqual([0, 0, 0]);
  });
});

describe('nothing a participant wrote can run as script', () => {
  test('question and options with markup are shown as text on every step', async () => {
    const question = 'Which <script>alert("q")</script> first?';
    const options = ['<img src=x onerror=alert(1)>', '"><svg onload=alert(2)>', 'Plain & simple'];
    const poll = await createPoll({ question, options, multiple: true });
    const [code] = await codes(poll.id);
    const steps = [
      await page(`/p/${poll.id}`),
      await post(poll.id, { step: 'code', code: code! }),
      await post(poll.id, { step: 'choose', code: code!, choice: [0, 1] }),
      await post(poll.id, { step: 'confirm', code: code!, choice: [0, 1] }),
      await post(poll.id, { step: 'code', code: '"><script>alert(3)</script>' }),
    ];
    for (const s of steps) {
      expect(s.html).not.toMatch(/<script/i);
      expect(s.html).not.toMatch(/<img|<svg/i);
      expect(s.html).not.toMatch(/"><svg|onload=alert\(2\)>"/);
    }
    expect(steps[0]!.html).toContain('Which &lt;script&gt;alert(&quot;q&quot;)&lt;/script&gt; first?');
    expect(steps[2]!.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(steps[0]!.html).toContain('Plain &amp; simple');
    expect(steps[4]!.html).toContain('value="&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;"');
  });
});
