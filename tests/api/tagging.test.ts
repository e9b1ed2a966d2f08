import { describe, expect, test } from 'vitest';
import { newConsultation, postJson, testEnv } from '../helpers';

const CHAT = [
  '18/03/2022, 14:56 - Amina Yusuf: We need offline Wikipedia for schools without internet access',
  '18/03/2022, 14:57 - Karim Benali: Grants should reach small affiliates in the Global South, not only big chapters',
  '18/03/2022, 14:58 - Amina Yusuf: Harassment on talk pages drives women editors away',
  '18/03/2022, 14:59 - Karim Benali: thanks everyone 🙏',
  '18/03/2022, 15:00 - Sofia Marin: Nous avons besoin de formations pour les nouveaux contributeurs',
].join('\n');

type Item = { id: number; text: string; status: string; themes: { key: string; source: string }[] };

describe('tagging (offline tagger)', () => {
  test('an upload is tagged in the background; themes endpoint counts items and participants', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    expect((await t.request(`/api/consultations/${slug}/uploads`, { method: 'POST', body: CHAT })).status).toBe(201);
    await t.idle();
    const { items } = (await (await t.request(`/api/consultations/${slug}/items`)).json()) as { items: Item[] };
    expect(items.filter((i) => i.status === 'pending')).toEqual([]);
    const byText = (s: string) => items.find((i) => i.text.includes(s))!;
    expect(byText('Harassment').themes.map((x) => x.key)).toContain('community-health');
    expect(byText('Grants').themes.map((x) => x.key)).toContain('resource-allocation');
    expect(byText('thanks').status).toBe('none');
    expect(byText('Harassment').themes[0]?.source).toBe('offline');

    const stats = (await (await t.request(`/api/consultations/${slug}/themes`)).json()) as {
      totals: { items: number; participants: number };
      themes: { key: string; items: number; participants: number; byChannel: Record<string, number> }[];
    };
    expect(stats.totals).toMatchObject({ items: 5, participants: 3 });
    const health = stats.themes.find((x) => x.key === 'community-health')!;
    expect(health.items).toBeGreaterThanOrEqual(1);
    expect(health.participants).toBeGreaterThanOrEqual(1);
    expect(health.byChannel['WhatsApp group']).toBe(health.items);
  });

  test('a reviewer override wins, survives a re-run, is audited and shows in agreement', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    await t.request(`/api/consultations/${slug}/uploads`, { method: 'POST', body: CHAT });
    await t.idle();
    const { items } = (await (await t.request(`/api/consultations/${slug}/items`)).json()) as { items: Item[] };
    const target = items.find((i) => i.text.includes('Harassment'))!;
    const put = await t.request(`/api/items/${target.id}/themes`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ themes: ['community-health', 'revenue-streams'] }),
    });
    expect(put.status).toBe(200);
    expect(((await put.json()) as Item).themes.map((x) => [x.key, x.source])).toEqual([
      ['community-health', 'human'],
      ['revenue-streams', 'human'],
    ]);

    const rerun = await postJson(t, `/api/consultations/${slug}/tagging`, {});
    expect(rerun.status).toBe(200);
    const after = (await (await t.request(`/api/consultations/${slug}/items?q=Harassment`)).json()) as { items: Item[] };
    expect(after.items[0]?.themes.map((x) => x.source)).toEqual(['human', 'human']);

    const audit = await t.client.execute("select action, target from audit_log where action = 'item.themes'");
    expect(audit.rows.map((r) => r.target)).toEqual([String(target.id)]);

    const stats = (await (await t.request(`/api/consultations/${slug}/themes`)).json()) as { themes: { key: string; agreement: { reviewed: number; agreed: number; humanOnly: number } }[] };
    expect(stats.themes.find((x) => x.key === 'community-health')?.agreement).toMatchObject({ reviewed: 1, agreed: 1 });
    expect(stats.themes.find((x) => x.key === 'revenue-streams')?.agreement).toMatchObject({ reviewed: 1, humanOnly: 1 });
  });

  test('POST /tagging tags what is pending and reports the run', async () => {
    const t = await testEnv({}, {});
    const slug = await newConsultation(t);
    await t.request(`/api/consultations/${slug}/uploads`, { method: 'POST', body: CHAT });
    await t.idle();
    const res = await postJson(t, `/api/consultations/${slug}/tagging`, {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tagged: 0, pending: 0 });
    expect((res.body.run as { generator: string }).generator).toBe('offline');
  });

  test('unknown theme keys in an override are refused', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    await t.request(`/api/consultations/${slug}/uploads`, { method: 'POST', body: CHAT });
    const { items } = (await (await t.request(`/api/consultations/${slug}/items`)).json()) as { items: Item[] };
    const res = await t.request(`/api/items/${items[0]!.id}/themes`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ themes: ['not-a-theme'] }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/not-a-theme/);
  });
});
