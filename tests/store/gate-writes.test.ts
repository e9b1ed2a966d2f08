/**
 * Writes outside a session while a session is open on a local file (the LLM cache, a tagging run, a batch
 * during an upload). They used to meet the session's write lock in SQLite's busy wait, which blocks the
 * main thread the session needs to commit: SQLITE_BUSY after the full 10 s busy timeout, every time.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { openLibsqlFile } from '../../src/store/libsql-file';

async function fresh(writeThread: boolean) {
  const url = `file:${join(mkdtempSync(join(tmpdir(), 'sfp-gate-')), 'g.db')}`;
  const opened = await openLibsqlFile(url, {}, { writeThread });
  await opened.client.execute('create table t (k text primary key, v text not null)');
  const keys = async () => (await opened.client.execute('select k from t order by k')).rows.map((r) => r.k);
  return { ...opened, keys };
}

type Write = 'drizzle run' | 'batch' | 'all (insert returning)';

const writes: { name: Write; write: (d: Awaited<ReturnType<typeof fresh>>['database']) => Promise<unknown> }[] = [
  // drizzle runs a query when it is awaited: `then` starts it now.
  { name: 'drizzle run', write: (d) => d.db.run(sql`insert into t (k, v) values ('outside', 'x')`).then((r) => r) },
  { name: 'batch', write: (d) => d.batch([{ sql: "insert into t (k, v) values ('outside', 'x')", args: [] }]) },
  { name: 'all (insert returning)', write: (d) => d.all({ sql: "insert into t (k, v) values ('outside', 'x') returning k", args: [] }) },
];

describe.each([
  { thread: 'the write thread', writeThread: true },
  { thread: 'a client transaction', writeThread: false },
])('a write outside an open session on $thread', ({ writeThread }) => {
  test.each(writes)('$name waits for the session to end, then goes in at once', async ({ write }) => {
    const { database, close, keys } = await fresh(writeThread);
    const session = await database.writeSession?.();
    if (!session) throw new Error('a libSQL file has write sessions');
    // The session holds the file's write lock from here until it commits.
    await session.run([{ sql: "insert into t (k, v) values ('session', 'y')", args: [] }]);
    const started = Date.now();
    const outside = write(database);
    // Reads do not wait: WAL lets them see the last commit while the session writes.
    expect(await keys()).toEqual([]);
    // The write has had every chance to start before the commit is sent.
    await new Promise((r) => setTimeout(r, 50));
    await session.commit();
    await outside;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await keys()).toEqual(['outside', 'session']);
    await close();
  });
});

describe('reads on a database whose session is open', () => {
  test('a select through drizzle answers before the session commits', async () => {
    const { database, close } = await fresh(true);
    await database.batch([{ sql: "insert into t (k, v) values ('before', 'x')", args: [] }]);
    const session = await database.writeSession?.();
    if (!session) throw new Error('a libSQL file has write sessions');
    await session.run([{ sql: "insert into t (k, v) values ('session', 'y')", args: [] }]);
    const rows = await database.all<{ k: string }>({ sql: 'select k from t order by k', args: [] });
    expect(rows.map((r) => r.k)).toEqual(['before']);
    await session.commit();
    await close();
  });
});
