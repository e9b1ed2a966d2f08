import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { consultations } from './consultations';

/** A poll run here, or the tallies of one run elsewhere (source ≠ `native`). */
export const polls = sqliteTable('polls', {
  id: text('id').primaryKey(),
  consultationId: text('consultation_id')
    .notNull()
    .references(() => consultations.id, { onDelete: 'cascade' }),
  question: text('question').notNull(),
  multiple: integer('multiple', { mode: 'boolean' }).notNull(),
  maxChoices: integer('max_choices'),
  theme: text('theme'),
  /** `native`, or where imported tallies came from: `whatsapp`, `telegram`, `csv`, `survey`. */
  source: text('source').notNull(),
  uploadId: text('upload_id'),
  /** Distinct participants of an imported poll, when the source says so. */
  importedParticipants: integer('imported_participants'),
  /** `always`, or `after_close`: tallies hidden from voters until the poll closes. */
  resultsVisibility: text('results_visibility').notNull().default('always'),
  opensAt: text('opens_at'),
  closesAt: text('closes_at'),
  createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
});

export const pollOptions = sqliteTable(
  'poll_options',
  {
    pollId: text('poll_id')
      .notNull()
      .references(() => polls.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    label: text('label').notNull(),
    /** Votes of an imported poll; native polls count ballots instead. */
    importedVotes: integer('imported_votes'),
  },
  (t) => [uniqueIndex('poll_options_pk').on(t.pollId, t.position)],
);
