/** Erasing a participant takes what was made from their words too: stored summaries and cached model steps citing them. */
import { expect, test } from 'vitest';
import { newConsultation, testEnv } from '../helpers';

const NOTES = `# Context: 1:1 individual interviews
## Interview with Nadia Rahman
### Community Health
- Harassment on talk pages keeps new women editors away.
- Friendly-space policies need enforcement.
## Interview with Lucía Ortega
### Community Health
- Mentors for newcomers would keep them editing.
- Safe spaces at events matter as much as online.
`;

type Summary = { items: number; points: { quote: string; citations: number[] }[] };

test('an erased participant is quoted by no summary afterwards, and the cached steps citing them are gone', async () => {
  const t = await testEnv();
  const slug = await newConsultation(t);
  expect((await t.request(`/api/consultations/${slug}/uploads?format=notes`, { method: 'POST', body: NOTES })).status).toBe(201);
  await t.idle();
  const items = ((await (await t.request(`/api/consultations/${slug}/items`)).json()) as { items: { id: number; text: string; participant: string }[] }).items;
  const lucia = items.find((i) => i.text.startsWith('Mentors'));
  const theirs = items.filter((i) => i.participant === lucia?.participant).map((i) => i.id);
  expect(theirs).toHaveLength(2);
  const summary = async () => (await (await t.request(`/api/consultations/${slug}/themes/community-health/summary`)).json()) as Summary;
  expect((await summary()).points.some((p) => p.citations.some((c) => theirs.includes(c)))).toBe(true);
  await t.client.execute({
    sql: "insert into llm_cache (key, kind, value, created_at) values ('s1', 'summary', ?, 'x'), ('s2', 'summary', ?, 'x')",
    args: [
      JSON.stringify([{ text: 'Mentors', citations: [theirs[0]], quote: 'Mentors for newcomers' }]),
      JSON.stringify([{ text: 'Harassment', citations: [items.find((i) => !theirs.includes(i.id))?.id], quote: 'Harassment on talk pages' }]),
    ],
  });

  const erased = await t.request(`/api/consultations/${slug}/participants/${lucia?.participant}`, { method: 'DELETE' });
  expect(await erased.json()).toEqual({ erased: 2 });
  expect((await t.client.execute('select key from llm_cache')).rows.map((r) => r.key)).toEqual(['s2']);
  const after = await summary();
  expect(after.items).toBe(2);
  expect(after.points.some((p) => /Mentors|Safe spaces/.test(p.quote) || p.citations.some((c) => theirs.includes(c)))).toBe(false);
  // Nothing of theirs is left in the file's summaries either.
  const stored = await t.client.execute('select points from summaries');
  expect(stored.rows.map((r) => String(r.points)).join('\n')).not.toMatch(/Mentors|Safe spaces/);
});
