/**
 * Key points per theme and context: the LLM path when a model is configured, the extractive path
 * otherwise. Every point's quote is a verbatim excerpt of its first cited item (checked, never trusted).
 */
import type { Llm } from '../llm/types';
import { type ExtractiveOptions, summariseExtractive } from './extractive';
import { type LlmSummaryOptions, summariseWithLlm } from './llm';
import type { Summary, SummaryItem, SummaryTheme } from './types';

export { type ExtractiveOptions, groupItems, type ItemGroup, pointFromText, summariseExtractive } from './extractive';
export { chunkItems, diffChunks, estimateTokens, type SummaryChunk, summaryCacheKey, summaryFingerprint } from './fingerprint';
export {
  buildMapMessages,
  buildMergeMessages,
  type LlmSummaryOptions,
  MapAnswer,
  MergeAnswer,
  PROMPT_VERSION,
  type SummaryCache,
  summariseWithLlm,
} from './llm';
export { findQuote, normaliseQuote, type PointCandidate, quoteMatches, type RejectedPoint, validatePoints } from './quote';
export type { Summary, SummaryItem, SummaryPoint, SummaryTheme, SummaryUsage } from './types';

export interface SummariseOptions extends Omit<LlmSummaryOptions, 'language'>, ExtractiveOptions {
  /** Consultation language (ISO 639-1). */
  language: string;
  /** The model; null or absent → extractive. */
  llm?: Llm | null;
}

/**
 * Summarise one theme's items under one context: `await summariseThemeItems(theme, items, { language: "ar", llm })`.
 * With a model, its points; if it kept no grounded point while there are items, the extractive points
 * instead (generator 'extractive', with the model's warnings). `complete` is false when a step failed:
 * keep the summary stale so a later refresh retries (answered steps are cached). LlmUnavailableError
 * propagates.
 */
export async function summariseThemeItems(
  theme: SummaryTheme,
  items: readonly SummaryItem[],
  opts: SummariseOptions,
): Promise<Summary & { complete: boolean }> {
  const { llm, ...rest } = opts;
  if (!llm) return { ...summariseExtractive(items, rest), complete: true };
  const summary = await summariseWithLlm(llm, theme, items, rest);
  if (summary.points.length > 0) return summary;
  const extractive = summariseExtractive(items, rest);
  if (extractive.points.length === 0) return summary;
  return {
    ...extractive,
    usage: summary.usage,
    warnings: [...(summary.warnings ?? []), 'the model kept no grounded point: extractive points are shown'],
    complete: summary.complete,
  };
}
