import { env } from 'cloudflare:test';
import { describe, expect, test } from 'vitest';
import { call } from './client';

const CHAT = [
  '[18/03/2022, 14:56:01] Amina Yusuf: We need offline Wikipedia for schools without internet',
  '[18/03/2022, 14:57:12] \u202A+44\u00A020\u00A07946\u00A00123\u202C: Amina Yusuf is right, call me on +44 20 7946 0999',
  '[18/03/2022, 14:58:40] Amina Yusuf: image omitted',
  '[19/03/2022, 09:02:00] Karim Benali: Grants should reach small affiliates, write to karim@example.org',
].join('\n');

describe('Worker on D1 (workerd)', () => {
  test('upload → items, redacted and pseudonymised, duplicate bytes recognised', async () => {
    const slug = `w-${crypto.randomUUID().slice(0, 8)}`;
    const created = await call('/api/consultations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ slug, title: 'Workers test' }),
    });
    expect(created.status).toBe(201);

    const up = await call(`/api/consultations/${slug}/uploads?channel=WhatsApp%20group`, { method: 'POST', body: CHAT });
    expect(up.status).toBe(201);
    const result = (await up.json()) as { upload: { format: string; items: number; participants: number; redactions: Record<string, number>; skippedBy: { media: number } } };
    expect(result.upload.format).toBe('whatsapp');
    expect(result.upload.items).toBe(3);
    expect(result.upload.participants).toBe(3);
    expect(result.upload.skippedBy.media).toBe(1);
    expect(result.upload.redactions.phone).toBeGreaterThanOrEqual(1);
    expect(result.upload.redactions.email).toBe(1);

    const again = await call(`/api/consultations/${slug}/uploads`, { method: 'POST', body: CHAT });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { duplicate: boolean }).duplicate).toBe(true);

    const list = await call(`/api/consultations/${slug}/items`);
    const { items } = (await list.json()) as { items: { text: string; participant: string | null; channel: string }[] };
    expect(items).toHaveLength(3);
    const all = JSON.stringify(items);
    for (const secret of ['Amina', 'Yusuf', 'Karim', '7946', 'karim@example.org']) expect(all).not.toContain(secret);
    expect(items.every((i) => /^P-[0-9A-Z]{6}$/.test(i.participant ?? ''))).toBe(true);
    expect(items[0]?.channel).toBe('WhatsApp group');

    // Nothing personal in the D1 tables either.
    const dump = await env.DB.prepare('select text from items union all select label from participants').all();
    expect(JSON.stringify(dump.results)).not.toMatch(/Amina|Karim|7946|example\.org/);
  });

  test('a message repeated in the file is stored once and counted as a duplicate', async () => {
    const slug = `w-${crypto.randomUUID().slice(0, 8)}`;
    await call('/api/consultations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ slug, title: 'Repeats' }) });
    const repeated = `${CHAT}\n${CHAT.split('\n')[0]}`;
    const up = await call(`/api/consultations/${slug}/uploads`, { method: 'POST', body: repeated });
    expect(up.status).toBe(201);
    expect(((await up.json()) as { upload: { items: number; duplicates: number } }).upload).toMatchObject({ items: 3, duplicates: 1 });
    const n = await env.DB.prepare('select count(*) as n from items i join consultations c on c.id = i.consultation_id where c.slug = ?').bind(slug).first<{ n: number }>();
    expect(n?.n).toBe(3);
  });

  test('every column lands as given over several insert statements, shared in the upload or not', async () => {
    const slug = `w-${crypto.randomUUID().slice(0, 8)}`;
    await call('/api/consultations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ slug, title: 'Columns' }) });
    // 40 answers to two questions: more rows than one D1 statement takes (100 bound values), and a question
    // column that differs from item to item.
    const rows = Array.from({ length: 20 }, (_, i) => `2022/03/${String(10 + (i % 9)).padStart(2, '0')} 10:0${i % 10}:00 GMT;answer ${i} about schools;answer ${i} about grants`);
    const csv = ['Timestamp;What should change?;Why?', ...rows].join('\n');
    const up = await call(`/api/consultations/${slug}/uploads?format=csv&channel=Survey%20form&context=Survey`, { method: 'POST', body: csv });
    expect(up.status).toBe(201);
    expect(((await up.json()) as { upload: { items: number } }).upload.items).toBe(40);
    const stored = await env.DB.prepare(
      'select i.text, i.channel, i.context, i.question, i.status from items i join consultations c on c.id = i.consultation_id where c.slug = ? order by i.id',
    )
      .bind(slug)
      .all<{ text: string; channel: string; context: string; question: string; status: string }>();
    const byText = new Map(stored.results.map((r) => [r.text, r]));
    expect(byText.size).toBe(40);
    for (let i = 0; i < 20; i++) {
      expect(byText.get(`answer ${i} about schools`)).toEqual({ text: `answer ${i} about schools`, channel: 'Survey form', context: 'Survey', question: 'What should change?', status: 'pending' });
      expect(byText.get(`answer ${i} about grants`)).toMatchObject({ channel: 'Survey form', context: 'Survey', question: 'Why?' });
    }
  });

  test('a file that cannot be read stores nothing', async () => {
    const slug = `w-${crypto.randomUUID().slice(0, 8)}`;
    await call('/api/consultations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ slug, title: 'Bad' }) });
    const res = await call(`/api/consultations/${slug}/uploads?format=telegram`, { method: 'POST', body: '{"not":"telegram"' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const n = await env.DB.prepare('select count(*) as n from uploads u join consultations c on c.id = u.consultation_id where c.slug = ?').bind(slug).first<{ n: number }>();
    expect(n?.n).toBe(0);
  });
});
