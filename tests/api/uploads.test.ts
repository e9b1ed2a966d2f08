import { strToU8, zipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { newConsultation, testEnv } from '../helpers';

const ANDROID = [
  '12/07/2022, 22:35 - Messages and calls are end-to-end encrypted. No one outside of this chat can read them.',
  '12/07/2022, 22:35 - Laila Mansour created group "Strategy 2030"',
  '12/07/2022, 22:36 - Laila Mansour: Small affiliates never see the grants, they go to the big chapters',
  '12/07/2022, 22:37 - Tomás Ferreira: <Media omitted>',
  '13/07/2022, 08:01 - Tomás Ferreira: Agreed with Laila. We need training for new editors',
  'and a mentor programme in every region',
  '13/07/2022, 08:05 - Tomás Ferreira: This message was deleted',
].join('\n');

/** The same group exported by a second member, a day longer. */
const ANDROID_OVERLAP = [
  '12/07/2022, 22:36 - Laila Mansour: Small affiliates never see the grants, they go to the big chapters',
  '13/07/2022, 08:01 - Tomás Ferreira: Agreed with Laila. We need training for new editors',
  'and a mentor programme in every region',
  '13/07/2022, 09:15 - Tomás Ferreira: Harassment on talk pages keeps women away',
].join('\n');

async function upload(t: Awaited<ReturnType<typeof testEnv>>, slug: string, body: BodyInit, query = '') {
  const res = await t.request(`/api/consultations/${slug}/uploads${query}`, { method: 'POST', body });
  return { status: res.status, body: (await res.json()) as { upload: Record<string, unknown>; duplicate: boolean; error?: { code: string; message: string } } };
}

async function counts(t: Awaited<ReturnType<typeof testEnv>>) {
  const rs = await t.client.execute(
    'select (select count(*) from items) as items, (select count(*) from participants) as participants, (select count(*) from uploads) as uploads',
  );
  return { items: Number(rs.rows[0]?.items), participants: Number(rs.rows[0]?.participants), uploads: Number(rs.rows[0]?.uploads) };
}

describe('uploads', () => {
  test('a WhatsApp export becomes redacted items with counts of what was skipped', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const { status, body } = await upload(t, slug, ANDROID, '?channel=WhatsApp%20group');
    expect(status).toBe(201);
    expect(body.upload).toMatchObject({ format: 'whatsapp', items: 2, duplicates: 0, participants: 2 });
    expect(body.upload.skippedBy).toMatchObject({ system: 2, media: 1, deleted: 1 });
    expect((body.upload.redactions as { name: number }).name).toBeGreaterThanOrEqual(1);
    const items = (await (await t.request(`/api/consultations/${slug}/items`)).json()) as { items: { text: string; at: string; participant: string }[] };
    expect(items.items.map((i) => i.text)).toEqual([
      expect.stringMatching(/^Agreed with P-[0-9A-Z]{6}\. We need training for new editors\nand a mentor programme in every region$/),
      'Small affiliates never see the grants, they go to the big chapters',
    ]);
    expect(items.items[1]?.at).toBe('2022-07-12T22:36:00');
  });

  test('the same bytes again: same upload id, duplicate, nothing new', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const first = await upload(t, slug, ANDROID);
    const again = await upload(t, slug, ANDROID);
    expect(again.status).toBe(200);
    expect(again.body.duplicate).toBe(true);
    expect(again.body.upload.id).toBe(first.body.upload.id);
    expect((await counts(t)).items).toBe(2);
  });

  test('overlapping exports of one group: shared messages are counted as duplicates, not stored twice', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    await upload(t, slug, ANDROID);
    const second = await upload(t, slug, ANDROID_OVERLAP);
    expect(second.status).toBe(201);
    expect(second.body.upload).toMatchObject({ items: 1, duplicates: 2 });
    expect((await counts(t)).items).toBe(3);
  });

  test('a message repeated in one file is stored once and counted as a duplicate', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const first = await upload(t, slug, `${ANDROID}\n${ANDROID.trim().split('\n')[2]}\n`);
    expect(first.status).toBe(201);
    expect(first.body.upload).toMatchObject({ items: 2, duplicates: 1 });
    expect((await counts(t)).items).toBe(2);
  });

  test('multipart upload with form fields', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const form = new FormData();
    form.set('file', new File([ANDROID], 'WhatsApp Chat with Strategy 2030.txt'));
    form.set('channel', 'WhatsApp (form)');
    form.set('context', 'Broad community input');
    const res = await t.request(`/api/consultations/${slug}/uploads`, { method: 'POST', body: form });
    expect(res.status).toBe(201);
    const items = (await (await t.request(`/api/consultations/${slug}/items`)).json()) as { items: { channel: string; context: string }[] };
    expect(items.items[0]).toMatchObject({ channel: 'WhatsApp (form)', context: 'Broad community input' });
  });

  test('a zipped export is read; a zip bomb is refused and stores nothing', async () => {
    const t = await testEnv({ MAX_UNZIPPED_BYTES: String(1024 * 1024) });
    const slug = await newConsultation(t);
    const zip = zipSync({ '_chat.txt': strToU8(ANDROID), '__MACOSX/._chat.txt': strToU8('junk'), 'IMG-0001.jpg': new Uint8Array(10) });
    expect((await upload(t, slug, zip)).status).toBe(201);
    const bomb = zipSync({ '_chat.txt': new Uint8Array(20 * 1024 * 1024).fill(65) }, { level: 9 });
    const refused = await upload(t, slug, bomb);
    expect(refused.status).toBe(413);
    expect(refused.body.error?.code).toBe('too_large');
    expect((await counts(t)).uploads).toBe(1);
  });

  test.each([
    ['corrupt JSON as telegram', '{"name": "x", "messages": [', '?format=telegram', 422],
    ['random bytes', new Uint8Array([0, 159, 146, 150, 0, 1, 2, 3, 255, 254, 253]), '', 415],
    ['a JSON file of another tool', '{"hello": "world"}', '', 415],
    ['an empty file', '', '', 400],
    ['an unknown format name', 'x', '?format=pdf', 400],
    ['chat text with no headers as whatsapp', 'just some words\nand more', '?format=whatsapp', 422],
  ])('bad input: %s → clear error, nothing stored', async (_name, body, query, status) => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const res = await upload(t, slug, body, query);
    expect(res.status).toBe(status);
    expect(res.body.error?.message).toMatch(/\w{4,}/);
    expect(await counts(t)).toEqual({ items: 0, participants: 0, uploads: 0 });
  });

  test('over the size limit → 413 before anything is read', async () => {
    const t = await testEnv({ MAX_UPLOAD_BYTES: '1000' });
    const slug = await newConsultation(t);
    const res = await upload(t, slug, 'x'.repeat(5000));
    expect(res.status).toBe(413);
    expect(res.body.error?.code).toBe('too_large');
  });

  test('a database failure mid-way leaves no upload, participants or items behind', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    // A trigger makes the database itself fail on the second item, after the upload row, the participants
    // and the first item were written in the same batch.
    await t.client.execute(
      "create trigger fail_midway before insert on items when new.text like '%Agreed%' begin select raise(abort, 'injected failure'); end",
    );
    const res = await upload(t, slug, ANDROID);
    expect(res.status).toBe(500);
    expect(await counts(t)).toEqual({ items: 0, participants: 0, uploads: 0 });
    await t.client.execute('drop trigger fail_midway');
    const retry = await upload(t, slug, ANDROID);
    expect(retry.status).toBe(201);
    expect((await counts(t)).items).toBe(2);
  });

  test('the same person across two uploads is one pseudonym', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    await upload(t, slug, ANDROID);
    await upload(t, slug, '01/08/2022, 10:00 - Laila Mansour: Partnerships with universities would help');
    const rs = await t.client.execute('select count(*) as n from participants');
    expect(Number(rs.rows[0]?.n)).toBe(2);
    const items = (await (await t.request(`/api/consultations/${slug}/items`)).json()) as { items: { participant: string; text: string }[] };
    const laila = items.items.filter((i) => /affiliates|universities/.test(i.text)).map((i) => i.participant);
    expect(new Set(laila).size).toBe(1);
  });
});
