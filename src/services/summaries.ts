/**
 * Key points per theme and context. Summaries are cached with a fingerprint of the items they were made
 * from: new or retagged items make the cached one `stale`, and a refresh recomputes only the chunks
 * whose items changed (the rest come from the answer cache).
 */
import { z } from 'zod';
import type { AppContext } from '../context';
import { AppError } from '../errors';
import { LlmUnavailableError } from '../llm/types';
import { type SummaryCache, type SummaryPoint, summariseExtractive, summariseThemeItems, summaryFingerprint } from '../summaries';
import type { Principal } from './auth';
import { requireConsultation } from './consultations';

export const SummaryQuery = z.object({
  context: z.string().max(200).optional(),
  /** Recompute now when the cached summary is stale. */
  refresh: z.enum(['true', 'false', '1', '0']).optional(),
});
export type SummaryQuery = z.infer<typeof SummaryQuery>;

export interface ThemeSummary {
  theme: string;
  context: string | null;
  points: SummaryPoint[];
  generator: string;
  stale: boolean;
  items: number;
  createdAt: string;
  warnings?: string[];
}

const StoredPoints = z.array(z.object({ text: z.string(), citations: z.array(z.number()), quote: z.string() }));

export async function getThemeSummary(
  ctx: AppContext,
  by: Principal | null,
  slug: string,
  themeKey: string,
  query: SummaryQuery,
): Promise<ThemeSummary> {
  const c = await requireConsultation(ctx, by, slug, 'read');
  const theme = (await ctx.store.themesOf(c.id)).find((t) => t.key === themeKey);
  if (!theme) throw new AppError('not_found', `no theme "${themeKey}" in this consultation`);
  const context = query.context ?? null;
  const items = await ctx.store.summaries.itemsUnderTheme(c.id, themeKey, context);
  const fingerprint = summaryFingerprint(items);
  const cached = await ctx.store.summaries.get(c.id, themeKey, context ?? '');
  const refresh = query.refresh === 'true' || query.refresh === '1';
  const base = { theme: themeKey, context, items: items.length };

  if (cached && (cached.fingerprint === fingerprint || !refresh)) {
    return { ...base, points: StoredPoints.parse(JSON.parse(cached.points)), generator: cached.generator, stale: cached.fingerprint !== fingerprint, createdAt: cached.createdAt };
  }

  const at = ctx.clock.now().toISOString();
  let summary: Awaited<ReturnType<typeof summariseThemeItems>>;
  try {
    summary = await summariseThemeItems({ key: theme.key, label: theme.label, description: theme.description }, items, {
      language: c.language,
      llm: ctx.llm ?? null,
      cache: storedSummaryCache(ctx),
    });
  } catch (err) {
    if (!(err instanceof LlmUnavailableError)) throw err;
    // The model is down: show grounded extractive points now, kept stale so a later refresh uses the model.
    summary = { ...summariseExtractive(items), complete: false, warnings: [`the model could not be reached (${err.message}); extractive points shown`] };
  }
  // An incomplete summary is stored with an empty fingerprint so that it reads as stale until redone.
  await ctx.store.summaries.put(c.id, themeKey, context ?? '', {
    generator: summary.generator,
    points: JSON.stringify(summary.points),
    fingerprint: summary.complete ? fingerprint : '',
    createdAt: at,
  });
  return { ...base, points: summary.points, generator: summary.generator, stale: !summary.complete, createdAt: at, ...(summary.warnings?.length ? { warnings: summary.warnings } : {}) };
}

function storedSummaryCache(ctx: AppContext): SummaryCache {
  return {
    get: (keys) => ctx.store.tagging.cacheGet('summary', [...keys]),
    put: (entries) =>
      ctx.store.tagging.cachePut(
        'summary',
        entries.map((e) => [e.key, e.value]),
        ctx.clock.now().toISOString(),
      ),
  };
}
