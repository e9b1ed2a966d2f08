/** libSQL: an embedded file on Node, or `libsql://` / `https://` over HTTP on Workers. */
import type { Client, InArgs, InStatement, InValue, Transaction, TransactionMode } from '@libsql/client';
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
  /**
   * Local files: writes outside sessions (drizzle's inserts, `batch`) wait for the open session to end,
   * see gateWrites. `takeTurn` is the turn sessions take (the write thread's); this module's own otherwise.
   */
  gateWrites?: { takeTurn?: TakeTurn };
  /** Statements that make deleted rows leave the files (Database.purge), run as a write. */
  purge?: string[];
}

/** Waits for a turn among the writers of a database; the function it resolves to ends the turn. */
export type TakeTurn = () => Promise<() => void>;

export function libsqlDatabase(raw: Client, opts: LibsqlOptions = {}): Database {
  const head = (opts.perWrite ?? []).map((sql) => ({ sql, args: [] }));
  const before = opts.beforeWrite ?? [];
  const prepare = async () => {
    for (const sql of before) await raw.execute(sql);
  };
  // Sessions of this process take turns: on a local file the driver is synchronous, so a second write
  // transaction would wait for the busy timeout on the very thread the first one needs to finish.
  const turns = new Turns();
  // Sessions below run on `raw` (they hold the turn already); everything else on `client`.
  const client = opts.gateWrites ? gateWrites(raw, opts.gateWrites.takeTurn ?? (() => turns.take())) : raw;
  const db: Db = drizzle(client, { schema });
  const purgeStatements = opts.purge;
  return {
    db,
    maxParams: 30_000,
    kind: 'libsql',
    ...(purgeStatements
      ? {
          async purge() {
            for (const sql of purgeStatements) await client.execute(sql);
          },
        }
      : {}),
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
          const tx = await raw.transaction('write');
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

/**
 * A client whose writes wait for their turn with the write sessions: `await c.execute('insert …')` runs
 * once no session is open, and holds new ones off until it is done; reads run at once.
 *
 * Why: on a local file the driver is synchronous, so a write that meets another connection's write lock
 * blocks the whole main thread in SQLite's busy wait. A session's lock is held until the main thread sends
 * its next chunk and its commit, which it cannot while it waits: the write failed with SQLITE_BUSY after the
 * full busy timeout (10 s), every time it met an open upload. Waiting for the turn instead blocks nothing.
 * Reads need no turn: in WAL they never wait for a writer.
 */
export function gateWrites(client: Client, takeTurn: TakeTurn): Client {
  const inTurn = async <T>(work: () => Promise<T>): Promise<T> => {
    const release = await takeTurn();
    try {
      return await work();
    } finally {
      release();
    }
  };
  const gated = {
    execute: (stmt: InStatement | string, args?: InArgs) => {
      const sql = typeof stmt === 'string' ? stmt : stmt.sql;
      const run = () => (typeof stmt === 'string' ? client.execute(stmt, args) : client.execute(stmt));
      return isRead(sql) ? run() : inTurn(run);
    },
    batch: (stmts: Array<InStatement | [string, InArgs?]>, mode?: TransactionMode) =>
      mode === 'read' ? client.batch(stmts, mode) : inTurn(() => client.batch(stmts, mode)),
    migrate: (stmts: InStatement[]) => inTurn(() => client.migrate(stmts)),
    executeMultiple: (sql: string) => inTurn(() => client.executeMultiple(sql)),
    transaction: async (mode?: TransactionMode) => {
      if (mode === 'read') return client.transaction(mode);
      // Held until the transaction ends, as a session's is.
      const release = await takeTurn();
      try {
        return turnEndsWith(await client.transaction(mode), release);
      } catch (err) {
        release();
        throw err;
      }
    },
  };
  return new Proxy(client, {
    get(target, prop) {
      if (Object.hasOwn(gated, prop)) return gated[prop as keyof typeof gated];
      const value: unknown = Reflect.get(target, prop, target);
      // Its methods read private fields: they must run on the client itself, not on the proxy.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Whether a statement only reads (`select …`, `explain …`); anything else is taken for a write. */
function isRead(sql: string): boolean {
  return /^\s*(select|explain)\b/i.test(sql);
}

function turnEndsWith(tx: Transaction, release: () => void): Transaction {
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    release();
  };
  return new Proxy(tx, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (prop === 'commit' || prop === 'rollback') {
        return async () => {
          try {
            await (prop === 'commit' ? target.commit() : target.rollback());
          } finally {
            end();
          }
        };
      }
      if (prop === 'close') {
        return () => {
          try {
            target.close();
          } finally {
            end();
          }
        };
      }
      return value.bind(target);
    },
  });
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
