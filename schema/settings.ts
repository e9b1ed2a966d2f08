import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Server-wide values kept in the database (e.g. a generated pseudonym secret when none is configured). */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
