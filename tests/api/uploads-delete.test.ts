/** Listing a consultation's uploads and taking one back with everything read from it. */
import { describe, expect, test } from 'vitest';
import type { UploadListEntry } from '../../src/services/uploads';
import { ADMIN, type TestEnv, newConsultation, postJson, testEnv } from '../helpers';
import { NOTES, counters, recomputed } from '../support/recount';

/** A WhatsApp group with an imported poll, two speakers, a media line and a phone number. */
const CHAT = [
  '12/03/2024, 14:05 - Amina Diallo: POLL:',
  'Which should come first?',
  'OPTION: Offline reading (5 votes)',
  'OPTION: Small grants (3 votes)',
  '',
  '12/03/2024, 14:07 - Kofi Mensah: Offline reading for schools matters most to us.',
  '12/03/2024, 14:08 - Kofi Mensah: <Media omitted>',
  '12/03/2024, 14:09 - Amina Diallo: Small grants should reach affiliates quickly, call +44 20 7946 0123',
  '',
].join('\n');

/** The same group exported by another member, later: two messages of CHAT and one of its own. */
const CHAT_LATER = [
  '12/03/2024, 14:07 - Kofi Mensah: Offline reading for schools matters most to us.',
  '12/03/2024, 14:09 - Amina Diallo: Small grants should reach affiliates quickly, call +44 20 7946 0123',
  '13/03/2024, 09:30 - Kofi Mensah: Translation sprints would help the smaller languages.',
  '',
].join('\n');


/** More notes under the same theme, from another interview. */
const NOTES_MORE = `# Context: 1:1 individual interviews
## Interview with Lucía Ortega
### Community Health
- Mentors for newcomers would keep them editing.
- Safe spaces at events matter as much as online.
`;


async function upload(t: TestEnv, slug: string, body: string, query = '', token?: string) {
  const res = await t.request(`/api/consultations/${slug}/uploads${query}`, { method: 'POST', body, token });
  const json = (await res.json()) as { upload: { id: string; items: number; duplicates: number; polls: number }; duplicate: boolean };
  return { status: res.status, ...json };
}

async function list(t: TestEnv, slug: string, token?: string | null) {
  const res = await t.request(`/api/consultations/${slug}/uploads`, { token });
  return { status: res.status, body: (await res.json()) as { uploads: UploadListEntry[] } };
}

async function remove(t: TestEnv, id: string, token?: string | null) {
  const res = await t.request(`/api/uploads/${id}`, { method: 'DELETE', token });
  return { status: res.status, body: (await res.json()) as { deleted?: { items: number; polls: number }; error?: { code: string } } };
}

async function totals(t: TestEnv, slug: string) {
  const res = await t.request(`/api/consultations/${slug}/themes`);
  return ((await res.json()) as { totals: { items: number; participants: number; untagged: number } }).totals;
}

async function rowCount(t: TestEnv, sql: string, args: string[] = []): Promise<number> {
  const rs = await t.client.execute({ sql, args });
  return Number(rs.rows[0]?.n);
}

/** Everything a delete may touch, as rows: compared before and after a failed one. */
async function snapshot(t: TestEnv) {
  const out: Record<string, unknown[]> = {};
  for (const table of ['uploads', 'items', 'item_themes', 'polls', 'poll_options', 'participants', 'theme_counts', 'theme_participants', 'audit_log']) {
    out[table] = (await t.client.execute(`select * from ${table} order by 1, 2, 3`)).rows;
  }
  return out;
}

/** Counter rows as stored, days included, zeroes left out: what the dashboard can tell. */
async function storedCounters(t: TestEnv) {
  const counts = await t.client.execute('select consultation_id, theme, dim, value, items from theme_counts where items <> 0 order by 1, 2, 3, 4');
  const people = await t.client.execute('select consultation_id, theme, participant, items from theme_participants where items <> 0 order by 1, 2, 3');
  return { counts: counts.rows, people: people.rows };
}

async function issue(t: TestEnv, role: 'liaison' | 'staff', consultations: string[]): Promise<string> {
  const { status, body } = await postJson(t, '/api/tokens', { role, consultations });
  expect(status).toBe(201);
  return String(body.token);
}

