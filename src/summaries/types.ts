/** Shapes shared by the extractive and the LLM summaries. */
import type { SummaryPoint } from './quote';

export type { SummaryPoint } from './quote';

/** One redacted feedback item under the theme and context being summarised. */
export interface SummaryItem {
  id: number;
  text: string;
  language: string | null;
  /** Pseudonym of who said it; null when unknown (each such item counts as its own voice). */
  participant: string | null;
  context: string | null;
}

export interface SummaryTheme {
  key: string;
  label: string;
  description: string;
}

export interface SummaryUsage {
  promptTokens: number;
  completionTokens: number;
  /** Requests sent to the model (re-asks included). */
  requests: number;
  /** Map and merge steps answered from the cache. */
  cacheHits: number;
}

export interface Summary {
  /** Most widely shared first; every quote is a verbatim excerpt of the first cited item. */
  points: SummaryPoint[];
  generator: 'llm' | 'extractive';
  model?: string;
  usage?: SummaryUsage;
  /** What went wrong on the way (chunks that failed, points dropped); no feedback text. */
  warnings?: string[];
}
