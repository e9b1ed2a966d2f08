/** A write session on a client transaction (libSQL over HTTP; on Node without the write thread): keys made from rows. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { describe, expect, test } from 'vitest';
import type { InsertNew } from '../../src/store/db';
import { libsqlDatabase } from '../../src/store/libsql';
import { contentHash } from '../../src/text/content-hash';

const H: InsertNew = { table: 'h', shared: { s: 'x' }, columns: ['at', 'k', 'body'], scope: 's', key: 'k', hashKey: { at: 'at', text: 'body' } };

async function fresh() {
  const client = createClient({ url: `file:${join(mkdtempSync(join(tmpdir(), 'sfp-client-')), 'c.db')}` });
  await client.execute('create table h (s text not null, at text, k text not null, body text not null, primary key (s, k))');
  const session = libsqlDatabase(client).writeSession;
  if (!session) throw new Error('libSQL databases have write sessions');
  return { client, session };
}

describe('client write session, hashKey', () => {
  test('each row is keyed by its content hash; rows the same once folded are one', async () => {
    const { client, session } = await fresh();
    const s = await session();
    const changes = await s.insertNew(H, [
      ['2022-03-18T14:56:01', 'h\u0000', 'Offline  Wikipedia'],
      ['2022-03-18T14:56:30', 'h\u0000', 'offline wikipedia'],
    ]);
    await s.commit();
    expect([...changes]).toEqual([1, 0]);
    const rs = await client.execute('select k from h');
    expect(rs.rows.map((r) => r.k)).toEqual([contentHash('2022-03-18T14:56:01', 'h\u0000', 'Offline  Wikipedia')]);
    client.close();
  });

  test('a row that cannot be keyed fails its call and every later one; rollback leaves nothing', async () => {
    const { client, session } = await fresh();
    const s = await session();
    const first = s.insertNew(H, [['2022-03-18T14:56:01', 'h\u0000', 'kept?']]);
    const bad = s.insertNew(H, [['2022-03-18T14:56:01', 42, 'no head']]);
    const later = s.insertNew(H, [['2022-03-18T14:57:01', 'h\u0000', 'after']]);
    expect([...(await first)]).toEqual([1]);
    await expect(bad).rejects.toThrow(/a content hash needs a text time \(or null\), a text head and a text/);
    await expect(later).rejects.toThrow();
    await s.rollback();
    expect((await client.execute('select count(*) as n from h')).rows[0]?.n).toBe(0);
    client.close();
  });
});
