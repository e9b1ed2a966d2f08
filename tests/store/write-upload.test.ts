/**
 * Store.writeUpload on libSQL: one write transaction fed chunk by chunk, on the file's write thread (as the
 * app runs) and on a plain client transaction (libSQL over HTTP). Both must store all or nothing.
 */
import { describe, expect, test } from 'vitest';
import type { NewItem, UploadTail, UploadWrite } from '../../src/store/store';
import { contentHash } from '../../src/text/content-hash';
import { ADMIN, newConsultation, testEnv, type TestEnv } from './../helpers';

const AT = '2026-11-21T10:00:00.000Z';

function item(n: number, extra: Partial<NewItem> = {}): NewItem {
  return {
    participant: `p${n % 7}`.padEnd(32, '0'),
    text: `feedback number ${n}`,
    language: 'en',
    at: `2026-11-${String(1 + (n % 28)).padStart(2, '0')}T10:00:00`,
    channel: 'WhatsApp group',
    context: 'Broad community input',
    question: null,
    hashHead: `${n % 3}\u0000`,
    status: 'pending',
    humanThemes: [],
    ...extra,
  };
}

/** The key the store gives an item. */
function key(it: NewItem): string {
  return contentHash(it.at, it.hashHead, it.text);
}

async function consultationId(t: TestEnv): Promise<string> {
  const slug = await newConsultation(t);
  const c = await t.ctx.store.findConsultation(slug);
  if (!c) throw new Error('no consultation');
  return c.id;
}

function write(cid: string, id: string, chunks: Iterable<NewItem[]> | AsyncIterable<NewItem[]>): UploadWrite {
  return {
    upload: {
      id,
      consultationId: cid,
      sha256: `sha-${id}`,
      format: 'whatsapp',
      channel: 'WhatsApp group',
      bytes: 1,
      items: 0,
      duplicates: 0,
      participants: 0,
      skipped: '{}',
      redactions: '{}',
      warnings: '[]',
      createdAt: AT,
    },
    items: chunks,
    finish: (stored): UploadTail => ({
      findings: { items: stored.inserted, duplicates: stored.existing, participants: 1, skipped: '{}', redactions: '{}', warnings: '[]' },
      participants: [{ pseudonym: 'p0'.padEnd(32, '0'), label: 'P-AAAAAA' }],
      polls: [],
      audit: { at: AT, actor: 'test', action: 'upload.create', consultationId: cid, target: id },
    }),
  };
}

function chunked(from: number, to: number, size: number): NewItem[][] {
  const out: NewItem[][] = [];
  for (let i = from; i < to; i += size) out.push(Array.from({ length: Math.min(size, to - i) }, (_, k) => item(i + k)));
  return out;
}

async function counts(t: TestEnv) {
  const rs = await t.client.execute(
    "select (select count(*) from items) as items, (select count(*) from uploads) as uploads, (select count(*) from participants) as participants, (select coalesce(sum(items), 0) from theme_counts where theme = '*' and dim = 'all') as counted",
  );
  const r = rs.rows[0];
  return { items: Number(r?.items), uploads: Number(r?.uploads), participants: Number(r?.participants), counted: Number(r?.counted) };
}

