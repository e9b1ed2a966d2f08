/** Machine answers that come back after a reviewer or an admin changed the items meanwhile must not move the counters. */
import { expect, test } from 'vitest';
import { newConsultation, testEnv } from '../helpers';
import { counters, recomputed } from '../support/recount';

const CHAT = [
  '12/03/2024, 14:05 - Amina Diallo: Harassment on talk pages drives new editors away',
  '12/03/2024, 14:06 - Kofi Mensah: Grants should reach small affiliates quickly',
  '12/03/2024, 14:07 - Lucía Ortega: We need partnerships with libraries and museums',
].join('\n');

test('answers for items reviewed or erased while the model was asked: only the still-pending item is written', async () => {
  // No background tagging: the test plays the tagger's steps itself, with the reviewer and the admin in between.
  const t = await testEnv({}, { tasks: { enqueue: async () => {} } });
  const slug = await newConsultation(t);
  expect((await t.request(`/api/consultations/${slug}/uploads`, { method: 'POST', body: CHAT })).status).toBe(201);
  const consultation = await t.ctx.store.findConsultation(slug);
  const asked = await t.ctx.store.tagging.pendingItems(consultation?.id ?? '', 100);
  expect(asked).toHaveLength(3);
  const [reviewed, erased, left] = asked;

  // While the model thinks: a reviewer tags one item, an admin erases another's author.
  expect((await t.request(`/api/items/${reviewed?.id}/themes`, { method: 'PUT', body: JSON.stringify({ themes: ['community-health'] }), headers: { 'content-type': 'application/json' } })).status).toBe(200);
  const label = (await t.client.execute({ sql: 'select label from participants where pseudonym = ?', args: [erased?.participant ?? ''] })).rows[0]?.label;
  expect((await t.request(`/api/consultations/${slug}/participants/${label}`, { method: 'DELETE' })).status).toBe(200);

  const answer = { outcome: 'themes' as const, themes: [{ key: 'resource-allocation', confidence: 0.9 }] };
  await t.ctx.store.tagging.writeMachineTags(consultation?.id ?? '', 'llm', asked.map((item) => ({ item, result: answer })));

  expect(await counters(t, slug)).toEqual(await recomputed(t, slug));
  const tags = await t.client.execute('select item_id, theme_key, source from item_themes order by item_id, source');
  expect(tags.rows.map((r) => [Number(r.item_id), r.theme_key, r.source])).toEqual([
    [reviewed?.id, 'community-health', 'human'],
    [left?.id, 'resource-allocation', 'llm'],
  ]);
});
