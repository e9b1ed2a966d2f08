/** The LLM path of tagging: the stored answer cache, accounting and cost around `tagWithLlm`. */
import { z } from 'zod';
import type { AppContext } from '../context';
import { costUsd, modelPrice } from '../llm/pricing';
import type { Llm } from '../llm/types';
import type { ThemeRow } from '../store/store';
import type { ItemToTag, MachineOutcome } from '../store/tagging-store';
import { type CachedTag, type TagCache, tagWithLlm } from '../tagging/llm-tagger';
import { themeListHash } from '../tagging/prompt';

const CachedTagJson: z.ZodType<CachedTag> = z.union([
  z.object({ outcome: z.literal('themes'), themes: z.array(z.object({ key: z.string(), confidence: z.number() })) }),
  z.object({ outcome: z.literal('none') }),
  z.object({ outcome: z.literal('undecided'), reason: z.string() }),
]);

/** The llm_cache table as the tagger's cache; a stored value that no longer parses is treated as a miss. */
export function storedTagCache(ctx: AppContext): TagCache {
  return {
    async get(keys) {
      const raw = await ctx.store.tagging.cacheGet('tag', keys);
      const out = new Map<string, CachedTag>();
      for (const [k, v] of raw) {
        const parsed = CachedTagJson.safeParse(JSON.parse(v));
        if (parsed.success) out.set(k, parsed.data);
      }
      return out;
    },
    async put(entries) {
      await ctx.store.tagging.cachePut(
        'tag',
        entries.map(([k, v]) => [k, JSON.stringify(v)]),
        ctx.clock.now().toISOString(),
      );
    },
  };
}

export interface LlmTagOutcome {
  results: { item: ItemToTag; result: MachineOutcome }[];
  requests: number;
  cacheHits: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  errors: string[];
}

export async function tagItemsWithLlm(
  ctx: AppContext,
  llm: Llm,
  themes: ThemeRow[],
  batch: ItemToTag[],
): Promise<LlmTagOutcome> {
  const promptThemes = themes.map((t) => ({ key: t.key, label: t.label, description: t.description }));
  const out = await tagWithLlm(
    llm,
    promptThemes,
    batch.map((i) => ({ id: i.id, text: i.text })),
    { cache: storedTagCache(ctx), cacheKeyParts: { themeListHash: themeListHash(promptThemes), model: llm.model } },
  );
  const results: LlmTagOutcome['results'] = [];
  const errors = new Set<string>();
  out.items.forEach((tag, index) => {
    const item = batch[index];
    if (!item) return;
    if (tag.outcome === 'pending') {
      // Left pending on purpose: a later run (or the queue's retry) picks it up.
      errors.add(tag.reason);
      return;
    }
    results.push({ item, result: tag.outcome === 'undecided' ? { outcome: 'undecided' } : tag });
  });
  const price = modelPrice(llm.model, { input: ctx.config.LLM_PRICE_INPUT, output: ctx.config.LLM_PRICE_OUTPUT });
  const usage = { promptTokens: out.accounting.promptTokens, completionTokens: out.accounting.completionTokens };
  return {
    results,
    requests: out.accounting.requests,
    cacheHits: out.accounting.cacheHits,
    promptTokens: usage.promptTokens,
    completionTokens: usage.completionTokens,
    costUsd: costUsd(usage, price),
    errors: [...errors],
  };
}
