import { beforeAll, describe, expect, test } from 'vitest';
import { ADMIN, type TestEnv, issueToken, newConsultation, postJson, testEnv } from '../helpers';

type Who = 'nobody' | 'bad-token' | 'admin' | 'liaison' | 'liaison-other' | 'staff' | 'staff-other';

let t: TestEnv;
let slug: string;
let itemId: number;
let participant: string;
const tokens = new Map<Who, string | null>();

const NOTES = '# Context: 1:1 individual interviews\n\n## Interview with Maryam Haddad\n\n- Offline reading matters for schools.\n- Grants should reach small affiliates.\n';

beforeAll(async () => {
  t = await testEnv();
  slug = await newConsultation(t);
  const other = await newConsultation(t);
  tokens.set('nobody', null);
  tokens.set('bad-token', 'sfp_not-a-real-token');
  tokens.set('admin', ADMIN);
  tokens.set('liaison', await issueToken(t, 'liaison', [slug]));
  tokens.set('liaison-other', await issueToken(t, 'liaison', [other]));
  tokens.set('staff', await issueToken(t, 'staff', [slug]));
  tokens.set('staff-other', await issueToken(t, 'staff', [other]));
  const up = await t.request(`/api/consultations/${slug}/uploads?format=notes`, { method: 'POST', body: NOTES });
  expect(up.status).toBe(201);
  const items = (await (await t.request(`/api/consultations/${slug}/items`)).json()) as { items: { id: number; participant: string }[] };
  itemId = items.items[0]!.id;
  participant = items.items[0]!.participant;
});

interface Endpoint {
  name: string;
  call: (token: string | null) => Promise<Response>;
  expect: Record<Who, number>;
}

const endpoints: Endpoint[] = [
  {
    name: 'GET /api/consultations/:slug',
    call: (token) => t.request(`/api/consultations/${slug}`, { token }),
    expect: { nobody: 401, 'bad-token': 401, admin: 200, liaison: 200, 'liaison-other': 404, staff: 200, 'staff-other': 404 },
  },
  {
    name: 'POST /api/consultations',
    call: (token) =>
      t.request('/api/consultations', {
        method: 'POST',
        token,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ slug: `m-${Math.random().toString(36).slice(2, 10)}`, title: 'Matrix' }),
      }),
    expect: { nobody: 401, 'bad-token': 401, admin: 201, liaison: 201, 'liaison-other': 201, staff: 403, 'staff-other': 403 },
  },
  {
    name: 'POST /api/tokens',
    call: (token) =>
      t.request('/api/tokens', { method: 'POST', token, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'staff' }) }),
    expect: { nobody: 401, 'bad-token': 401, admin: 201, liaison: 403, 'liaison-other': 403, staff: 403, 'staff-other': 403 },
  },
  {
    name: 'POST /api/consultations/:slug/uploads',
    call: (token) =>
      t.request(`/api/consultations/${slug}/uploads?format=notes`, {
        method: 'POST',
        token,
        body: `# Interview\n\n- A point made at ${Math.random()}\n`,
      }),
    expect: { nobody: 401, 'bad-token': 401, admin: 201, liaison: 201, 'liaison-other': 404, staff: 403, 'staff-other': 403 },
  },
  {
    name: 'GET /api/consultations/:slug/uploads',
    call: (token) => t.request(`/api/consultations/${slug}/uploads`, { token }),
    expect: { nobody: 401, 'bad-token': 401, admin: 200, liaison: 200, 'liaison-other': 404, staff: 200, 'staff-other': 404 },
  },
  {
    name: 'DELETE /api/uploads/:id',
    // Each call deletes an upload of its own, made by the admin just before.
    call: async (token) => {
      const up = await t.request(`/api/consultations/${slug}/uploads?format=notes`, { method: 'POST', body: `# Interview\n\n- A point to take back ${Math.random()}\n` });
      const { upload } = (await up.json()) as { upload: { id: string } };
      return t.request(`/api/uploads/${upload.id}`, { method: 'DELETE', token });
    },
    expect: { nobody: 401, 'bad-token': 401, admin: 200, liaison: 200, 'liaison-other': 404, staff: 403, 'staff-other': 403 },
  },
  {
    name: 'GET /api/consultations/:slug/items',
    call: (token) => t.request(`/api/consultations/${slug}/items`, { token }),
    expect: { nobody: 401, 'bad-token': 401, admin: 200, liaison: 200, 'liaison-other': 404, staff: 200, 'staff-other': 404 },
  },
  {
    name: 'PUT /api/items/:id/themes',
    call: (token) =>
      t.request(`/api/items/${itemId}/themes`, {
        method: 'PUT',
        token,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ themes: ['advocacy'] }),
      }),
    expect: { nobody: 401, 'bad-token': 401, admin: 200, liaison: 200, 'liaison-other': 404, staff: 403, 'staff-other': 403 },
  },
  {
    name: 'DELETE /api/consultations/:slug/participants/:p (unknown participant)',
    call: (token) => t.request(`/api/consultations/${slug}/participants/P-ZZZZZZ`, { method: 'DELETE', token }),
    expect: { nobody: 401, 'bad-token': 401, admin: 404, liaison: 403, 'liaison-other': 403, staff: 403, 'staff-other': 403 },
  },
];

const cases = endpoints.flatMap((e) => (Object.keys(e.expect) as Who[]).map((who) => [e.name, who, e] as const));

describe('role × endpoint matrix', () => {
  test.each(cases)('%s as %s', async (_name, who, e) => {
    const res = await e.call(tokens.get(who) ?? null);
    expect(res.status).toBe(e.expect[who]);
    if (res.status >= 400) {
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toMatch(/^[a-z_]+$/);
      expect(body.error.message.length).toBeGreaterThan(5);
    }
  });

  test('lists only the consultations a token may see', async () => {
    const res = await t.request('/api/consultations', { token: tokens.get('staff') ?? null });
    const body = (await res.json()) as { consultations: { slug: string }[] };
    expect(body.consultations.map((c) => c.slug)).toEqual([slug]);
  });

  test('a liaison can open what it created', async () => {
    const token = tokens.get('liaison') ?? null;
    const mine = `mine-${Math.random().toString(36).slice(2, 8)}`;
    expect((await postJson(t, '/api/consultations', { slug: mine, title: 'Mine' }, token)).status).toBe(201);
    expect((await t.request(`/api/consultations/${mine}`, { token })).status).toBe(200);
  });

  test('admin erases a participant: their items are gone, others stay', async () => {
    const before = (await (await t.request(`/api/consultations/${slug}/items?limit=500`)).json()) as { items: { participant: string | null }[] };
    const theirs = before.items.filter((i) => i.participant === participant).length;
    expect(theirs).toBeGreaterThan(0);
    const res = await t.request(`/api/consultations/${slug}/participants/${participant}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ erased: theirs });
    const after = (await (await t.request(`/api/consultations/${slug}/items?limit=500`)).json()) as { items: { participant: string | null }[] };
    expect(after.items.some((i) => i.participant === participant)).toBe(false);
    expect(after.items.length).toBe(before.items.length - theirs);
  });
});
