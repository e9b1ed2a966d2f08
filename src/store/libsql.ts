/** libSQL: an embedded file on Node, or `libsql://` / `https://` over HTTP on Workers. */
import type { Client, InValue } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import * as schema from '../../schema';
import type { Database, Db } from './db';

/** `perWrite`: statements run at the start of every write (connection pragmas, see libsql-file.ts). */
export function libsqlDatabase(client: Client, opts: { perWrite?: string[] } = {}): Database {
  const head = (opts.perWrite ?? []).map((sql) => ({ sql, args: [] }));
  const db: Db = drizzle(client, { schema });
  return {
    db,
    maxParams: 30_000,
    kind: 'libsql',
    async batch(statements) {
      if (statements.length === 0) return;
      await client.batch([...head, ...statements.map((s) => ({ sql: s.sql, args: s.args as InValue[] }))], 'write');
    },
    async transaction(chunks) {
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
