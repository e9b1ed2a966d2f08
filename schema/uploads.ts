import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { consultations } from './consultations';

/** One uploaded export. The raw file is never kept: only its hash and what was read from it. */
export const uploads = sqliteTable(
  'uploads',
  {
    id: text('id').primaryKey(),
    consultationId: text('consultation_id')
      .notNull()
      .references(() => consultations.id, { onDelete: 'cascade' }),
    /** SHA-256 of the uploaded bytes: the same bytes twice are one upload. */
    sha256: text('sha256').notNull(),
    format: text('format').notNull(),
    channel: text('channel').notNull(),
    context: text('context'),
    language: text('language'),
    filename: text('filename'),
    bytes: integer('bytes').notNull(),
    items: integer('items').notNull(),
    duplicates: integer('duplicates').notNull(),
    participants: integer('participants').notNull(),
    /** JSON SkipCounts. */
    skipped: text('skipped').notNull(),
    /** JSON `{ phone, email, name }`. */
    redactions: text('redactions').notNull(),
    /** JSON `[{ code, message, line? }]`. */
    warnings: text('warnings').notNull(),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [uniqueIndex('uploads_consultation_sha').on(t.consultationId, t.sha256)],
);
