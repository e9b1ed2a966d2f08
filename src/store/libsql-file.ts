/** Opening an embedded libSQL file the way the app wants it. */
import type { Client } from '@libsql/client';

/**
 * WAL lets the dashboard read while an upload writes; secure_delete overwrites erased rows on disk, so an
 * erased participant's words do not linger in free pages of the file.
 */
export async function tuneLibsqlFile(client: Client): Promise<void> {
  await client.execute('pragma journal_mode = wal');
  await client.execute('pragma secure_delete = on');
  // 64 MB page cache: a large upload's inserts into the unique content-hash index stay in memory.
  await client.execute('pragma cache_size = -65536');
}
