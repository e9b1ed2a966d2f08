/** The file's write thread on its own: order, failures, turns, restart. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { describe, expect, test } from 'vitest';
import type { InsertNew } from '../../src/store/db';
import { FileWriter } from '../../src/store/file-writer';

/** Rows of t keyed by (s, k): s is shared by every row of a call. */
const T: InsertNew = { table: 't', shared: { s: 'x' }, columns: ['k', 'v'], scope: 's', key: 'k' };

async function fresh() {
  const path = join(mkdtempSync(join(tmpdir(), 'sfp-writer-')), 'w.db');
  const client = createClient({ url: `file:${path}` });
  await client.execute('pragma journal_mode = wal');
  await client.execute('create table t (s text not null, k text not null, v integer not null, primary key (s, k))');
  const writer = new FileWriter({ path, timeout: 5000, pragmas: ['pragma secure_delete = on'], beforeWrite: ['pragma synchronous = normal'], idleMs: 100 });
  const rows = async () => (await client.execute('select k, v from t order by k')).rows.map((r) => [r.k, r.v]);
  return { client, writer, rows };
}

describe('FileWriter', () => {
  test('insertNew reports which rows it inserted: keys already there, and repeated within a call, are skipped', async () => {
    const { writer, rows } = await fresh();
    const s = await writer.session();
    const first = s.insertNew(T, [['a', 1], ['b', 2], ['a', 9]]);
    const second = s.insertNew(T, [['b', 3], ['c', 4]]);
    const update = s.run([{ sql: 'update t set v = v * 10 where k = ?', args: ['c'] }]);
    expect([...(await first)]).toEqual([1, 1, 0]);
    expect([...(await second)]).toEqual([0, 1]);
    await update;
    await s.commit();
    expect(await rows()).toEqual([['a', 1], ['b', 2], ['c', 40]]);
    await writer.close();
  });

  test('insertNew across groups: 500 rows, every third already there', async () => {
    const { writer, rows } = await fresh();
    const key = (i: number) => `k${String(i).padStart(4, '0')}`;
    const s = await writer.session();
    await s.insertNew(T, Array.from({ length: 167 }, (_, i) => [key(i * 3), -1]));
    const changes = await s.insertNew(T, Array.from({ length: 500 }, (_, i) => [key(i), i]));
    await s.commit();
    expect([...changes]).toEqual(Array.from({ length: 500 }, (_, i) => (i % 3 === 0 ? 0 : 1)));
    const stored = await rows();
    expect(stored).toHaveLength(167 + 333);
    expect(stored.filter((r) => r[1] === -1)).toHaveLength(167);
    await writer.close();
  });

  test('several shared columns are bound once a statement and land in every row, in their own columns', async () => {
    const { client, writer } = await fresh();
    await client.execute('create table u (a text not null, b integer, k text not null, c text, v integer not null, primary key (a, k))');
    const spec: InsertNew = { table: 'u', shared: { a: 'scope', b: 7, c: null }, columns: ['k', 'v'], scope: 'a', key: 'k' };
    const s = await writer.session();
    // 100 rows: two full groups of 48 and a short one of 4.
    const changes = await s.insertNew(spec, Array.from({ length: 100 }, (_, i) => [`k${String(i).padStart(3, '0')}`, i]));
    await s.commit();
    expect([...changes]).toEqual(Array(100).fill(1));
    const rs = await client.execute('select a, b, c, k, v from u order by k');
    expect(rs.rows.map((r) => [r.a, r.b, r.c, r.k, r.v])).toEqual(Array.from({ length: 100 }, (_, i) => ['scope', 7, null, `k${String(i).padStart(3, '0')}`, i]));
    await writer.close();
  });

  test('a keying module that cannot be loaded fails the writes that need it, with the reason, and only those', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sfp-writer-')), 'w.db');
    const client = createClient({ url: `file:${path}` });
    await client.execute('create table t (s text not null, k text not null, v integer not null, primary key (s, k))');
    const writer = new FileWriter({ path, timeout: 5000, pragmas: [], beforeWrite: [], idleMs: 100, keyingModule: '/nonexistent/hash-key.ts' });
    const s = await writer.session();
    const keyed: InsertNew = { ...T, columns: ['k', 'v'], hashKey: { at: 'k', text: 'k' } };
    await expect(s.insertNew(keyed, [['a', 1]])).rejects.toThrow(/cannot load \/nonexistent\/hash-key\.ts/);
    await s.rollback();
    const next = await writer.session();
    expect([...(await next.insertNew(T, [['a', 1]]))]).toEqual([1]);
    await next.commit();
    await writer.close();
    client.close();
  });

  test('after a failure every later call of the session fails, and rollback leaves nothing', async () => {
    const { writer, rows } = await fresh();
    const s = await writer.session();
    const ok = s.insertNew(T, [['a', 1]]);
    const bad = s.insertNew(T, [['b', null]]);
    const after = s.run([{ sql: "insert into t (s, k, v) values ('x', 'z', 9)", args: [] }]);
    await expect(ok).resolves.toBeInstanceOf(Uint8Array);
    await expect(bad).rejects.toThrow(/NOT NULL/);
    await expect(after).rejects.toThrow(/NOT NULL/);
    await s.rollback();
    expect(await rows()).toEqual([]);
    // The next session starts clean.
    const next = await writer.session();
    await next.run([{ sql: "insert into t (s, k, v) values ('x', 'n', 1)", args: [] }]);
    await next.commit();
    expect(await rows()).toEqual([['n', 1]]);
    await writer.close();
  });

  test('a failing commit is reported, rolled back, and the writer stays usable', async () => {
    const { writer: plain, client, rows } = await fresh();
    await plain.close();
    await client.execute('create table parent (id integer primary key)');
    await client.execute('create table child (p integer references parent(id) deferrable initially deferred)');
    const path = (await client.execute('pragma database_list')).rows[0]?.file;
    const writer = new FileWriter({ path: String(path), timeout: 5000, pragmas: ['pragma foreign_keys = on'], beforeWrite: [] });
    const s = await writer.session();
    await s.run([
      { sql: "insert into t (s, k, v) values ('x', 'kept?', 1)", args: [] },
      { sql: 'insert into child (p) values (42)', args: [] },
    ]);
    // The deferred foreign key is checked at commit.
    await expect(s.commit()).rejects.toThrow(/FOREIGN KEY/);
    expect(await rows()).toEqual([]);
    const next = await writer.session();
    await next.run([{ sql: "insert into t (s, k, v) values ('x', 'x', 1)", args: [] }]);
    await next.commit();
    expect(await rows()).toEqual([['x', 1]]);
    await writer.close();
  });

  test('sessions take turns; an idle thread stops and the next session starts it again', async () => {
    const { writer, rows } = await fresh();
    const order: string[] = [];
    const one = (async () => {
      const s = await writer.session();
      order.push('one begins');
      await new Promise((r) => setTimeout(r, 30));
      await s.run([{ sql: "insert into t (s, k, v) values ('x', 'one', 1)", args: [] }]);
      order.push('one commits');
      await s.commit();
    })();
    const two = (async () => {
      const s = await writer.session();
      order.push('two begins');
      await s.run([{ sql: "insert into t (s, k, v) values ('x', 'two', 2)", args: [] }]);
      await s.commit();
    })();
    await Promise.all([one, two]);
    expect(order).toEqual(['one begins', 'one commits', 'two begins']);
    await new Promise((r) => setTimeout(r, 300));
    const s = await writer.session();
    await s.run([{ sql: "insert into t (s, k, v) values ('x', 'three', 3)", args: [] }]);
    await s.commit();
    expect(await rows()).toEqual([['one', 1], ['three', 3], ['two', 2]]);
    await writer.close();
  });

  test('warm starts the thread before a session is asked for; unused, it stops after the idle time', async () => {
    const { writer, rows } = await fresh();
    expect(writer.running).toBe(false);
    writer.warm();
    expect(writer.running).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    expect(writer.running).toBe(false);
    writer.warm();
    writer.warm();
    const s = await writer.session();
    await s.insertNew(T, [['a', 1]]);
    await s.commit();
    expect(await rows()).toEqual([['a', 1]]);
    await writer.close();
    expect(writer.running).toBe(false);
  });

  test('a session that starts while an idle thread is closing gets a thread of its own', async () => {
    const { rows, client } = await fresh();
    const path = String((await client.execute('pragma database_list')).rows[0]?.file);
    // Idle after 1 ms: sessions keep landing right on the moment the thread is told to stop.
    const writer = new FileWriter({ path, timeout: 5000, pragmas: [], beforeWrite: ['pragma synchronous = normal'], idleMs: 1 });
    for (let i = 0; i < 40; i++) {
      const s = await writer.session();
      await s.insertNew(T, [[`k${String(i).padStart(2, '0')}`, i]]);
      await s.commit();
      await new Promise((r) => setTimeout(r, i % 4));
    }
    expect((await rows()).length).toBe(40);
    await writer.close();
  });

  test('a database that cannot be opened fails the session with the reason', async () => {
    const writer = new FileWriter({ path: '/nonexistent-dir/x/y.db', timeout: 100, pragmas: [], beforeWrite: [] });
    await expect(writer.session()).rejects.toThrow(/./);
    await writer.close();
  });
});
