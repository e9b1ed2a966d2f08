/** Opening a libSQL file: a new file gets the app's page size and WAL; an existing file keeps its page size. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { describe, expect, test } from 'vitest';
import { NEW_FILE_PAGE_SIZE, openLibsqlFile } from '../../src/store/libsql-file';

async function pragma(url: string, name: string): Promise<unknown> {
  const c = createClient({ url });
  try {
    return (await c.execute(`pragma ${name}`)).rows[0]?.[0];
  } finally {
    c.close();
  }
}

describe('openLibsqlFile', () => {
  test('a new file gets the page size for large uploads, and WAL', async () => {
    const url = `file:${join(mkdtempSync(join(tmpdir(), 'sfp-file-')), 'new.db')}`;
    const opened = await openLibsqlFile(url, {}, { writeThread: false });
    await opened.client.execute('create table t (x)');
    await opened.close();
    expect(await pragma(url, 'page_size')).toBe(NEW_FILE_PAGE_SIZE);
    expect(await pragma(url, 'journal_mode')).toBe('wal');
  });

  test('an existing file keeps its page size and its rows', async () => {
    const url = `file:${join(mkdtempSync(join(tmpdir(), 'sfp-file-')), 'old.db')}`;
    const old = createClient({ url });
    await old.execute('pragma page_size = 4096');
    await old.execute('create table t (x)');
    await old.execute("insert into t values ('kept')");
    old.close();
    const opened = await openLibsqlFile(url, {}, { writeThread: false });
    expect((await opened.client.execute('select x from t')).rows.map((r) => r.x)).toEqual(['kept']);
    await opened.close();
    expect(await pragma(url, 'page_size')).toBe(4096);
    expect(await pragma(url, 'journal_mode')).toBe('wal');
  });
});
