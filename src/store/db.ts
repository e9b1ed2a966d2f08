/**
 * The database handle every store function takes. The same drizzle SQLite dialect runs over a libSQL
 * file (Node), libSQL over HTTP (Turso) and D1. Bulk writes bypass drizzle's query builder through
 * `batch`, which both drivers run atomically (libSQL as one write transaction, D1 as one batch).
 */
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from '../../schema';

export type Schema = typeof schema;
export type Db = BaseSQLiteDatabase<'async', unknown, Schema>;

export type SqlValue = string | number | bigint | null | Uint8Array;
export interface RawStatement {
  sql: string;
  args: SqlValue[];
}

export interface Database {
  db: Db;
  /** Most bound parameters one statement may carry on this driver (D1 binds at most 100). */
  maxParams: number;
  kind: 'libsql' | 'd1';
  /** Runs the statements all-or-nothing. */
  batch(statements: RawStatement[]): Promise<void>;
  /**
   * Opens one write transaction whose statements are sent as they become ready, so a large upload is
   * prepared and written chunk by chunk and never held whole. libSQL only: D1 has no interactive
   * transactions, and its callers build one `batch` instead.
   */
  writeSession?(): Promise<WriteSession>;
  /** Gets ready for a write session about to be asked for (starts the file's write thread); a hint, optional. */
  warm?(): void;
  /** Runs one read query and returns its rows as objects. */
  all<T>(statement: RawStatement): Promise<T[]>;
  /**
   * Makes rows just deleted leave the database's files now, not at some later checkpoint: a local file in
   * WAL mode keeps the pages a delete overwrote in its -wal file until then. Absent where the service keeps
   * the files (D1, Turso).
   */
  purge?(): Promise<void>;
}

/**
 * One open write transaction. Calls may be issued without awaiting the one before: they run in order, and
 * once one fails every later one fails too, until `rollback`. Exactly one of commit or rollback ends it.
 */
export interface WriteSession {
  run(statements: RawStatement[]): Promise<void>;
  /** Inserts the rows whose key is not in the table yet; resolves to 1 for each row inserted, 0 for each already there. */
  insertNew(spec: InsertNew, rows: SqlValue[][]): Promise<Uint8Array>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/**
 * Rows for one table that are new unless (scope, key) is already there, e.g. items by (consultation_id,
 * content_hash). Names come from code, never from input. `shared` holds the columns every row has the same
 * value in (sent once); each row lists the values of `columns` in order.
 */
export interface InsertNew {
  table: string;
  shared: Record<string, SqlValue>;
  columns: string[];
  /**
   * A column of `shared`; together with `key` it is unique in the table. The table must have rowids: the
   * file's write thread tells which rows of a short insert went in by their rowids.
   */
  scope: string;
  /** A column of `columns`. */
  key: string;
  /**
   * When set, each row gives the head of its content hash in the `key` column, not the key: the key is
   * `contentHash(row[at], head, row[text])` (src/text/content-hash.ts), both columns of `columns`. The
   * session makes it where it writes: the file's write thread does, off the main thread that prepares rows.
   */
  hashKey?: { at: string; text: string };
}
