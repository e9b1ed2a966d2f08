/**
 * InsertNew.hashKey: each row gives the head of its content hash in the key column, and is keyed here by
 * `contentHash(row[at], head, row[text])`. One implementation for both write sessions: the client session
 * imports it, the file's write thread loads it through tsx's require hook (see file-writer.ts).
 */
import { contentHash } from '../text/content-hash';
import type { InsertNew, SqlValue } from './db';

/** Replaces each row's content-hash head by its key, in place; throws on a row that cannot be keyed. */
export function keyRowsInPlace(spec: InsertNew, rows: SqlValue[][]): void {
  const from = spec.hashKey;
  if (!from) return;
  const keyAt = spec.columns.indexOf(spec.key);
  const atAt = spec.columns.indexOf(from.at);
  const textAt = spec.columns.indexOf(from.text);
  if (keyAt < 0 || atAt < 0 || textAt < 0) throw new Error("insertNew: the key and the hash key's columns must be row columns");
  for (const row of rows) {
    const at = row[atAt];
    const head = row[keyAt];
    const text = row[textAt];
    if ((at !== null && typeof at !== 'string') || typeof head !== 'string' || typeof text !== 'string') {
      throw new Error('insertNew: a content hash needs a text time (or null), a text head and a text');
    }
    row[keyAt] = contentHash(at, head, text);
  }
}
