import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { polls } from './polls';

/** One-time voter codes, stored as SHA-256 only. */
export const voterCodes = sqliteTable(
  'voter_codes',
  {
    pollId: text('poll_id')
      .notNull()
      .references(() => polls.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.pollId, t.codeHash] })],
);

/**
 * A voter's current choices: one row per chosen option. Tallies are counted from these rows by SQL, and a
 * replaced ballot is a delete and insert in one batch, so concurrent ballots never lose or double a vote.
 */
export const ballotChoices = sqliteTable(
  'ballot_choices',
  {
    pollId: text('poll_id')
      .notNull()
      .references(() => polls.id, { onDelete: 'cascade' }),
    voter: text('voter').notNull(),
    position: integer('position').notNull(),
    castAt: text('cast_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.pollId, t.voter, t.position] }), index('ballot_choices_poll_position').on(t.pollId, t.position)],
);

/** Who has a ballot in a poll (one row per voter), so distinct participants is a count of rows. */
export const ballots = sqliteTable(
  'ballots',
  {
    pollId: text('poll_id')
      .notNull()
      .references(() => polls.id, { onDelete: 'cascade' }),
    voter: text('voter').notNull(),
    castAt: text('cast_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.pollId, t.voter] })],
);