describe.each([
  ['the write thread', true],
  ['a client transaction', false],
])('writeUpload on %s', (_name, writeThread) => {
  const env = () => testEnv({ ADMIN_TOKEN: ADMIN }, {}, { writeThread });

  test('chunks are written, items the consultation holds are counted not stored, and the row gets its findings', async () => {
    const t = await env();
    const cid = await consultationId(t);
    expect(await t.ctx.store.writeUpload(write(cid, 'u1', chunked(0, 5000, 700)))).toEqual({ inserted: 5000, existing: 0 });
    // An overlapping export: 2,500 of its items are already there.
    expect(await t.ctx.store.writeUpload(write(cid, 'u2', chunked(2500, 7500, 1000)))).toEqual({ inserted: 2500, existing: 2500 });
    expect(await counts(t)).toEqual({ items: 7500, uploads: 2, participants: 1, counted: 7500 });
    const row = await t.client.execute("select items, duplicates from uploads where id = 'u2'");
    expect(row.rows[0]).toMatchObject({ items: 2500, duplicates: 2500 });
  });

  test('every column comes back as given, whether a chunk shares its channel, context, question and status or not', async () => {
    const t = await env();
    const cid = await consultationId(t);
    const mixed = [
      item(1, { channel: 'Survey', context: 'Survey', question: 'What next?', status: 'tagged', humanThemes: ['advocacy'] }),
      item(2, { channel: 'Survey', context: null, question: 'Why?', language: null, participant: null, at: null }),
      item(3, { channel: 'Survey', context: 'Survey', question: null }),
    ];
    const shared = [item(4), item(5, { language: 'fr' }), item(6)];
    expect(await t.ctx.store.writeUpload(write(cid, 'u1', [mixed, shared, [item(7, { context: 'Interviews' })]]))).toEqual({ inserted: 7, existing: 0 });
    const rs = await t.client.execute(
      'select participant, text, language, at, channel, context, question, content_hash, status, consultation_id, upload_id, created_at from items order by id',
    );
    const expected = [...mixed, ...shared, item(7, { context: 'Interviews' })].map((it) => [
      it.participant,
      it.text,
      it.language,
      it.at,
      it.channel,
      it.context,
      it.question,
      key(it),
      it.status,
      cid,
      'u1',
      AT,
    ]);
    expect(rs.rows.map((r) => Object.values(r))).toEqual(expected);
  });

  test('human tags go to the new items only', async () => {
    const t = await env();
    const cid = await consultationId(t);
    await t.ctx.store.writeUpload(write(cid, 'u1', [[item(1)]]));
    const tagged = [item(1, { status: 'tagged', humanThemes: ['advocacy'] }), item(2, { status: 'tagged', humanThemes: ['diversity'] })];
    expect(await t.ctx.store.writeUpload(write(cid, 'u2', [tagged]))).toEqual({ inserted: 1, existing: 1 });
    const rs = await t.client.execute('select i.content_hash as h, t.theme_key as k from item_themes t join items i on i.id = t.item_id');
    expect(rs.rows.map((r) => [r.h, r.k])).toEqual([[key(item(2)), 'diversity']]);
  });

  test('an item repeated in the upload, in its chunk or a later one, is stored once and counted', async () => {
    const t = await env();
    const cid = await consultationId(t);
    const tagged = item(3, { status: 'tagged', humanThemes: ['advocacy'] });
    const chunks = [[item(1), item(2), item(1), tagged], [item(2), tagged, item(4)]];
    expect(await t.ctx.store.writeUpload(write(cid, 'u1', chunks))).toEqual({ inserted: 4, existing: 3 });
    expect(await counts(t)).toEqual({ items: 4, uploads: 1, participants: 1, counted: 4 });
    const tags = await t.client.execute('select count(*) as n from item_themes');
    expect(Number(tags.rows[0]?.n)).toBe(1);
  });

  test('a database failure in a later chunk, with chunks in flight, leaves nothing behind', async () => {
    const t = await env();
    const cid = await consultationId(t);
    await t.client.execute(
      "create trigger fail_late before insert on items when new.text = 'feedback number 4321' begin select raise(abort, 'injected failure'); end",
    );
    await expect(t.ctx.store.writeUpload(write(cid, 'u1', chunked(0, 6000, 500)))).rejects.toThrow(/injected failure/);
    expect(await counts(t)).toEqual({ items: 0, uploads: 0, participants: 0, counted: 0 });
    // The connection is usable again at once.
    await t.client.execute('drop trigger fail_late');
    expect(await t.ctx.store.writeUpload(write(cid, 'u1', chunked(0, 6000, 500)))).toEqual({ inserted: 6000, existing: 0 });
  });

  test('a failure while preparing a later chunk rolls back what was already sent', async () => {
    const t = await env();
    const cid = await consultationId(t);
    function* failing() {
      yield chunked(0, 1000, 1000)[0] ?? [];
      yield chunked(1000, 2000, 1000)[0] ?? [];
      throw new Error('the parser gave up');
    }
    await expect(t.ctx.store.writeUpload(write(cid, 'u1', failing()))).rejects.toThrow('the parser gave up');
    expect(await counts(t)).toEqual({ items: 0, uploads: 0, participants: 0, counted: 0 });
  });

  test('the same bytes twice fail on the upload row, and the first upload stays whole', async () => {
    const t = await env();
    const cid = await consultationId(t);
    await t.ctx.store.writeUpload(write(cid, 'u1', chunked(0, 100, 50)));
    const again = write(cid, 'u2', chunked(100, 200, 50));
    again.upload.sha256 = 'sha-u1';
    await expect(t.ctx.store.writeUpload(again)).rejects.toThrow(/UNIQUE/);
    expect(await counts(t)).toEqual({ items: 100, uploads: 1, participants: 1, counted: 100 });
  });

  test('uploads written at the same time take turns and both land', async () => {
    const t = await env();
    const cid = await consultationId(t);
    async function* slow(from: number) {
      for (const c of chunked(from, from + 3000, 500)) {
        await new Promise((r) => setTimeout(r, 2));
        yield c;
      }
    }
    const results = await Promise.all([t.ctx.store.writeUpload(write(cid, 'a', slow(0))), t.ctx.store.writeUpload(write(cid, 'b', slow(1500)))]);
    expect(results.map((r) => r.inserted + r.existing)).toEqual([3000, 3000]);
    expect(results[0].inserted + results[1].inserted).toBe(4500);
    expect(await counts(t)).toEqual({ items: 4500, uploads: 2, participants: 1, counted: 4500 });
  });
});

describe('the write thread', () => {
  test('stops when idle and starts again for the next upload', async () => {
    const t = await testEnv();
    const cid = await consultationId(t);
    await t.ctx.store.writeUpload(write(cid, 'u1', chunked(0, 10, 10)));
    await new Promise((r) => setTimeout(r, 400)); // testEnv's idle time is 200 ms
    await t.ctx.store.writeUpload(write(cid, 'u2', chunked(10, 20, 10)));
    expect((await counts(t)).items).toBe(20);
  });
});
