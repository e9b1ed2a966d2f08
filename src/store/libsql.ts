/** libSQL: an embedded file on Node, or `libsql://` / `https://` over HTTP on Workers. */
import type { Client, InValue } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import * as schema from '../../schema';
import type { Database, Db } from './db';

/**
 * `perWrite`: statements run inside every write, at its head (connection pragmas that may be set in a
 * transaction). `beforeWrite`: statements run just before every write, outside it, for pragmas SQLite
 * refuses inside a transaction; best effort, since the client may hand the write another pooled connection.
 */
export function libsqlDatabase(client: Client, opts: { perWrite?: string[]; beforeWrite?: string[] } = {}): Database {
  const head = (opts.perWrite ?? []).map((sql) => ({ sql, args: [] }));
  const before = opts.beforeWrite ?? [];
  const prepare = async () => {
    for (const sql of before) await client.execute(sql);
  };
  const db: Db = drizzle(client, { schema });
  return {
    db,
    maxParams: 30_000,
    kind: 'libsql',
    async batch(statements) {
      if (statements.length === 0) return;
      await prepare();
      await client.batch([...head, ...statements.map((s) => ({ sql: s.sql, args: s.args as InValue[] }))], 'write');
    },
    async transaction(chunks) {
      await prepare();
      const tx = await client.transaction('write');
      try {
        if (head.length > 0) await tx.batch(head);
        for (const chunk of chunks) {
          if (chunk.length > 0) await tx.batch(chunk.map((s) => ({ sql: s.sql, args: s.args as InValue[] })));
        }
        await tx.commit();
      } finally {
        tx.close();
      }
    },
    async all<T>(statement: { sql: string; args: unknown[] }) {
      const rs = await client.execute({ sql: statement.sql, args: statement.args as InValue[] });
      return rs.rows as unknown as T[];
    },
  };
}
