/**
 * Shapes of the curated lexicons. Lexicons name CONCEPTS (training, harassment, grants…), not themes: each
 * preset theme is a weighted mix of concepts (see themes.ts), so both presets share one multilingual
 * vocabulary and a new taxonomy only needs a new mix.
 */

export const CONCEPTS = [
  'policy',
  'awareness',
  'training',
  'leadership',
  'org-capacity',
  'safety',
  'newcomers',
  'diversity',
  'language-access',
  'partners',
  'technology',
  'ux',
  'innovation',
  'grants',
  'revenue',
  'sustainability',
  'governance',
  'equity',
  'coordination',
  'evaluation',
  'knowledge',
  'topics',
] as const;

export type ConceptKey = (typeof CONCEPTS)[number];

/**
 * A lexicon term: words separated by spaces must appear in that order (stopwords between them are
 * ignored); a trailing `*` makes a word a prefix ("harass*" matches harassment, harassed); a word without
 * `*` also matches its -s/-es plural. Terms in kana/kanji are matched as substrings. The default weight
 * is 1; `[term, weight]` sets another (0.3 for a hint, 1.5 for an unmistakable phrase).
 */
export type Term = string | readonly [string, number];

export interface LanguageLexicon {
  /** ISO 639-1 code, for documentation and reports. */
  language: string;
  concepts: Partial<Record<ConceptKey, readonly Term[]>>;
  /** Greetings, thanks, logistics: evidence that a message is chit-chat. */
  offTopic: readonly Term[];
  /**
   * False friends: phrases or words that cover the lexicon matches inside them and add no evidence at all
   * ("offline meetup" is not about offline access, "au cours de" is not about courses).
   */
  neutral?: readonly Term[];
  /** Function words skipped inside phrases and when judging how long a message is. */
  stopwords: readonly string[];
}
