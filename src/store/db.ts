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
   * Runs chunks of statements all-or-nothing, building each chunk only when it is needed: an interactive
   * write transaction on libSQL (so a large upload never holds all its rows at once), one batch on D1.
   */
  transaction(chunks: Iterable<RawStatement[]>): Promise<void>;
  /** Runs one read query and returns its rows as objects. */
  all<T>(statement: RawStatement): Promise<T[]>;
}
