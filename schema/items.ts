import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { consultations } from './consultations';
import { uploads } from './uploads';

export const ITEM_STATUSES = ['pending', 'tagged', 'none', 'undecided'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** One piece of feedback, redacted before it was written. */
export const items = sqliteTable(
  'items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    consultationId: text('consultation_id')
      .notNull()
      .references(() => consultations.id, { onDelete: 'cascade' }),
    uploadId: text('upload_id')
      .notNull()
      .references(() => uploads.id, { onDelete: 'cascade' }),
    /** Pseudonym of the speaker (participants.pseudonym), null when unknown. */
    participant: text('participant'),
    text: text('text').notNull(),
    language: text('language'),
    /** Original local timestamp as written in the export (ISO, no offset unless the source gave UTC). */
    at: text('at'),
    channel: text('channel').notNull(),
    context: text('context'),
    question: text('question'),
    /** Keyed hash of time + normalised original text: overlapping exports of one group dedupe on it. */
    contentHash: text('content_hash').notNull(),
    status: text('status', { enum: ITEM_STATUSES }).notNull().default('pending'),
    createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [
    uniqueIndex('items_consultation_hash').on(t.consultationId, t.contentHash),
    index('items_consultation_status').on(t.consultationId, t.status),
    // No index on participant or upload: erasure and provenance scans are rare, and every index costs
    // each of the 100k inserts of a large upload.
  ],
);

export const TAG_SOURCES = ['human', 'llm', 'offline'] as const;
export type TagSource = (typeof TAG_SOURCES)[number];

/** Theme tags of an item; human tags always win over machine ones. */
export const itemThemes = sqliteTable(
  'item_themes',
  {
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    themeKey: text('theme_key').notNull(),
    confidence: real('confidence').notNull(),
    source: text('source', { enum: TAG_SOURCES }).notNull(),
  },
  (t) => [uniqueIndex('item_themes_pk').on(t.itemId, t.source, t.themeKey), index('item_themes_theme').on(t.themeKey)],
);
