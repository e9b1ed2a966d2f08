import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { describe, expect, test } from 'vitest';
import type { TagJob } from '../../src/context';
import worker from '../../src/worker';
import { call } from './client';

const CHAT = [
  '18/03/2022, 14:56 - Amina Yusuf: Harassment on talk pages drives women editors away',
  '18/03/2022, 14:57 - Karim Benali: Grants should reach small affiliates, not only big chapters',
  '18/03/2022, 14:58 - Amina Yusuf: thank you all',
].join('\n');

describe('tagging through the queue (workerd, local queue)', () => {
  test('uploads leave items pending for the queue; the consumer tags a chunk; redelivery changes nothing', async () => {
    const slug = `q-${crypto.randomUUID().slice(0, 8)}`;
    await call('/api/consultations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ slug, title: 'Queue' }) });
    expect((await call(`/api/consultations/${slug}/uploads`, { method: 'POST', body: CHAT })).status).toBe(201);

    const consultation = await env.DB.prepare('select id from consultations where slug = ?').bind(slug).first<{ id: string }>();
    const ids = (await env.DB.prepare("select id from items where consultation_id = ? and status = 'pending'").bind(consultation!.id).all<{ id: number }>()).results.map((r) => r.id);
    expect(ids).toHaveLength(3);

    // POST /tagging on Workers hands the work to the queue.
    const queued = (await (await call(`/api/consultations/${slug}/tagging`, { method: 'POST' })).json()) as { queued: number };
    expect(queued.queued).toBe(3);

    const job: TagJob = { kind: 'tag', consultationId: consultation!.id, itemIds: ids };
    const deliver = async () => {
      const batch = createMessageBatch<TagJob>('strategy-feedback-tagging', [{ id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body: job }]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env);
      return getQueueResult(batch, ctx);
    };
    const first = await deliver();
    expect(first.explicitAcks).toHaveLength(1);
    const after = await env.DB.prepare("select status, count(*) as n from items where consultation_id = ? group by status order by status").bind(consultation!.id).all();
    expect(after.results).toEqual([
      { status: 'none', n: 1 },
      { status: 'tagged', n: 2 },
    ]);
    const tagsBefore = await env.DB.prepare('select count(*) as n from item_themes').first<{ n: number }>();
    const countsBefore = await env.DB.prepare('select sum(items) as n from theme_counts where consultation_id = ?').bind(consultation!.id).first<{ n: number }>();

    const again = await deliver();
    expect(again.explicitAcks).toHaveLength(1);
    expect(await env.DB.prepare('select count(*) as n from item_themes').first<{ n: number }>()).toEqual(tagsBefore);
    expect(await env.DB.prepare('select sum(items) as n from theme_counts where consultation_id = ?').bind(consultation!.id).first<{ n: number }>()).toEqual(countsBefore);
  });
});
