/**
 * InsertNew.hashKey on both kinds of write session: the file's write thread (which makes the keys off the main
 * thread) and a client transaction (libSQL over HTTP; on Node without the write thread). Same rows, same keys.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, createClient } from '@libsql/client';
import { describe, expect, test } from 'vitest';
import type { InsertNew, WriteSession } from '../../src/store/db';
import { FileWriter } from '../../src/store/file-writer';
import { libsqlDatabase } from '../../src/store/libsql';
import { contentHash } from '../../src/text/content-hash';

const H: InsertNew = { table: 'h', shared: { s: 'x' }, columns: ['at', 'k', 'body'], scope: 's', key: 'k', hashKey: { at: 'at', text: 'body' } };

interface Sessions {
  client: Client;
  session: () => Promise<WriteSession>;
  close: () => Promise<void>;
}

async function table(): Promise<{ path: string; client: Client }> {
  const path = join(mkdtempSync(join(tmpdir(), 'sfp-hash-key-')), 'h.db');
  const client = createClient({ url: `file:${path}` });
  await client.execute('pragma journal_mode = wal');
  await client.execute('create table h (s text not null, at text, k text not null, body text not null, primary key (s, k))');
  return { path, client };
}

describe.each<[string, () => Promise<Sessions>]>([
  [
    'the write thread',
    async () => {
      const { path, client } = await table();
      const writer = new FileWriter({ path, timeout: 5000, pragmas: [], beforeWrite: [], idleMs: 100 });
      return { client, session: () => writer.session(), close: () => writer.close().then(() => client.close()) };
    },
  ],
  [
    'a client transaction',
    async () => {
      const { client } = await table();
      const session = libsqlDatabase(client).writeSession;
      if (!session) throw new Error('libSQL databases have write sessions');
      return { client, session, close: async () => client.close() };
    },
  ],
])('hashKey on %s', (_name, open) => {
  test('each row is keyed by its content hash, so rows the same once folded are one', async () => {
    const { client, session, close } = await open();
    const rows = [
      ['2022-03-18T14:56:01', 'head\u0000', 'We need  offline Wikipedia'],
      [null, 'head\u0000', 'We need offline Wikipedia'],
      ['2022-03-18T14:56:59', 'head\u0000', 'we NEED offline wikipedia'],
    ];
    const s = await session();
    const changes = await s.insertNew(H, rows.map((r) => [...r]));
    await s.commit();
    // The third is the first folded (case and spaces) in the same minute; the second has no time.
    expect([...changes]).toEqual([1, 1, 0]);
    const stored = await client.execute('select at, k, body from h order by rowid');
    expect(stored.rows.map((r) => [r.at, r.k, r.body])).toEqual(rows.slice(0, 2).map(([at, head, body]) => [at, contentHash(at ?? null, head ?? '', body ?? ''), body]));
    await close();
  });

  test('a row that cannot be keyed fails its call and every later one; rollback leaves nothing', async () => {
    const { client, session, close } = await open();
    const s = await session();
    const first = s.insertNew(H, [['2022-03-18T14:56:01', 'head\u0000', 'kept?']]);
    const bad = s.insertNew(H, [['2022-03-18T14:56:01', 42, 'no head']]);
    const later = s.insertNew(H, [['2022-03-18T14:57:01', 'head\u0000', 'after']]);
    expect([...(await first)]).toEqual([1]);
    await expect(bad).rejects.toThrow(/a content hash needs a text time \(or null\), a text head and a text/);
    await expect(later).rejects.toThrow();
    await s.rollback();
    expect((await client.execute('select count(*) as n from h')).rows[0]?.n).toBe(0);
    await close();
  });
});
