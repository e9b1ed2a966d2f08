import { describe, expect, test } from 'vitest';
import { PAGE_CSP } from '../../src/pages/layout';
import { type TestEnv, newConsultation, postJson, testEnv } from '../helpers';
import { ORIGIN, pageClient } from './page-client';

/** A synthetic WhatsApp export whose messages carry script payloads. */
const PAYLOAD_CHAT = [
  '12/07/2022, 22:36 - Laila Mansour: Small affiliates never see the grants <script>alert("x")</script>',
  '13/07/2022, 08:01 - Tomás Ferreira: We need training for new editors <img src=x onerror=alert(1)>',
  '13/07/2022, 09:15 - Tomás Ferreira: Harassment on talk pages keeps women away [[javascript:alert(2)]] =HYPERLINK("http://example.org")',
].join('\n');

async function seeded(chat = PAYLOAD_CHAT) {
  const t = await testEnv();
  const slug = await newConsultation(t);
  const res = await t.request(`/api/consultations/${slug}/uploads?channel=WhatsApp%20group`, { method: 'POST', body: chat });
  expect(res.status).toBe(201);
  await t.idle();
  return { t, slug };
}

async function token(t: TestEnv, role: 'liaison' | 'staff', consultations: string[]): Promise<string> {
  const { status, body } = await postJson(t, '/api/tokens', { role, consultations });
  expect(status).toBe(201);
  return String(body.token);
}

async function signedIn(t: TestEnv, tok?: string) {
  const b = pageClient(t);
  await b.signIn(tok);
  return b;
}

/** The page with its inline stylesheet cut out, so assertions look at markup only. */
async function html(res: Response): Promise<string> {
  return (await res.text()).replace(/<style>[\s\S]*?<\/style>/, '');
}

