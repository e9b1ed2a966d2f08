/**
 * The upload route's handling of the request itself: who is asked first, how the body and the options are
 * read, and how errors read. The file formats are covered by the ingest tests.
 */
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, test } from 'vitest';
import { formatIssues } from '../../src/routes/common';
import { ADMIN, type TestEnv, issueToken, newConsultation, testEnv } from '../helpers';

const CHAT = [
  '12/07/2022, 22:36 - Laila Mansour: Small affiliates never see the grants, they go to the big chapters',
  '13/07/2022, 08:01 - Tomás Ferreira: We need training for new editors',
].join('\n');

interface Answer {
  status: number;
  error?: { code: string; message: string };
  upload?: { format: string; items: number };
}

async function answer(res: Response): Promise<Answer> {
  const body = (await res.json()) as { error?: Answer['error']; upload?: Answer['upload'] };
  return { status: res.status, error: body.error, upload: body.upload };
}

async function stored(t: TestEnv): Promise<{ uploads: number; items: number }> {
  const rs = await t.client.execute('select (select count(*) from uploads) as uploads, (select count(*) from items) as items');
  return { uploads: Number(rs.rows[0]?.uploads), items: Number(rs.rows[0]?.items) };
}

/** A multipart body as a browser would send it, with its boundary, to be sent with any content type. */
async function multipart(fields: Record<string, string>, file = CHAT): Promise<{ bytes: Uint8Array<ArrayBuffer>; boundary: string }> {
  const form = new FormData();
  form.set('file', new File([file], 'WhatsApp Chat with Strategy 2030.txt'));
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const req = new Request('http://localhost/', { method: 'POST', body: form });
  const boundary = /boundary=(\S+)/.exec(req.headers.get('content-type') ?? '')?.[1];
  if (boundary === undefined) throw new Error('FormData gave no boundary');
  return { bytes: new Uint8Array(await req.arrayBuffer()), boundary };
}

/** A body of `mb` megabytes that counts how much of it the server pulled. */
function countedBody(mb: number): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  const chunk = new Uint8Array(1024 * 1024).fill(97);
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= mb * chunk.length) {
        controller.close();
        return;
      }
      pulled += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { body, pulled: () => pulled };
}

describe('who may upload is settled before the body is read or the options judged', () => {
  let t: TestEnv;
  let slug: string;
  const tokens = new Map<string, string | null>();

  beforeAll(async () => {
    t = await testEnv();
    slug = await newConsultation(t);
    const other = await newConsultation(t);
    tokens.set('nobody', null);
    tokens.set('admin', ADMIN);
    tokens.set('staff', await issueToken(t, 'staff', [slug]));
    tokens.set('liaison of another consultation', await issueToken(t, 'liaison', [other]));
  });

  test.each<[string, number, string, string, string]>([
    ['anonymous, 40 MB', 401, 'unauthorized', 'nobody', ''],
    ['anonymous with ?format=bogus', 401, 'unauthorized', 'nobody', '?format=bogus'],
    ['staff, 40 MB', 403, 'forbidden', 'staff', ''],
    ['staff with ?format=bogus', 403, 'forbidden', 'staff', '?format=bogus'],
    ['a liaison of another consultation', 404, 'not_found', 'liaison of another consultation', '?language=arabic'],
    ['admin, a consultation that does not exist', 404, 'not_found', 'admin', '?format=bogus'],
  ])('%s → %i without reading the body', async (_name, status, code, who, query) => {
    const target = who === 'admin' ? 'no-such-consultation' : slug;
    const { body, pulled } = countedBody(40);
    const init: RequestInit & { duplex: 'half'; token: string | null } = { method: 'POST', body, duplex: 'half', token: tokens.get(who) ?? null };
    const res = await answer(await t.request(`/api/consultations/${target}/uploads${query}`, init));
    expect(res).toMatchObject({ status, error: { code } });
    // A stream may pull a chunk ahead of its reader; the other 39 MB are never asked for.
    expect(pulled()).toBeLessThanOrEqual(1024 * 1024);
    expect(await stored(t)).toEqual({ uploads: 0, items: 0 });
  });
});

describe('multipart bodies', () => {
  test.each<[string, string, string]>([
    ['garbage with a boundary', 'multipart/form-data; boundary=XYZ', 'garbage'],
    ['no boundary', 'multipart/form-data', `--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n${CHAT}\r\n--XYZ--\r\n`],
    ['a body cut short before its closing boundary', 'multipart/form-data; boundary=XYZ', `--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n${CHAT}`],
    ['a boundary other than the one in the body', 'multipart/form-data; boundary=ABC', `--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n${CHAT}\r\n--XYZ--\r\n`],
    ['an empty body', 'multipart/form-data; boundary=XYZ', ''],
  ])('unreadable: %s → 400 invalid_input, nothing stored', async (_name, type, body) => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const res = await answer(await t.request(`/api/consultations/${slug}/uploads`, { method: 'POST', headers: { 'content-type': type }, body }));
    expect(res.status).toBe(400);
    expect(res.error?.code).toBe('invalid_input');
    expect(res.error?.message).toMatch(/^the multipart\/form-data body could not be read: .*boundary.*; nothing was stored$/);
    expect(await stored(t)).toEqual({ uploads: 0, items: 0 });
  });

  test.each(['multipart/form-data', 'Multipart/Form-Data', 'MULTIPART/FORM-DATA', ' multipart/form-data '])(
    'media type %j is read as a form: the file is the chat, the fields are options',
    async (mediaType) => {
      const t = await testEnv();
      const slug = await newConsultation(t);
      const { bytes, boundary } = await multipart({ channel: 'WhatsApp (form)' });
      const headers = { 'content-type': `${mediaType}; boundary=${boundary}` };
      const res = await answer(await t.request(`/api/consultations/${slug}/uploads`, { method: 'POST', headers, body: bytes }));
      expect(res).toMatchObject({ status: 201, upload: { format: 'whatsapp', items: 2 } });
      const items = (await (await t.request(`/api/consultations/${slug}/items`)).json()) as { items: { channel: string }[] };
      expect(items.items.map((i) => i.channel)).toEqual(['WhatsApp (form)', 'WhatsApp (form)']);
    },
  );
});

