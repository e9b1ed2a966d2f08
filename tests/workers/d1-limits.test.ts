import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { describe, expect, test } from 'vitest';
import type { TagJob } from '../../src/context';
import worker from '../../src/worker';
import { call } from './client';

/** More items than D1 binds values in one statement (100): every id list must go in parts. */
const N = 250;
const TOPICS = ['Harassment on talk pages drives editors away', 'Grants should reach small affiliates', 'We need training for new editors', 'Partnerships with libraries and museums'];
const CHAT = Array.from({ length: N }, (_, i) => {
  const minute = String(i % 60).padStart(2, '0');
  const hour = String(10 + Math.floor(i / 60)).padStart(2, '0');
  return `18/03/2022, ${hour}:${minute} - ${i % 3 === 0 ? 'Karim Benali' : 'Amina Yusuf'}: ${TOPICS[i % TOPICS.length]}, point ${i}`;
}).join('\n');

async function json<T>(res: Response): Promise<T> {
  expect(res.status).toBeLessThan(300);
  return (await res.json()) as T;
}

describe(`D1 binds at most 100 values a statement: ${N} items`, () => {
  test('the queue tags them in one job; the items list, the CSV export and erasing a participant work', async () => {
    const slug = `d1-${crypto.randomUUID().slice(0, 8)}`;
    await call('/api/consultations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ slug, title: 'D1 limits' }) });
    expect((await call(`/api/consultations/${slug}/uploads`, { method: 'POST', body: CHAT })).status).toBe(201);
    const consultation = await env.DB.prepare('select id from consultations where slug = ?').bind(slug).first<{ id: string }>();
    const ids = (await env.DB.prepare('select id from items where consultation_id = ?').bind(consultation?.id).all<{ id: number }>()).results.map((r) => r.id);
    expect(ids).toHaveLength(N);

    const batch = createMessageBatch<TagJob>('strategy-feedback-tagging', [
      { id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body: { kind: 'tag', consultationId: consultation?.id ?? '', itemIds: ids } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(1);
    const pending = await env.DB.prepare("select count(*) as n from items where consultation_id = ? and status = 'pending'").bind(consultation?.id).first<{ n: number }>();
    expect(pending?.n).toBe(0);

    const listed = await json<{ items: { participant: string; themes: unknown[] }[] }>(await call(`/api/consultations/${slug}/items?limit=500`));
    expect(listed.items).toHaveLength(N);
    expect(listed.items.some((i) => i.themes.length > 0)).toBe(true);
    const csv = await call(`/api/consultations/${slug}/items.csv`);
    expect(csv.status).toBe(200);
    expect((await csv.text()).trim().split('\n')).toHaveLength(N + 1);

    const said = new Map<string, number>();
    for (const i of listed.items) said.set(i.participant, (said.get(i.participant) ?? 0) + 1);
    const [talkative] = [...said].find(([, n]) => n > 100) ?? [];
    expect(talkative).toMatch(/^P-/);
    const erased = await json<{ erased: number }>(await call(`/api/consultations/${slug}/participants/${talkative}`, { method: 'DELETE' }));
    expect(erased.erased).toBeGreaterThan(100);
    const left = await env.DB.prepare('select count(*) as n from items where consultation_id = ?').bind(consultation?.id).first<{ n: number }>();
    expect(left?.n).toBe(N - erased.erased);
  });
});