describe('GET /api/consultations/:slug/uploads', () => {
  test('lists every upload newest first with its labels, counts and stored warnings', async () => {
    // A clock that moves a second per call: each upload gets its own time.
    let tick = 0;
    const t = await testEnv({}, { clock: { now: () => new Date(Date.UTC(2026, 10, 21, 10, 0, tick++)) } });
    const slug = await newConsultation(t);
    const chat = await upload(t, slug, CHAT, '?channel=WhatsApp%20group&context=Broad%20community%20input&filename=Amina%20Diallo%20%2B44%2020%207946%200123.txt');
    const notes = await upload(t, slug, NOTES, '?format=notes');
    const later = await upload(t, slug, CHAT_LATER, '?format=whatsapp&channel=Second%20export');
    expect([chat.status, notes.status, later.status]).toEqual([201, 201, 201]);

    const { status, body } = await list(t, slug);
    expect(status).toBe(200);
    expect(body.uploads.map((u) => u.id)).toEqual([later.upload.id, notes.upload.id, chat.upload.id]);
    const times = body.uploads.map((u) => u.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(new Set(times).size).toBe(3);
    expect(body.uploads[2]).toMatchObject({
      id: chat.upload.id,
      format: 'whatsapp',
      channel: 'WhatsApp group',
      context: 'Broad community input',
      items: 2,
      duplicates: 0,
      participants: 2,
      skipped: 1,
      polls: 1,
      warnings: expect.any(Array),
    });
    expect(body.uploads[0]).toMatchObject({ format: 'whatsapp', channel: 'Second export', items: 1, duplicates: 2, polls: 0 });
    expect(body.uploads[1]).toMatchObject({ format: 'notes', context: null, filename: null, items: 4, polls: 0 });
    // The filename was redacted when it was stored: the list shows what is stored, nothing more.
    const filename = body.uploads[2]?.filename ?? '';
    expect(filename).toMatch(/\.txt$/);
    expect(filename).not.toMatch(/Amina|Diallo|7946/);
    expect(JSON.stringify(body)).not.toMatch(/Amina|Diallo|Kofi|Mensah|Nadia|7946/);
  });

  test('uploads of the same instant come newest first too', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const ids: string[] = [];
    for (const body of [CHAT, NOTES, NOTES_MORE]) ids.push((await upload(t, slug, body)).upload.id);
    expect((await list(t, slug)).body.uploads.map((u) => u.id)).toEqual(ids.reverse());
  });

  test('a consultation without uploads lists none', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    expect(await list(t, slug)).toEqual({ status: 200, body: { uploads: [] } });
  });

  test('the warnings shown are the redacted ones stored', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    // A first line read as the header row: the column-guessing warnings quote it, email and phone number included.
    const csv = ['Survey run by amina@example.org, +44 20 7946 0123', 'Timestamp,What should change?', '2024/03/12 10:00:00 GMT,More offline reading for schools', ''].join('\n');
    const up = await upload(t, slug, csv, '?format=csv');
    expect(up.status).toBe(201);
    const stored = await t.client.execute({ sql: 'select warnings from uploads where id = ?', args: [up.upload.id] });
    const { uploads } = (await list(t, slug)).body;
    expect(uploads[0]?.warnings.length).toBeGreaterThan(0);
    expect(uploads[0]?.warnings).toEqual(JSON.parse(String(stored.rows[0]?.warnings)));
    expect(JSON.stringify(uploads)).toMatch(/\[email\]|\[phone\]/);
    expect(JSON.stringify(uploads)).not.toMatch(/example\.org|7946/);
  });
});

