import { sql } from 'drizzle-orm';
import { primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { consultations } from './consultations';

/**
 * A participant is only a keyed pseudonym: HMAC of their normalised identity. No name, phone or email
 * is stored; the same person across uploads of one consultation is the same row.
 */
export const participants = sqliteTable(
  'participants',
  {
    consultationId: text('consultation_id')
      .notNull()
      .references(() => consultations.id, { onDelete: 'cascade' }),
    /** First 128 bits of the HMAC, hex. */
    pseudonym: text('pseudonym').notNull(),
    /** Short label shown in texts and pages, e.g. `P-3F9K2A`. */
    label: text('label').notNull(),
    firstSeenAt: text('first_seen_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
    erasedAt: text('erased_at'),
  },
  (t) => [primaryKey({ columns: [t.consultationId, t.pseudonym] })],
);