describe('an empty option is an option not sent, in the query as in a form', () => {
  const EMPTY = ['format', 'channel', 'context', 'language', 'filename', 'textColumn', 'multiSelect'];

  test.each<[string, string]>([
    ...EMPTY.map((k): [string, string] => [k, `?${k}=`]),
    ['all of them', `?${EMPTY.map((k) => `${k}=`).join('&')}`],
  ])('query: empty %s → stored with the defaults', async (_name, query) => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const res = await answer(await t.request(`/api/consultations/${slug}/uploads${query}`, { method: 'POST', body: CHAT }));
    expect(res).toMatchObject({ status: 201, upload: { format: 'whatsapp', items: 2 } });
    const items = (await (await t.request(`/api/consultations/${slug}/items`)).json()) as { items: { channel: string; context: string }[] };
    expect(items.items[0]).toMatchObject({ channel: 'WhatsApp group', context: 'Broad community input' });
  });

  test('form: empty fields → stored with the defaults', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const form = new FormData();
    form.set('file', new File([CHAT], 'chat.txt'));
    for (const k of EMPTY) form.set(k, '');
    const res = await answer(await t.request(`/api/consultations/${slug}/uploads`, { method: 'POST', body: form }));
    expect(res).toMatchObject({ status: 201, upload: { format: 'whatsapp', items: 2 } });
  });
});

describe('error messages name a field once', () => {
  test.each<[string, (slug: string) => { path: string; init?: RequestInit }, string]>([
    [
      'upload language',
      (slug) => ({ path: `/api/consultations/${slug}/uploads?language=arabic`, init: { method: 'POST', body: CHAT } }),
      'language: a two- or three-letter code such as "ar"',
    ],
    ['items cursor', (slug) => ({ path: `/api/consultations/${slug}/items?cursor=abc` }), 'cursor: pass the nextCursor of the previous page'],
    ['items limit (the message does not name its field)', (slug) => ({ path: `/api/consultations/${slug}/items?limit=0` }), 'limit: '],
  ])('%s', async (_name, call, start) => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const { path, init } = call(slug);
    const res = await answer(await t.request(path, init));
    expect(res.status).toBe(400);
    expect(res.error?.message.startsWith(start)).toBe(true);
    expect(res.error?.message).not.toMatch(/(\w+): \1:/);
  });

  test.each<[string, { path: PropertyKey[]; message: string }[], string]>([
    ['a message without its field gets it', [{ path: ['limit'], message: 'too big' }], 'limit: too big'],
    ['a nested path', [{ path: ['themes', 0, 'key'], message: 'required' }], 'themes.0.key: required'],
    ['no path', [{ path: [], message: 'send a JSON object' }], 'send a JSON object'],
    ['a message that only starts like the field', [{ path: ['format'], message: 'formats are whatsapp, csv' }], 'format: formats are whatsapp, csv'],
    [
      'several issues',
      [
        { path: ['language'], message: 'a two- or three-letter code' },
        { path: ['channel'], message: 'too long' },
      ],
      'language: a two- or three-letter code; channel: too long',
    ],
  ])('formatIssues: %s', (_name, issues, text) => {
    expect(formatIssues(issues)).toBe(text);
  });
});

describe('a zip that unpacks too far names the cap in a unit that reads', () => {
  test.each<[number, string]>([
    [200_000, '195.3 KB'],
    [1000, '1000 bytes'],
    [300 * 1024, '300 KB'],
    [5 * 1024 * 1024, '5 MB'],
    [Math.round(1.25 * 1024 * 1024), '1.3 MB'],
  ])('MAX_UNZIPPED_BYTES=%i → "more than %s"', async (cap, text) => {
    const t = await testEnv({ MAX_UNZIPPED_BYTES: String(cap) });
    const slug = await newConsultation(t);
    const zip = zipSync({ '_chat.txt': strToU8(`${CHAT}\n`.repeat(Math.ceil((cap + 1) / CHAT.length))) }, { level: 9 });
    const res = await answer(await t.request(`/api/consultations/${slug}/uploads`, { method: 'POST', body: zip }));
    expect(res.status).toBe(413);
    expect(res.error?.message).toBe(`the zip unpacks to more than ${text}; export the chat again without media`);
  });
});
