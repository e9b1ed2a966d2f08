/** Opening an embedded libSQL file the way the app wants it. */
import { fileURLToPath } from 'node:url';
import { type Client, createClient } from '@libsql/client';
import type { Database } from './db';
import { FileWriter } from './file-writer';
import { libsqlDatabase } from './libsql';

/**
 * Connection settings every write runs with. The client keeps a pool of connections and per-connection
 * pragmas do not carry over to new ones, so they go at the head of each write batch or transaction:
 * secure_delete overwrites erased rows on disk (an erased participant's words do not linger in free
 * pages). A larger page cache was tried and dropped: a 100k-message upload took the same time with 64 MB
 * as with the default 2 MB, and peaked 60 MB higher.
 */
export const FILE_WRITE_PRAGMAS = ['pragma secure_delete = on'];

/**
 * Run before each write, outside its transaction (SQLite refuses to change it inside one). In WAL mode,
 * synchronous = NORMAL commits without waiting for the disk on every transaction (about 0.2 ms instead of
 * 4 ms here): the database can never be corrupted, but a power cut or OS crash may lose the last few
 * commits (an application crash loses nothing). Set SQLITE_SYNCHRONOUS=full to wait for the disk.
 */
export function fileBeforeWritePragmas(env: { SQLITE_SYNCHRONOUS?: string } = {}): string[] {
  return [`pragma synchronous = ${env.SQLITE_SYNCHRONOUS === 'full' ? 'full' : 'normal'}`];
}

/** Busy timeout for local files: a write waits this long for another connection's transaction. */
export const FILE_BUSY_TIMEOUT_MS = 10_000;

/**
 * Page size of a new file. Large uploads write fewer, fuller pages: on the 100k-message benchmark upload the
 * commit (whose WAL checkpoint copies every page written) took ~140 ms instead of ~250 ms at SQLite's default
 * 4 KB, the inserts ~6 % less, the whole upload ~6 % less (1.98 → 1.86 s, medians of 6 alternating runs).
 * SQLite applies it only to a file without tables: an existing file keeps its own until converted offline
 * (`pragma journal_mode = delete; pragma page_size = 16384; vacuum; pragma journal_mode = wal`).
 */
export const NEW_FILE_PAGE_SIZE = 16384;

/** WAL lets the dashboard read while an upload writes; it is a property of the file, set once, as is the page size. */
export async function tuneLibsqlFile(client: Client): Promise<void> {
  await client.execute(`pragma page_size = ${NEW_FILE_PAGE_SIZE}`);
  await client.execute('pragma journal_mode = wal');
}

export interface OpenedFile {
  /** The plain client (migrations at start, tests): its writes do not wait for `database`'s sessions. */
  client: Client;
  database: Database;
  /** Closes the client and stops the write thread. */
  close(): Promise<void>;
}

/**
 * Opens an embedded libSQL file the way the app wants it: WAL, the write pragmas, and large writes on the
 * file's own write thread (see file-writer.ts). `url` is `file:relative/path.db`, `file:/abs/path.db` or
 * `file:///abs/path.db`. Migrations are the caller's.
 */
export async function openLibsqlFile(
  url: string,
  env: { SQLITE_SYNCHRONOUS?: string } = {},
  opts: { writeThread?: boolean; idleMs?: number } = {},
): Promise<OpenedFile> {
  const client = createClient({ url, timeout: FILE_BUSY_TIMEOUT_MS });
  await tuneLibsqlFile(client);
  const beforeWrite = fileBeforeWritePragmas(env);
  const writer =
    opts.writeThread === false
      ? null
      : new FileWriter({ path: filePath(url), timeout: FILE_BUSY_TIMEOUT_MS, pragmas: FILE_WRITE_PRAGMAS, beforeWrite, idleMs: opts.idleMs });
  const database = libsqlDatabase(client, {
    perWrite: FILE_WRITE_PRAGMAS,
    beforeWrite,
    ...(writer ? { sessions: () => writer.session(), warm: () => writer.warm() } : {}),
    // Writes outside sessions take the sessions' turns, on the thread's or on the client's own.
    gateWrites: writer ? { takeTurn: () => writer.takeTurn() } : {},
    // With secure_delete the erased cells are zeroed in the pages written; the WAL still holds the pages as
    // they were until a checkpoint copies it back. TRUNCATE also empties the -wal file.
    purge: ['pragma wal_checkpoint(TRUNCATE)'],
  });
  return {
    client,
    database,
    async close() {
      await writer?.close();
      client.close();
    },
  };
}

function filePath(url: string): string {
  if (url.startsWith('file://')) return fileURLToPath(url);
  if (url.startsWith('file:')) return url.slice('file:'.length);
  throw new Error(`not a file: URL: ${url}`);
}
