/** The dashboard counters always equal a GROUP BY over the items and their effective tags. */
import { describe, expect, test } from 'vitest';
import { newConsultation, testEnv } from '../helpers';
import { NOTES, counters, recomputed } from '../support/recount';


describe('dashboard counters', () => {
  test('match a recount after upload, retagging and erasure', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    expect((await t.request(`/api/consultations/${slug}/uploads?format=notes`, { method: 'POST', body: NOTES })).status).toBe(201);
    await t.idle();
    expect(await counters(t, slug)).toEqual(await recomputed(t, slug));

    const { items } = (await (await t.request(`/api/consultations/${slug}/items`)).json()) as { items: { id: number; participant: string }[] };
    for (const [i, themes] of [[0, ['product-technology']], [1, []], [2, ['diversity', 'advocacy']]] as const) {
      const res = await t.request(`/api/items/${items[i]!.id}/themes`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ themes }),
      });
      expect(res.status).toBe(200);
      expect(await counters(t, slug)).toEqual(await recomputed(t, slug));
    }

    const del = await t.request(`/api/consultations/${slug}/participants/${items[3]!.participant}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(await counters(t, slug)).toEqual(await recomputed(t, slug));
  });
});
