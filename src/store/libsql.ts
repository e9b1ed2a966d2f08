/** libSQL: an embedded file on Node, or `libsql://` / `https://` over HTTP on Workers. */
import type { Client, InValue, Transaction } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import * as schema from '../../schema';
import type { Database, Db, RawStatement, WriteSession } from './db';
import { keyRowsInPlace } from './hash-key';
import { Turns } from './turns';

export interface LibsqlOptions {
  /** Statements run inside every write, at its head (connection pragmas that may be set in a transaction). */
  perWrite?: string[];
  /**
   * Statements run just before every write, outside it, for pragmas SQLite refuses inside a transaction;
   * best effort, since the client may hand the write another pooled connection.
   */
  beforeWrite?: string[];
  /** Where write sessions run instead of on a client transaction (the file's write thread on Node). */
  sessions?: () => Promise<WriteSession>;
  /** Gets `sessions` ready ahead of a write (see Database.warm). */
  warm?: () => void;
}

export function libsqlDatabase(client: Client, opts: LibsqlOptions = {}): Database {
  const head = (opts.perWrite ?? []).map((sql) => ({ sql, args: [] }));
  const before = opts.beforeWrite ?? [];
  const prepare = async () => {
    for (const sql of before) await client.execute(sql);
  };
  const db: Db = drizzle(client, { schema });
  // Sessions of this process take turns: on a local file the driver is synchronous, so a second write
  // transaction would wait for the busy timeout on the very thread the first one needs to finish.
  const turns = new Turns();
  return {
    db,
    maxParams: 30_000,
    kind: 'libsql',
    async batch(statements) {
      if (statements.length === 0) return;
      await prepare();
      await client.batch([...head, ...statements.map(toIn)], 'write');
    },
    writeSession:
      opts.sessions ??
      (async () => {
        const release = await turns.take();
        try {
          await prepare();
          const tx = await client.transaction('write');
          try {
            if (head.length > 0) await tx.batch(head);
          } catch (err) {
            tx.close();
            throw err;
          }
          return clientSession(tx, release);
        } catch (err) {
          release();
          throw err;
        }
      }),
    ...(opts.warm ? { warm: opts.warm } : {}),
    async all<T>(statement: { sql: string; args: unknown[] }) {
      const rs = await client.execute({ sql: statement.sql, args: statement.args as InValue[] });
      return rs.rows as unknown as T[];
    },
  };
}

function toIn(s: RawStatement) {
  return { sql: s.sql, args: s.args as InValue[] };
}

/** A session on a client transaction (libSQL over HTTP; on Node, when there is no write thread). */
function clientSession(tx: Transaction, ended: () => void): WriteSession {
  // Calls may come without awaiting each other: chain them so they run in order, and fail after a failure.
  let tail: Promise<unknown> = Promise.resolve();
  const inOrder = <T>(work: () => Promise<T>): Promise<T> => {
    const next = tail.then(work);
    tail = next;
    return next;
  };
  return {
    run: (statements) =>
      inOrder(async () => {
        if (statements.length > 0) await tx.batch(statements.map(toIn));
      }),
    insertNew: (spec, rows) => {
      // One conflict-skipping insert per row: over HTTP the batch is one round trip whatever its size.
      const shared = Object.keys(spec.shared);
      const columns = [...shared, ...spec.columns];
      const sql = `insert into ${spec.table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')}) on conflict do nothing`;
      const values = shared.map((c) => spec.shared[c] ?? null);
      return inOrder(async () => {
        // Keyed in turn, so a row that cannot be keyed fails this call like any other failure of it.
        let keyed = rows;
        if (spec.hashKey) {
          // The caller's rows stay as they were given.
          keyed = rows.map((row) => row.slice());
          keyRowsInPlace(spec, keyed);
        }
        if (keyed.length === 0) return new Uint8Array(0);
        const results = await tx.batch(keyed.map((row) => ({ sql, args: [...values, ...row] as InValue[] })));
        return Uint8Array.from(results, (r) => r.rowsAffected);
      });
    },
    commit: async () => {
      try {
        await tail;
        await tx.commit();
      } finally {
        tx.close();
        ended();
      }
    },
    rollback: async () => {
      try {
        await tail.catch(() => {});
        await tx.rollback();
      } finally {
        tx.close();
        ended();
      }
    },
  };
}
