import { describe, expect, test } from 'vitest';
import { safeNext } from '../../src/routes/session-auth';
import { ADMIN, newConsultation, postJson, testEnv } from '../helpers';
import { ORIGIN, pageClient } from './page-client';

describe('sign-in and sessions', () => {
  test('a valid token signs in with a strict HttpOnly cookie and lands on the consultations', async () => {
    const t = await testEnv();
    const b = pageClient(t);
    const page = await b.get('/signin?next=/docs');
    expect(page.status).toBe(200);
    const res = await b.post('/signin', { _csrf: b.csrfOf(await page.text()), token: ADMIN, next: '/docs' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/docs');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sfp_session='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/);
    const home = await b.get('/');
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Signed in as admin');
  });

  test('over https the session cookie is Secure', async () => {
    const t = await testEnv();
    const page = await t.app.request('https://app.example.org/signin');
    const pre = page.headers.getSetCookie().find((c) => c.startsWith('sfp_presession='));
    expect(pre).toMatch(/Secure/);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const res = await t.app.request('https://app.example.org/signin', {
      method: 'POST',
      body: new URLSearchParams({ _csrf: csrf, token: ADMIN }),
      headers: { cookie: pre?.split(';')[0] ?? '', origin: 'https://app.example.org' },
    });
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie().find((c) => c.startsWith('sfp_session='))).toMatch(/; Secure/);
  });

  test('only the hash of the session id is stored', async () => {
    const t = await testEnv();
    const b = pageClient(t);
    await b.signIn();
    const sid = b.cookies.get('sfp_session') ?? '';
    const rows = await t.client.execute('select id_hash from sessions');
    expect(rows.rows.length).toBe(1);
    expect(String(rows.rows[0]?.id_hash)).not.toContain(sid);
  });

  test.each([
    ['a wrong token', { token: 'not-a-token' }, '/signin'],
    ['a missing CSRF token', { token: ADMIN, _csrf: '' }, '/signin'],
  ])('%s does not sign in', async (_name, fields, location) => {
    const t = await testEnv();
    const b = pageClient(t);
    const page = await b.get('/signin');
    const csrf = b.csrfOf(await page.text());
    const res = await b.post('/signin', { _csrf: csrf, ...fields });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')?.startsWith(location)).toBe(true);
    expect(b.cookies.has('sfp_session')).toBe(false);
    const again = await b.get(res.headers.get('location') ?? '/signin');
    expect(await again.text()).toMatch(/not valid|expired/);
  });

  test('a sign-in post from another origin is refused', async () => {
    const t = await testEnv();
    const b = pageClient(t);
    const page = await b.get('/signin');
    const res = await b.post('/signin', { _csrf: b.csrfOf(await page.text()), token: ADMIN }, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(b.cookies.has('sfp_session')).toBe(false);
  });

  test('pages redirect to sign-in when there is no session', async () => {
    const t = await testEnv();
    const res = await t.app.request(`${ORIGIN}/c/anything?x=1`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/signin?next=${encodeURIComponent('/c/anything?x=1')}`);
  });

  test('sign-out ends the session on the server, not just in the browser', async () => {
    const t = await testEnv();
    const b = pageClient(t);
    await b.signIn();
    const sid = b.cookies.get('sfp_session') ?? '';
    const home = await b.get('/');
    const out = await b.post('/signout', { _csrf: b.csrfOf(await home.text()) });
    expect(out.status).toBe(303);
    expect(b.cookies.has('sfp_session')).toBe(false);
    const replay = await t.app.request(`${ORIGIN}/`, { headers: { cookie: `sfp_session=${sid}` } });
    expect(replay.status).toBe(303);
  });

  test('sign-out without the CSRF token is refused', async () => {
    const t = await testEnv();
    const b = pageClient(t);
    await b.signIn();
    const res = await b.post('/signout', { _csrf: 'wrong' });
    expect(res.status).toBe(403);
    expect((await b.get('/')).status).toBe(200);
  });

  test('an expired session is not accepted', async () => {
    const t = await testEnv();
    const b = pageClient(t);
    await b.signIn();
    await t.client.execute("update sessions set expires_at = '2000-01-01T00:00:00.000Z'");
    expect((await b.get('/')).status).toBe(303);
  });

  test('a revoked token ends its sessions at once', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const { body } = await postJson(t, '/api/tokens', { role: 'staff', consultations: [slug] });
    const b = pageClient(t);
    await b.signIn(String(body.token));
    expect((await b.get('/')).status).toBe(200);
    await t.client.execute("update tokens set revoked_at = '2026-01-01T00:00:00.000Z'");
    expect((await b.get('/')).status).toBe(303);
  });

  test.each([
    ['/c/x', '/c/x'],
    ['/c/x?lang=ar', '/c/x?lang=ar'],
    ['https://evil.example/', '/'],
    ['//evil.example/', '/'],
    ['/\\evil.example/', '/'],
    ['javascript:alert(1)', '/'],
    [undefined, '/'],
  ])('safeNext(%s) → %s', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });
});
