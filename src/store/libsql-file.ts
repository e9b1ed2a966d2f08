/** Opening an embedded libSQL file the way the app wants it. */
import type { Client } from '@libsql/client';

/**
 * Connection settings every write runs with. The client keeps a pool of connections and per-connection
 * pragmas do not carry over to new ones, so they go at the head of each write batch or transaction:
 * secure_delete overwrites erased rows on disk (an erased participant's words do not linger in free
 * pages), and a 64 MB page cache keeps a large upload's unique-index inserts in memory.
 */
export const FILE_WRITE_PRAGMAS = ['pragma secure_delete = on', 'pragma cache_size = -65536'];

/** Busy timeout for local files: a write waits this long for another connection's transaction. */
export const FILE_BUSY_TIMEOUT_MS = 10_000;

/** WAL lets the dashboard read while an upload writes; it is a property of the file, set once. */
export async function tuneLibsqlFile(client: Client): Promise<void> {
  await client.execute('pragma journal_mode = wal');
}
