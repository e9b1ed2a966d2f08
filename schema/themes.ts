import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { consultations } from './consultations';

/** The fixed theme list items of a consultation are tagged with. */
export const themes = sqliteTable(
  'themes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    consultationId: text('consultation_id')
      .notNull()
      .references(() => consultations.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    label: text('label').notNull(),
    description: text('description').notNull().default(''),
    /** JSON `{ labels: {ar,fr,ja…}, descriptions: {…} }` for presets; `{}` for custom themes. */
    i18n: text('i18n').notNull().default('{}'),
    position: integer('position').notNull(),
  },
  (t) => [uniqueIndex('themes_consultation_key').on(t.consultationId, t.key), index('themes_consultation').on(t.consultationId)],
);
