/** libSQL: an embedded file on Node, or `libsql://` / `https://` over HTTP on Workers. */
import type { Client, InValue } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import * as schema from '../../schema';
import type { Database, Db } from './db';

export function libsqlDatabase(client: Client): Database {
  const db: Db = drizzle(client, { schema });
  return {
    db,
    maxParams: 30_000,
    kind: 'libsql',
    async batch(statements) {
      if (statements.length === 0) return;
      await client.batch(
        statements.map((s) => ({ sql: s.sql, args: s.args as InValue[] })),
        'write',
      );
    },
    async all<T>(statement: { sql: string; args: unknown[] }) {
      const rs = await client.execute({ sql: statement.sql, args: statement.args as InValue[] });
      return rs.rows as unknown as T[];
    },
  };
}
