import { env } from 'cloudflare:test';
import { describe, expect, test } from 'vitest';
import { call } from './client';

/** A group chat with an imported poll, and more messages than one D1 statement binds (100 values): the reads are chunked. */
const CHAT = [
  '12/03/2024, 14:05 - Amina Diallo: POLL:',
  'Which should come first?',
  'OPTION: Offline reading (5 votes)',
  'OPTION: Small grants (3 votes)',
  '',
  ...Array.from({ length: 150 }, (_, i) => `13/03/2024, ${10 + Math.floor(i / 60)}:${String(i % 60).padStart(2, '0')} - ${i % 2 ? 'Kofi Mensah' : 'Amina Diallo'}: point ${i} about offline reading and small grants`),
  '',
].join('\n');

async function count(sql: string, ...args: string[]): Promise<number> {
  const row = await env.DB.prepare(sql).bind(...args).first<{ n: number }>();
  return Number(row?.n);
}

describe('deleting an upload on D1 (workerd)', () => {
  test('items, tags, the imported poll and the counters go in one batch; the same bytes are new again', async () => {
    const slug = `w-${crypto.randomUUID().slice(0, 8)}`;
    const created = await call('/api/consultations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ slug, title: 'Delete' }) });
    expect(created.status).toBe(201);
    const up = await call(`/api/consultations/${slug}/uploads?format=whatsapp`, { method: 'POST', body: CHAT });
    expect(up.status).toBe(201);
    const { upload } = (await up.json()) as { upload: { id: string; items: number; polls: number } };
    expect(upload).toMatchObject({ items: 150, polls: 1 });

    const listed = (await (await call(`/api/consultations/${slug}/uploads`)).json()) as { uploads: { id: string; items: number }[] };
    expect(listed.uploads).toMatchObject([{ id: upload.id, items: 150 }]);

    // The queue has not tagged them here: a reviewer's tag gives one item tags to delete and counters to move.
    const { items } = (await (await call(`/api/consultations/${slug}/items?limit=1`)).json()) as { items: { id: number }[] };
    const retag = await call(`/api/items/${items[0]?.id}/themes`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ themes: ['advocacy'] }) });
    expect(retag.status).toBe(200);
    expect(await count("select count(*) as n from theme_counts x join consultations c on c.id = x.consultation_id where c.slug = ? and x.theme = 'advocacy' and x.items > 0", slug)).toBeGreaterThan(0);

    const del = await call(`/api/uploads/${upload.id}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(await del.json()).toEqual({ deleted: { items: 150, polls: 1 } });

    const of = 'join consultations c on c.id = x.consultation_id where c.slug = ?';
    expect(await count(`select count(*) as n from items x ${of}`, slug)).toBe(0);
    expect(await count(`select count(*) as n from polls x ${of}`, slug)).toBe(0);
    expect(await count(`select count(*) as n from uploads x ${of}`, slug)).toBe(0);
    expect(await count('select count(*) as n from item_themes where item_id not in (select id from items)')).toBe(0);
    expect(await count(`select count(*) as n from theme_counts x ${of} and x.items <> 0`, slug)).toBe(0);
    expect(await count(`select count(*) as n from theme_participants x ${of} and x.items <> 0`, slug)).toBe(0);

    const again = await call(`/api/consultations/${slug}/uploads?format=whatsapp`, { method: 'POST', body: CHAT });
    expect(again.status).toBe(201);
    expect((await again.json()) as { duplicate: boolean; upload: { items: number } }).toMatchObject({ duplicate: false, upload: { items: 150 } });
  });
});
