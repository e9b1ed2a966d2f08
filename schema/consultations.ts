import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** A consultation: one strategy conversation with its own themes, uploads and pseudonym salt. */
export const consultations = sqliteTable('consultations', {
  id: text('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  title: text('title').notNull(),
  language: text('language').notNull().default('en'),
  /** Preset name (`wm2030-working-groups`, `wm2030-recommendations`) or `custom`. */
  taxonomy: text('taxonomy').notNull(),
  /** Bumped whenever the theme list changes, so cached tags of an older list are not reused. */
  taxonomyVersion: integer('taxonomy_version').notNull().default(1),
  /** Random per-consultation salt; with the server secret it keys participant pseudonyms. */
  pseudonymSalt: text('pseudonym_salt').notNull(),
  createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
});
