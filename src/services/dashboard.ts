/**
 * The themed dashboard: totals, per-theme items and distinct participants, breakdowns and a timeline,
 * all from the dashboard counters, plus the consultation's polls with their tallies.
 */
import type { AppContext } from '../context';
import { type CountRow, participantsOf } from '../store/dashboard-store';
import { type Principal, authorize } from './auth';
import { type ConsultationView, getConsultation } from './consultations';
import { type PollView, listPolls } from './polls';

export interface Bucket {
  value: string;
  items: number;
}

export interface DashboardTheme {
  key: string;
  label: string;
  /** Preset labels per language, when the theme list came from a preset. */
  labels?: Record<string, string>;
  items: number;
  participants: number;
  byContext: Bucket[];
}

export interface Dashboard {
  consultation: ConsultationView;
  totals: {
    items: number;
    participants: number;
    tagged: number;
    pending: number;
    undecided: number;
    /** Items the tagger found no theme in. */
    none: number;
  };
  themes: DashboardTheme[];
  byChannel: Bucket[];
  byContext: Bucket[];
  byLanguage: Bucket[];
  /** Items per day (YYYY-MM-DD), oldest first; items without a time are left out. */
  timeline: Bucket[];
  polls: PollView[];
}

export async function getDashboard(ctx: AppContext, principal: Principal | null, slug: string): Promise<Dashboard> {
  const consultation = await getConsultation(ctx, principal, slug);
  const [counts, polls] = await Promise.all([ctx.store.dashboard.counts(consultation.id), listPolls(ctx, principal, slug)]);
  return buildDashboard(consultation, counts, participantsOf(counts), polls);
}

/** Pure assembly of the dashboard from counter rows; the buckets are sorted largest first (timeline: by day). */
export function buildDashboard(
  consultation: ConsultationView,
  counts: CountRow[],
  participants: Map<string, number>,
  polls: PollView[],
): Dashboard {
  const byTheme = new Map<string, CountRow[]>();
  for (const r of counts) {
    const list = byTheme.get(r.theme) ?? [];
    list.push(r);
    byTheme.set(r.theme, list);
  }
  const rowsOf = (theme: string) => byTheme.get(theme) ?? [];
  const total = (theme: string) => rowsOf(theme).find((r) => r.dim === 'all')?.items ?? 0;
  const buckets = (theme: string, dim: string) =>
    rowsOf(theme)
      .filter((r) => r.dim === dim && r.items > 0)
      .map((r) => ({ value: r.value, items: r.items }))
      .sort((a, b) => b.items - a.items || a.value.localeCompare(b.value));

  const items = total('*');
  const pending = total('#pending');
  const undecided = total('#undecided');
  const none = total('#none');
  return {
    consultation,
    totals: { items, participants: participants.get('*') ?? 0, tagged: Math.max(0, items - pending - undecided - none), pending, undecided, none },
    themes: consultation.themes.map((t) => ({
      key: t.key,
      label: t.label,
      ...(t.labels ? { labels: t.labels } : {}),
      items: total(t.key),
      participants: participants.get(t.key) ?? 0,
      byContext: buckets(t.key, 'context'),
    })),
    byChannel: buckets('*', 'channel'),
    byContext: buckets('*', 'context'),
    byLanguage: buckets('*', 'language'),
    timeline: buckets('*', 'day')
      .filter((b) => b.value !== '')
      .sort((a, b) => a.value.localeCompare(b.value)),
    polls,
  };
}

export interface ConsultationListEntry {
  slug: string;
  title: string;
  language: string;
  createdAt: string;
  items: number;
}

/** The consultations the principal may see, each with its item total. */
export async function listConsultationsWithTotals(ctx: AppContext, principal: Principal | null): Promise<ConsultationListEntry[]> {
  const by = authorize(principal, 'read');
  const rows = await ctx.store.listConsultations(by.role === 'admin' ? null : by.consultations);
  const totals = await ctx.store.dashboard.totalItems(rows.map((r) => r.id));
  return rows.map((r) => ({ slug: r.slug, title: r.title, language: r.language, createdAt: r.createdAt, items: totals.get(r.id) ?? 0 }));
}
