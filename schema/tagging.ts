import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { consultations } from './consultations';

/**
 * Answers of the language model, keyed by what determines them: (normalised text hash, theme-list hash,
 * model, prompt version) for tags; the chunk's item set for summary map steps. Re-runs send zero tokens.
 */
export const llmCache = sqliteTable('llm_cache', {
  key: text('key').primaryKey(),
  /** `tag` or `summary`. */
  kind: text('kind').notNull(),
  /** JSON of the validated answer. */
  value: text('value').notNull(),
  createdAt: text('created_at').notNull(),
});

/** One tagging run: what it did and what it cost. */
export const taggingRuns = sqliteTable(
  'tagging_runs',
  {
    id: text('id').primaryKey(),
    consultationId: text('consultation_id')
      .notNull()
      .references(() => consultations.id, { onDelete: 'cascade' }),
    /** `llm` or `offline`. */
    generator: text('generator').notNull(),
    model: text('model'),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
    tagged: integer('tagged').notNull().default(0),
    undecided: integer('undecided').notNull().default(0),
    pending: integer('pending').notNull().default(0),
    requests: integer('requests').notNull().default(0),
    cacheHits: integer('cache_hits').notNull().default(0),
    promptTokens: integer('prompt_tokens').notNull().default(0),
    completionTokens: integer('completion_tokens').notNull().default(0),
    costUsd: real('cost_usd').notNull().default(0),
    /** JSON list of error messages (no feedback text). */
    errors: text('errors').notNull().default('[]'),
  },
  (t) => [index('tagging_runs_consultation').on(t.consultationId)],
);

/** Key points per theme and context; `stale` once items under it changed. Context '' = all contexts. */
export const summaries = sqliteTable(
  'summaries',
  {
    consultationId: text('consultation_id')
      .notNull()
      .references(() => consultations.id, { onDelete: 'cascade' }),
    themeKey: text('theme_key').notNull(),
    context: text('context').notNull().default(''),
    generator: text('generator').notNull(),
    /** JSON `[{ text, citations: [itemId], quote }]`. */
    points: text('points').notNull(),
    /** Hash of the (item id, text) set the summary was made from; a different set marks it stale. */
    fingerprint: text('fingerprint').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('summaries_pk').on(t.consultationId, t.themeKey, t.context)],
);
