import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Who changed what. Records that something changed, never personal data or ballot contents. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    /** Token id (or `system`). */
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    consultationId: text('consultation_id'),
    target: text('target'),
    /** JSON details. */
    details: text('details').notNull().default('{}'),
  },
  (t) => [index('audit_consultation').on(t.consultationId)],
);
