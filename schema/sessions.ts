import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Browser sessions made by signing in with a token; the cookie holds a random id, stored here hashed. */
export const sessions = sqliteTable('sessions', {
  idHash: text('id_hash').primaryKey(),
  /** tokens.id, or `env-admin` for the ADMIN_TOKEN from the environment. */
  tokenId: text('token_id').notNull(),
  csrf: text('csrf').notNull(),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at').notNull(),
});