describe('DELETE /api/uploads/:id', () => {
  test('takes the items, their tags and the imported poll; counters equal a recount; the same bytes are new again', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const keep = await upload(t, slug, NOTES, '?format=notes');
    await t.idle();
    const before = await storedCounters(t);
    const totalsBefore = await totals(t, slug);

    const chat = await upload(t, slug, CHAT);
    expect(chat).toMatchObject({ status: 201, upload: { items: 2, polls: 1 } });
    await postJson(t, `/api/consultations/${slug}/surveys`, { question: 'Survey?', participants: 10, options: [{ label: 'A', votes: 7 }, { label: 'B', votes: 6 }], multiple: true });
    await t.idle();
    // A reviewer's retag of a chat item: it now counts in machine–human agreement too.
    const chatItems = (await (await t.request(`/api/consultations/${slug}/items?channel=WhatsApp%20group`)).json()) as { items: { id: number }[] };
    expect(chatItems.items).toHaveLength(2);
    const retag = await t.request(`/api/items/${chatItems.items[0]?.id}/themes`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ themes: ['advocacy'] }),
    });
    expect(retag.status).toBe(200);
    expect((await totals(t, slug)).items).toBe(totalsBefore.items + 2);
    const ids = chatItems.items.map((i) => i.id);

    const { status, body } = await remove(t, chat.upload.id);
    expect(status).toBe(200);
    expect(body).toEqual({ deleted: { items: 2, polls: 1 } });

    expect(await rowCount(t, `select count(*) as n from items where id in (${ids.join(', ')})`)).toBe(0);
    expect(await rowCount(t, `select count(*) as n from item_themes where item_id in (${ids.join(', ')})`)).toBe(0);
    expect(await rowCount(t, 'select count(*) as n from uploads where id = ?', [chat.upload.id])).toBe(0);
    expect(await rowCount(t, 'select count(*) as n from polls where upload_id = ?', [chat.upload.id])).toBe(0);
    expect(await rowCount(t, 'select count(*) as n from poll_options where poll_id not in (select id from polls)')).toBe(0);
    // The survey import is no upload's: it stays, as do the other upload and its items.
    const polls = (await (await t.request(`/api/consultations/${slug}/polls`)).json()) as { polls: { source: string }[] };
    expect(polls.polls.map((p) => p.source)).toEqual(['survey']);
    expect((await list(t, slug)).body.uploads.map((u) => u.id)).toEqual([keep.upload.id]);

    expect(await counters(t, slug)).toEqual(await recomputed(t, slug));
    expect(await storedCounters(t)).toEqual(before);
    expect(await totals(t, slug)).toEqual(totalsBefore);

    const audit = await t.client.execute({ sql: "select actor, target, details from audit_log where action = 'upload.delete'", args: [] });
    expect(audit.rows.map((r) => ({ actor: r.actor, target: r.target, details: JSON.parse(String(r.details)) }))).toEqual([
      { actor: 'env-admin', target: chat.upload.id, details: { format: 'whatsapp', items: 2, polls: 1 } },
    ]);

    const again = await upload(t, slug, CHAT);
    expect(again).toMatchObject({ status: 201, duplicate: false, upload: { items: 2, duplicates: 0, polls: 1 } });
    expect(again.upload.id).not.toBe(chat.upload.id);
    await t.idle();
    expect(await counters(t, slug)).toEqual(await recomputed(t, slug));
  });

  test('messages a later upload also held were stored under the first, and go with it', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const first = await upload(t, slug, CHAT);
    const later = await upload(t, slug, CHAT_LATER, '?format=whatsapp');
    expect(later.upload).toMatchObject({ items: 1, duplicates: 2 });
    await t.idle();
    expect(await remove(t, first.upload.id)).toEqual({ status: 200, body: { deleted: { items: 2, polls: 1 } } });
    const left = (await (await t.request(`/api/consultations/${slug}/items`)).json()) as { items: { text: string }[] };
    expect(left.items.map((i) => i.text)).toEqual(['Translation sprints would help the smaller languages.']);
    expect(await counters(t, slug)).toEqual(await recomputed(t, slug));
    // Sending the later export again changes nothing: its bytes are still a stored upload.
    expect((await upload(t, slug, CHAT_LATER, '?format=whatsapp')).duplicate).toBe(true);
  });

  test('a summary that cited items of the deleted upload is forgotten, with the cached model steps that cited them', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    await upload(t, slug, NOTES, '?format=notes');
    const more = await upload(t, slug, NOTES_MORE, '?format=notes');
    await t.idle();
    type Summary = { stale: boolean; items: number; points: { quote: string; citations: number[] }[] };
    const summary = async () => (await (await t.request(`/api/consultations/${slug}/themes/community-health/summary`)).json()) as Summary;
    const before = await summary();
    expect(before).toMatchObject({ stale: false, items: 4 });
    expect(before.points.some((p) => /Mentors|Safe spaces/.test(p.quote))).toBe(true);
    const cited = before.points.flatMap((p) => p.citations);
    // A cached model step citing one of the upload's items, one citing only items that stay, and a damaged entry.
    const removedId = (await t.client.execute({ sql: 'select id from items where upload_id = ? limit 1', args: [more.upload.id] })).rows[0]?.id;
    const keptId = (await t.client.execute({ sql: 'select id from items where upload_id != ? limit 1', args: [more.upload.id] })).rows[0]?.id;
    await t.client.execute({
      sql: "insert into llm_cache (key, kind, value, created_at) values ('s1', 'summary', ?, 'x'), ('s2', 'summary', ?, 'x'), ('s3', 'summary', 'not json', 'x'), ('t1', 'tag', ?, 'x')",
      args: [
        JSON.stringify([{ text: 'Mentors', citations: [Number(removedId)], quote: 'Mentors for newcomers' }]),
        JSON.stringify([{ text: 'Harassment', citations: [Number(keptId)], quote: 'Harassment on talk pages' }]),
        JSON.stringify({ themes: [] }),
      ],
    });
    expect(cited.length).toBeGreaterThan(0);

    expect((await remove(t, more.upload.id)).status).toBe(200);
    const keys = (await t.client.execute('select key from llm_cache order by key')).rows.map((r) => r.key);
    expect(keys).toEqual(['s2', 's3', 't1']);
    expect(Number((await t.client.execute('select count(*) as n from summaries')).rows[0]?.n)).toBe(0);
    // Asked again, it is made from what is left.
    const after = await summary();
    expect(after).toMatchObject({ stale: false, items: 2 });
    expect(after.points.some((p) => /Mentors|Safe spaces/.test(p.quote))).toBe(false);
  });

  test('a database failure mid-way leaves everything as it was', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const chat = await upload(t, slug, CHAT);
    await upload(t, slug, NOTES, '?format=notes');
    await t.idle();
    const before = await snapshot(t);
    // The polls are deleted after the items and their tags, in the same batch: failing there must undo those.
    await t.client.execute("create trigger fail_midway before delete on polls begin select raise(abort, 'injected failure'); end");
    expect((await remove(t, chat.upload.id)).status).toBe(500);
    expect(await snapshot(t)).toEqual(before);
    await t.client.execute('drop trigger fail_midway');
    expect((await remove(t, chat.upload.id)).body).toEqual({ deleted: { items: 2, polls: 1 } });
    expect(await counters(t, slug)).toEqual(await recomputed(t, slug));
  });

  test.each([
    ['an unknown id', 'no-such-upload'],
    ['an id of the wrong shape', '12%20%3B%20drop'],
  ])('404 for %s', async (_name, id) => {
    const t = await testEnv();
    expect(await remove(t, id)).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  test('a second delete of the same upload is 404', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const up = await upload(t, slug, NOTES, '?format=notes');
    expect((await remove(t, up.upload.id)).status).toBe(200);
    expect((await remove(t, up.upload.id)).status).toBe(404);
  });
});

