import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { consultations } from './consultations';

/**
 * Dashboard counters, changed in the same atomic batch as the items and tags they count, so a dashboard
 * over a million items reads a few hundred rows instead of grouping the items table.
 * theme: a theme key, or `*` for all items, `#pending` / `#none` / `#undecided` for those statuses.
 * dim: `all` (value ''), `context`, `channel`, `language`, `day` (YYYY-MM-DD of the item's time).
 */
export const themeCounts = sqliteTable(
  'theme_counts',
  {
    consultationId: text('consultation_id')
      .notNull()
      .references(() => consultations.id, { onDelete: 'cascade' }),
    theme: text('theme').notNull(),
    dim: text('dim').notNull(),
    value: text('value').notNull(),
    items: integer('items').notNull(),
  },
  (t) => [primaryKey({ columns: [t.consultationId, t.theme, t.dim, t.value] })],
);

/** How many items each participant has under each theme (`*` = any); distinct participants = rows with items > 0. */
export const themeParticipants = sqliteTable(
  'theme_participants',
  {
    consultationId: text('consultation_id')
      .notNull()
      .references(() => consultations.id, { onDelete: 'cascade' }),
    theme: text('theme').notNull(),
    participant: text('participant').notNull(),
    items: integer('items').notNull(),
  },
  (t) => [primaryKey({ columns: [t.consultationId, t.theme, t.participant] })],
);
