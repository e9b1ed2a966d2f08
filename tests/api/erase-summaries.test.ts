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

test('an erasure lasts: the next export of the same group stores nothing of theirs, and says so', async () => {
  const t = await testEnv();
  const slug = await newConsultation(t);
  const first = ['12/03/2024, 14:05 - Rahel Tesfaye: Secret sentence about the chapter board', '12/03/2024, 14:06 - Kofi Mensah: Thanks Rahel, noted'].join('\n');
  const later = `${first}\n12/03/2024, 14:07 - Rahel Tesfaye: Another thing I said later\n12/03/2024, 14:08 - Kofi Mensah: Grants should reach small affiliates`;
  const up = async (body: string) => (await t.request(`/api/consultations/${slug}/uploads`, { method: 'POST', body })).json() as Promise<{ upload?: { items: number; duplicates: number; warnings: { code: string; message: string }[] }; error?: { message: string } }>;
  expect((await up(first)).upload?.items).toBe(2);
  const items = ((await (await t.request(`/api/consultations/${slug}/items`)).json()) as { items: { text: string; participant: string }[] }).items;
  const rahel = items.find((i) => i.text.startsWith('Secret'))?.participant;
  expect((await t.request(`/api/consultations/${slug}/participants/${rahel}`, { method: 'DELETE' })).status).toBe(200);

  const again = await up(later);
  expect(again.upload).toMatchObject({ items: 1, duplicates: 1 });
  expect(again.upload?.warnings).toContainEqual({ code: 'erased_participants', message: '2 messages by participants erased from this consultation were not stored' });
  const texts = ((await (await t.request(`/api/consultations/${slug}/items`)).json()) as { items: { text: string; participant: string }[] }).items.map((i) => i.text);
  expect(texts).toEqual(['Grants should reach small affiliates', `Thanks ${rahel}, noted`]);
  // A file with nothing but their words stores nothing, and says why.
  const only = await up('13/03/2024, 09:00 - Rahel Tesfaye: One more thing from me');
  expect(only.error?.message).toBe('nothing to store: the file holds no feedback and no poll (only 1 message by erased participants). Nothing was kept');
});

test('erased words leave the database files at once, the write-ahead log included', async () => {
  const { existsSync, readFileSync } = await import('node:fs');
  const t = await testEnv();
  const slug = await newConsultation(t);
  const secret = 'Unrepeatable-sentence-QX7 about the board';
  const chat = [`12/03/2024, 14:05 - Rahel Tesfaye: ${secret}`, '12/03/2024, 14:06 - Kofi Mensah: Grants should reach small affiliates'].join('\n');
  expect((await t.request(`/api/consultations/${slug}/uploads`, { method: 'POST', body: chat })).status).toBe(201);
  await t.idle();
  const files = () => [t.dbPath, `${t.dbPath}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1'));
  expect(files().some((bytes) => bytes.includes('Unrepeatable-sentence-QX7'))).toBe(true);
  const items = ((await (await t.request(`/api/consultations/${slug}/items`)).json()) as { items: { text: string; participant: string }[] }).items;
  const rahel = items.find((i) => i.text === secret)?.participant;
  expect((await t.request(`/api/consultations/${slug}/participants/${rahel}`, { method: 'DELETE' })).status).toBe(200);
  expect(files().some((bytes) => bytes.includes('Unrepeatable-sentence-QX7'))).toBe(false);
});