describe('who may list and delete uploads', () => {
  type Who = 'nobody' | 'admin' | 'liaison' | 'liaison-other' | 'staff' | 'staff-other';
  const cases: { who: Who; list: number; remove: number }[] = [
    { who: 'nobody', list: 401, remove: 401 },
    { who: 'admin', list: 200, remove: 200 },
    { who: 'liaison', list: 200, remove: 200 },
    { who: 'liaison-other', list: 404, remove: 404 },
    { who: 'staff', list: 200, remove: 403 },
    { who: 'staff-other', list: 404, remove: 403 },
  ];
  test.each(cases)('$who: list $list, delete $remove', async ({ who, list: listStatus, remove: removeStatus }) => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const other = await newConsultation(t);
    const tokens: Record<Who, string | null> = {
      nobody: null,
      admin: ADMIN,
      liaison: await issue(t, 'liaison', [slug]),
      'liaison-other': await issue(t, 'liaison', [other]),
      staff: await issue(t, 'staff', [slug]),
      'staff-other': await issue(t, 'staff', [other]),
    };
    const up = await upload(t, slug, NOTES, '?format=notes');
    expect((await list(t, slug, tokens[who])).status).toBe(listStatus);
    const res = await remove(t, up.upload.id, tokens[who]);
    expect(res.status).toBe(removeStatus);
    // Refused, nothing changed; allowed, it is gone.
    expect(await rowCount(t, 'select count(*) as n from uploads where id = ?', [up.upload.id])).toBe(removeStatus === 200 ? 0 : 1);
    expect(await rowCount(t, 'select count(*) as n from items')).toBe(removeStatus === 200 ? 0 : 4);
  });

  test('a liaison deletes an upload it did not make, in a consultation it may write', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const liaison = await issue(t, 'liaison', [slug]);
    const up = await upload(t, slug, NOTES, '?format=notes');
    expect((await remove(t, up.upload.id, liaison)).status).toBe(200);
    const audit = await t.client.execute("select actor from audit_log where action = 'upload.delete'");
    expect(audit.rows[0]?.actor).not.toBe('env-admin');
  });
});
