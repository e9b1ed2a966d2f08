import { describe, expect, test } from 'vitest';
import { newConsultation, testEnv } from '../helpers';

type Env = Awaited<ReturnType<typeof testEnv>>;

async function upload(t: Env, slug: string, body: string, query = '') {
  const res = await t.request(`/api/consultations/${slug}/uploads${query}`, { method: 'POST', body });
  return { status: res.status, body: (await res.json()) as { upload?: { id: string; items: number; warnings: { message: string }[] }; duplicate?: boolean; error?: { code: string; message: string } } };
}

async function counts(t: Env) {
  const rs = await t.client.execute('select (select count(*) from items) as items, (select count(*) from participants) as participants, (select count(*) from uploads) as uploads');
  return { items: Number(rs.rows[0]?.items), participants: Number(rs.rows[0]?.participants), uploads: Number(rs.rows[0]?.uploads) };
}

const SURVEY = 'Timestamp,Region,Why?\n3/14/2023 14:05:41,Europe,More training for new editors\n3/14/2023 15:10:02,Asia,Better tools for translators\n';

describe('uploads that would store nothing are refused, so they can be sent again', () => {
  test.each([
    [
      'a chat of system lines, media and deleted messages only',
      [
        '12/07/2022, 22:35 - Laila Mansour created group "Strategy 2030"',
        '12/07/2022, 22:36 - Laila Mansour: <Media omitted>',
        '12/07/2022, 22:37 - Tomás Ferreira: This message was deleted',
      ].join('\n'),
      '?filename=chat.txt',
      /^nothing to store: the file holds no feedback and no poll \(only 1 system line, 1 media placeholder, 1 deleted message\)\. Nothing was kept$/,
    ],
    [
      'a survey of identity columns only',
      'Name,Email\nLaila Mansour,laila@example.org\nTomás Ferreira,tomas@example.org\n',
      '?filename=survey.csv',
      /^nothing to store: .*; name the columns of written answers with textColumn\. Nothing was kept$/,
    ],
  ])('%s → 422, nothing stored, and the same bytes are not a duplicate afterwards', async (_, body, query, message) => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const res = await upload(t, slug, body, query);
    expect(res.status).toBe(422);
    expect(res.body.error).toEqual({ code: 'unreadable_file', message: expect.stringMatching(message) });
    expect(res.body.error?.message).not.toMatch(/Laila|Tomás|example\.org/);
    expect(await counts(t)).toEqual({ items: 0, participants: 0, uploads: 0 });
    expect((await upload(t, slug, body, query)).status).toBe(422);
  });

  test('a file whose every message the consultation holds already is a normal upload (201, all duplicates)', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const chat = '12/07/2022, 22:36 - Laila Mansour: Small affiliates never see the grants';
    expect((await upload(t, slug, chat)).status).toBe(201);
    const again = await upload(t, slug, `${chat}\n`);
    expect(again.status).toBe(201);
    expect(again.body.upload).toMatchObject({ items: 0, duplicates: 1 });
  });
});

describe('survey hints on the upload endpoint', () => {
  test('a textColumn that names no column → 400 listing the columns, nothing stored', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const res = await upload(t, slug, SURVEY, '?filename=s.csv&textColumn=Nonexistent%20column');
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'invalid_input',
      message: 'textColumn "Nonexistent column" names no column of this file; its columns are "Timestamp", "Region", "Why?"',
    });
    expect(await counts(t)).toEqual({ items: 0, participants: 0, uploads: 0 });
  });

  test('warnings name the hints the upload endpoint takes', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const res = await upload(t, slug, SURVEY, '?filename=s.csv');
    expect(res.status).toBe(201);
    const advice = (res.body.upload?.warnings ?? []).map((w) => w.message).filter((m) => /\bpass /.test(m));
    expect(advice.length).toBeGreaterThan(0);
    for (const m of advice) expect(m).toMatch(/pass (?:textColumn|multiSelect)\b(?!s)/);
  });
});
