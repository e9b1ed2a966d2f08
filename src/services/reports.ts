/**
 * Gathers what the monthly report says: participation (participants, channels with counts), key points
 * per theme and context, and each poll in the liaison's format. Rendering is left to the pure renderers
 * in src/reports/.
 */
import type { AppContext } from '../context';
import { AppError } from '../errors';
import { formatTally } from '../polls/tally';
import type { ReportData, ReportPoll, ReportTheme } from '../reports/types';
import type { ItemView } from '../store/store';
import { summariseExtractive } from '../summaries/extractive';
import type { SummaryPoint } from '../summaries/types';
import type { Principal } from './auth';
import { requireConsultation } from './consultations';
import { getDashboard } from './dashboard';
import { getThemeSummary } from './summaries';

/** Most items read per theme to make extractive points from (newest first) when no stored summary exists. */
export const POINTS_ITEM_CAP = 2000;
/** Points per theme and context in a report. */
export const POINTS_PER_CONTEXT = 5;
/** Points per context on the theme page. */
const DEFAULT_PAGE_POINTS = 8;
/** Items read per page when exporting. */
const EXPORT_PAGE = 1000;

export interface ContextPoints {
  /** '' when the items name no context. */
  context: string;
  items: number;
  points: SummaryPoint[];
}

export interface ThemePoints {
  key: string;
  label: string;
  labels?: Record<string, string>;
  items: number;
  participants: number;
  generator: string;
  /** Items changed since a stored summary was made. */
  stale: boolean;
  contexts: ContextPoints[];
}

/** Key points of one theme, per context (or only `context`), with the items they cite. */
export async function getThemePoints(ctx: AppContext, principal: Principal | null, slug: string, key: string, context?: string): Promise<ThemePoints> {
  const dashboard = await getDashboard(ctx, principal, slug);
  const theme = dashboard.themes.find((th) => th.key === key);
  if (!theme) throw new AppError('not_found', `no theme "${key}" in this consultation`);
  const buckets = context === undefined ? theme.byContext : theme.byContext.filter((b) => b.value === context);
  const found = await contextPoints(ctx, principal, slug, dashboard.consultation.id, key, buckets, DEFAULT_PAGE_POINTS);
  return {
    key: theme.key,
    label: theme.label,
    ...(theme.labels ? { labels: theme.labels } : {}),
    items: theme.items,
    participants: theme.participants,
    generator: found.generator,
    stale: found.stale,
    contexts: found.contexts,
  };
}

/**
 * Points per context from the summaries service (cached, LLM or extractive). Items without a context have
 * no summary of their own there, so theirs are made extractively here.
 */
async function contextPoints(
  ctx: AppContext,
  principal: Principal | null,
  slug: string,
  consultationId: string,
  key: string,
  buckets: { value: string; items: number }[],
  maxPoints: number,
): Promise<{ contexts: ContextPoints[]; generator: string; stale: boolean }> {
  const generators = new Set<string>();
  let stale = false;
  const contexts: ContextPoints[] = [];
  for (const b of buckets) {
    if (b.value === '') {
      const items = (await ctx.store.listItems({ consultationId, theme: key, limit: POINTS_ITEM_CAP })).filter((i) => i.context === null);
      const [points] = pointsPerContext(items, maxPoints);
      generators.add('extractive');
      contexts.push({ context: '', items: b.items, points: points?.points ?? [] });
      continue;
    }
    const summary = await getThemeSummary(ctx, principal, slug, key, { context: b.value });
    generators.add(summary.generator);
    stale ||= summary.stale;
    contexts.push({ context: b.value, items: b.items, points: summary.points.slice(0, maxPoints) });
  }
  return { contexts, generator: [...generators].sort().join(', ') || 'extractive', stale };
}

/** Extractive points for each context of a set of items, contexts with the most items first. */
export function pointsPerContext(items: ItemView[], maxPoints = POINTS_PER_CONTEXT): ContextPoints[] {
  const groups = new Map<string, ItemView[]>();
  for (const it of items) {
    const k = it.context ?? '';
    const list = groups.get(k) ?? [];
    list.push(it);
    groups.set(k, list);
  }
  return [...groups]
    .map(([context, list]) => ({
      context,
      items: list.length,
      points: summariseExtractive(
        list.map((i) => ({ id: i.id, text: i.text, language: i.language, participant: i.participant, context: i.context })),
        { maxPoints },
      ).points,
    }))
    .sort((a, b) => b.items - a.items || a.context.localeCompare(b.context));
}

/** Everything the report renderers need. */
export async function getReport(ctx: AppContext, principal: Principal | null, slug: string): Promise<ReportData> {
  const d = await getDashboard(ctx, principal, slug);
  const themes: ReportTheme[] = [];
  const generators = new Set<string>();
  for (const th of d.themes) {
    const found = await contextPoints(ctx, principal, slug, d.consultation.id, th.key, th.byContext, POINTS_PER_CONTEXT);
    if (found.contexts.length > 0) for (const g of found.generator.split(', ')) generators.add(g);
    themes.push({
      key: th.key,
      label: th.label,
      items: th.items,
      participants: th.participants,
      contexts: found.contexts.map((c) => ({ context: c.context, items: c.items, points: c.points.map((p) => ({ text: p.text, citations: p.citations })) })),
    });
  }
  const polls: ReportPoll[] = d.polls.map((p) => ({
    id: p.id,
    question: p.question,
    multiple: p.multiple,
    source: p.source,
    participants: p.results?.participants ?? null,
    options: (p.results?.options ?? []).map((o) => ({ label: o.label, votes: o.votes, percent: o.percent })),
    lines: p.results ? formatTally({ participants: p.results.participants, options: p.results.options }, p.multiple) : [],
  }));
  return {
    consultation: { slug: d.consultation.slug, title: d.consultation.title, language: d.consultation.language },
    generatedAt: ctx.clock.now().toISOString(),
    generator: [...generators].sort().join(', ') || 'extractive',
    participation: {
      items: d.totals.items,
      participants: d.totals.participants,
      channels: d.byChannel,
      contexts: d.byContext,
      languages: d.byLanguage,
    },
    themes,
    polls,
  };
}

/** Every item of a consultation, newest first, a page at a time (for items.csv). */
export async function* exportItems(ctx: AppContext, principal: Principal | null, slug: string): AsyncGenerator<ItemView[]> {
  const c = await requireConsultation(ctx, principal, slug, 'read');
  let before: number | undefined;
  for (;;) {
    const page = await ctx.store.listItems({ consultationId: c.id, limit: EXPORT_PAGE, before });
    if (page.length === 0) return;
    yield page;
    const last = page[page.length - 1];
    if (!last || page.length < EXPORT_PAGE) return;
    before = last.id;
  }
}
