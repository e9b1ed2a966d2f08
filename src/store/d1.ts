/** D1 on Workers: atomic writes go through `batch`, since D1 has no interactive transactions. */
import { drizzle } from 'drizzle-orm/d1';
import * as schema from '../../schema';
import type { Database, Db } from './db';

export function d1Database(binding: D1Database): Database {
  const db: Db = drizzle(binding, { schema });
  return {
    db,
    maxParams: 100,
    kind: 'd1',
    async batch(statements) {
      if (statements.length === 0) return;
      await binding.batch(statements.map((s) => binding.prepare(s.sql).bind(...s.args)));
    },
    async all<T>(statement: { sql: string; args: unknown[] }) {
      const rs = await binding
        .prepare(statement.sql)
        .bind(...statement.args)
        .all<T>();
      return rs.results;
    },
  };
}
