import { sql } from 'drizzle-orm';
import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const ROLES = ['admin', 'liaison', 'staff'] as const;
export type Role = (typeof ROLES)[number];

/** API tokens, stored as SHA-256 of the secret only. */
export const tokens = sqliteTable('tokens', {
  id: text('id').primaryKey(),
  hash: text('hash').notNull().unique(),
  role: text('role', { enum: ROLES }).notNull(),
  label: text('label'),
  /** JSON array of consultation ids this token is granted (ignored for admin). */
  consultations: text('consultations').notNull().default('[]'),
  createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  revokedAt: text('revoked_at'),
});