function expectInert(body: string) {
  expect(body).not.toMatch(/<script>alert/i);
  expect(body).not.toMatch(/<img src=x/i);
  expect(body).not.toMatch(/href="javascript:/i);
  expect(body).not.toMatch(/<script(?! src="\/assets\/upload\.js")/i);
}

describe('pages', () => {
  test('every page carries the strict CSP and no external asset', async () => {
    const { t, slug } = await seeded();
    const b = await signedIn(t);
    const items = await t.ctx.store.listItems({ consultationId: (await t.ctx.store.findConsultation(slug))?.id ?? '', limit: 1 });
    const paths = ['/', `/c/${slug}`, `/c/${slug}/items`, `/c/${slug}/items/${items[0]?.id}`, `/c/${slug}/themes/capacity-building`, `/c/${slug}/upload`, '/docs', '/signin'];
    for (const path of paths) {
      const res = await b.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(res.headers.get('content-security-policy')).toBe(PAGE_CSP);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      const body = await html(res);
      expect(body).toMatch(/^<!DOCTYPE html><html lang="en" dir="ltr">/);
      expect(body).not.toMatch(/(src|href)="(https?:)?\/\//);
      expectInert(body);
    }
    expect(PAGE_CSP).toMatch(/default-src 'none'/);
    expect(PAGE_CSP).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  test('the consultations page lists only what the user may see', async () => {
    const t = await testEnv();
    const mine = await newConsultation(t);
    const other = await newConsultation(t);
    const b = await signedIn(t, await token(t, 'liaison', [mine]));
    const body = await html(await b.get('/'));
    expect(body).toContain(`href="/c/${mine}"`);
    expect(body).not.toContain(other);
  });

  test('the dashboard shows the counters, per-theme bars and breakdowns, with feedback escaped', async () => {
    const { t, slug } = await seeded();
    const b = await signedIn(t);
    const res = await b.get(`/c/${slug}`);
    const body = await html(res);
    expect(body).toContain('<b data-value="3">3</b>');
    expect(body).toMatch(/id="stat-participants"><span>[^<]+<\/span><b data-value="2">/);
    expect(body).toMatch(/<svg[^>]+role="img"/);
    expect(body).toContain('<td>WhatsApp group</td><td class="n">3</td>');
    expect(body).toContain('id="timeline"');
    expect(body).toMatch(/data-theme="capacity-building"><td><a href="\/c\/[^"]+\/themes\/capacity-building">Capacity Building<\/a><\/td><td class="n">1<\/td>/);
    expect(body).toContain(`href="/api/consultations/${slug}/report.wiki"`);
  });

  test('the dashboard shows polls with their tallies', async () => {
    const { t, slug } = await seeded();
    const created = await postJson(t, `/api/consultations/${slug}/surveys`, {
      question: 'What should we fund first?',
      participants: 37,
      multiple: true,
      options: [
        { label: 'Offline reading', votes: 31 },
        { label: 'Training <b>now</b>', votes: 12 },
      ],
    });
    expect(created.status).toBe(201);
    const b = await signedIn(t);
    const body = await html(await b.get(`/c/${slug}`));
    expect(body).toContain('What should we fund first?');
    expect(body).toContain('37 participants - 2 options - Multiple votes');
    expect(body).toContain('Offline reading (31 - 84 %)');
    expect(body).toContain('Training &lt;b&gt;now&lt;/b&gt;');
  });

  test.each([
    ['ar', 'rtl', 'لوحة المعلومات'],
    ['fr', 'ltr', 'Tableau de bord'],
    ['ja', 'ltr', 'ダッシュボード'],
  ])('?lang=%s renders %s and is remembered', async (lang, direction, word) => {
    const { t, slug } = await seeded();
    const b = await signedIn(t);
    const first = await b.get(`/c/${slug}?lang=${lang}`);
    const body = await html(first);
    expect(body).toContain(`<html lang="${lang}" dir="${direction}">`);
    expect(body).toContain(word);
    const again = await html(await b.get(`/c/${slug}`));
    expect(again).toContain(`<html lang="${lang}" dir="${direction}">`);
  });

  test('Accept-Language picks the language when nothing else does', async () => {
    const t = await testEnv();
    const res = await t.app.request(`${ORIGIN}/signin`, { headers: { 'accept-language': 'ar-EG,ar;q=0.9' } });
    expect(await html(res)).toContain('<html lang="ar" dir="rtl">');
  });

  test('review: filters narrow the list and the undecided queue is linked', async () => {
    const { t, slug } = await seeded();
    const b = await signedIn(t);
    const all = await html(await b.get(`/c/${slug}/items`));
    expect(all.match(/class="item"/g)?.length).toBe(3);
    expect(all).toContain('Undecided queue (0)');
    const filtered = await html(await b.get(`/c/${slug}/items?q=${encodeURIComponent('Harassment')}`));
    expect(filtered.match(/class="item"/g)?.length).toBe(1);
    const byTheme = await html(await b.get(`/c/${slug}/items?theme=capacity-building`));
    expect(byTheme.match(/class="item"/g)?.length).toBe(1);
    expect(byTheme).toContain('We need training');
    const none = await html(await b.get(`/c/${slug}/items?status=undecided`));
    expect(none).toContain('No items match.');
  });

  test('review: a retag replaces the themes and moves the dashboard counters', async () => {
    const { t, slug } = await seeded();
    const b = await signedIn(t);
    const list = await html(await b.get(`/c/${slug}/items?q=Harassment`));
    const id = /data-item="(\d+)"/.exec(list)?.[1];
    const res = await b.post(`/c/${slug}/items/${id}/themes`, { _csrf: b.csrfOf(list), themes: 'advocacy', back: `/c/${slug}/items?q=Harassment` });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/c/${slug}/items?q=Harassment#item-${id}`);
    const after = await html(await b.get(res.headers.get('location') ?? '/'));
    expect(after).toContain('Themes saved.');
    expect(after).toMatch(/value="advocacy" checked=""/);
    const dash = await html(await b.get(`/c/${slug}`));
    expect(dash).toMatch(/data-theme="advocacy"><td><a [^>]+>Advocacy<\/a><\/td><td class="n">1<\/td>/);
  });

  test('review: a retag without the CSRF token is refused and changes nothing', async () => {
    const { t, slug } = await seeded();
    const b = await signedIn(t);
    const list = await html(await b.get(`/c/${slug}/items?q=Harassment`));
    const id = /data-item="(\d+)"/.exec(list)?.[1];
    const res = await b.post(`/c/${slug}/items/${id}/themes`, { themes: 'advocacy' });
    expect(res.status).toBe(403);
    expect(await html(res)).toContain('This form has expired');
    const dash = await html(await b.get(`/c/${slug}`));
    expect(dash).toMatch(/data-theme="advocacy"><td><a [^>]+>Advocacy<\/a><\/td><td class="n">0<\/td>/);
  });

  test('review: a retag aimed at an item of another consultation is not found', async () => {
    const { t, slug } = await seeded();
    const other = await newConsultation(t);
    const b = await signedIn(t);
    const list = await html(await b.get(`/c/${slug}/items`));
    const id = /data-item="(\d+)"/.exec(list)?.[1];
    const res = await b.post(`/c/${other}/items/${id}/themes`, { _csrf: b.csrfOf(list), themes: 'advocacy' });
    expect(res.status).toBe(404);
  });

  test('the theme page shows key points per context citing the items', async () => {
    const { t, slug } = await seeded();
    const b = await signedIn(t);
    const body = await html(await b.get(`/c/${slug}/themes/capacity-building`));
    expect(body).toContain('Broad community input');
    const cite = /href="(\/c\/[^"]+\/items\/\d+)" class="cite"/.exec(body)?.[1];
    expect(cite).toBeDefined();
    const item = await html(await b.get(cite ?? '/'));
    expect(item).toContain('We need training for new editors &lt;img src=x onerror=alert(1)&gt;');
    expect((await b.get(`/c/${slug}/themes/no-such-theme`)).status).toBe(404);
  });

  test('upload through the page: the result shows items, duplicates and redactions', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const b = await signedIn(t);
    const form = await html(await b.get(`/c/${slug}/upload`));
    expect(form).toContain('enctype="multipart/form-data"');
    const file = new File([PAYLOAD_CHAT], 'WhatsApp Chat with Strategy.txt', { type: 'text/plain' });
    const send = () => b.post(`/c/${slug}/upload`, { _csrf: b.csrfOf(form), file, channel: 'WhatsApp group', context: 'Broad community input' });
    const res = await send();
    expect(res.status).toBe(201);
    const body = await html(res);
    expect(body).toMatch(/id="r-items"><th scope="row">[^<]+<\/th><td class="n">3<\/td>/);
    expect(body).toMatch(/id="r-redactions"><th scope="row">[^<]+<\/th><td class="n">0 \/ 0 \/ \d+<\/td>/);
    const again = await send();
    expect(again.status).toBe(200);
    expect(await html(again)).toContain('uploaded before');
  });

  test('an unreadable upload comes back to the form with the reason', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const b = await signedIn(t);
    const form = await html(await b.get(`/c/${slug}/upload`));
    const file = new File(['{"messages": [ broken'], 'result.json', { type: 'application/json' });
    const res = await b.post(`/c/${slug}/upload`, { _csrf: b.csrfOf(form), file, format: 'telegram' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const body = await html(res);
    expect(body).toContain('The upload failed');
    expect(body).toContain('id="upload-form"');
    expect(body).toContain('<option value="telegram" selected="">');
  });

  test('an upload without the CSRF token is refused', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const b = await signedIn(t);
    const res = await b.post(`/c/${slug}/upload`, { file: new File([PAYLOAD_CHAT], 'chat.txt') });
    expect(res.status).toBe(403);
    expect(await t.ctx.store.countItems((await t.ctx.store.findConsultation(slug))?.id ?? '')).toBe(0);
  });

  test('the progress script is served by the app itself', async () => {
    const t = await testEnv();
    const res = await t.app.request(`${ORIGIN}/assets/upload.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(await res.text()).toContain('DOMParser');
  });
});

describe('access', () => {
  test('staff can read the dashboard but cannot upload or retag (403 page)', async () => {
    const { t, slug } = await seeded();
    const b = await signedIn(t, await token(t, 'staff', [slug]));
    expect((await b.get(`/c/${slug}`)).status).toBe(200);
    const nav = await html(await b.get(`/c/${slug}/items`));
    expect(nav).not.toContain(`href="/c/${slug}/upload"`);
    expect(nav).not.toContain('Save themes');
    const upload = await b.get(`/c/${slug}/upload`);
    expect(upload.status).toBe(403);
    expect(await html(upload)).toContain('Your role does not allow this.');
    const id = /data-item="(\d+)"/.exec(nav)?.[1];
    const post = await b.post(`/c/${slug}/items/${id}/themes`, { _csrf: b.csrfOf(nav), themes: 'advocacy' });
    expect(post.status).toBe(403);
    const posted = await b.post(`/c/${slug}/upload`, { _csrf: b.csrfOf(nav), file: new File(['x'], 'x.txt') });
    expect(posted.status).toBe(403);
  });

  test('a liaison cannot see another consultation (404 pages and exports)', async () => {
    const { t, slug } = await seeded();
    const mine = await newConsultation(t);
    const tok = await token(t, 'liaison', [mine]);
    const b = await signedIn(t, tok);
    for (const path of [`/c/${slug}`, `/c/${slug}/items`, `/c/${slug}/upload`, `/c/${slug}/themes/advocacy`, `/api/consultations/${slug}/report.wiki`, `/api/consultations/${slug}/items.csv`]) {
      const res = await b.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    const api = await t.request(`/api/consultations/${slug}/report.json`, { token: tok });
    expect(api.status).toBe(404);
    expect((await b.get(`/c/${mine}/upload`)).status).toBe(200);
  });
});

describe('exports', () => {
  test('report.wiki follows the monthly structure and keeps feedback from becoming markup', async () => {
    const { t, slug } = await seeded();
    const res = await t.request(`/api/consultations/${slug}/report.wiki`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment/);
    const wiki = await res.text();
    const headings = wiki.split('\n').filter((l) => l.startsWith('=='));
    expect(headings.slice(0, 3)).toEqual(['== Participation ==', '=== Channels ===', '=== Contexts ===']);
    expect(headings).toContain('== Key points per theme ==');
    expect(wiki).toContain('* Participants: 2');
    expect(wiki).toContain('* WhatsApp group: 3');
    expect(wiki).not.toMatch(/<script|<img/);
    // Outside <nowiki> spans nothing from the feedback may remain as link syntax.
    expect(wiki.replace(/<nowiki>[^<]*<\/nowiki>/g, '')).not.toMatch(/\[\[|javascript:/);
    expect(wiki).toContain('<nowiki>Harassment on talk pages keeps women away [[javascript:alert(2)]]');
    expect(wiki).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  test('report.md, report.json and items.csv', async () => {
    const { t, slug } = await seeded();
    const md = await t.request(`/api/consultations/${slug}/report.md`);
    expect(md.headers.get('content-type')).toMatch(/^text\/markdown/);
    const mdText = await md.text();
    expect(mdText).toContain('## Key points per theme');
    expect(mdText).not.toMatch(/<script|<img/);

    const json = await t.request(`/api/consultations/${slug}/report.json`);
    const report = (await json.json()) as { participation: { items: number; participants: number; channels: unknown[] }; themes: { key: string }[] };
    expect(report.participation).toMatchObject({ items: 3, participants: 2, channels: [{ value: 'WhatsApp group', items: 3 }] });
    expect(report.themes.map((x) => x.key)).toContain('capacity-building');

    const csv = await t.request(`/api/consultations/${slug}/items.csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('id,at,channel,context,language,participant,status,themes,text');
    expect(lines.filter((l) => l !== '').length).toBe(4);
    expect(text).toContain('"Harassment on talk pages');
    expect(text).not.toMatch(/,=HYPERLINK/);
  });

  test('a formula at the start of a message is neutralised in items.csv', async () => {
    const { t, slug } = await seeded('12/07/2022, 22:36 - Laila Mansour: =1+2 is what the grants add up to, said everyone');
    const text = await (await t.request(`/api/consultations/${slug}/items.csv`)).text();
    expect(text).toContain(`,"'=1+2 is what`);
  });

  test('exports answer the page session cookie (GET) but not a stranger', async () => {
    const { t, slug } = await seeded();
    const b = await signedIn(t);
    expect((await b.get(`/api/consultations/${slug}/report.wiki`)).status).toBe(200);
    const anonymous = await t.app.request(`${ORIGIN}/api/consultations/${slug}/report.wiki`);
    expect(anonymous.status).toBe(401);
  });

  test('exports of an unknown consultation are 404', async () => {
    const t = await testEnv();
    for (const file of ['report.wiki', 'report.md', 'report.json', 'items.csv']) {
      expect((await t.request(`/api/consultations/nope/${file}`)).status).toBe(404);
    }
  });
});
