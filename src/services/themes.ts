/** Per-theme figures for a consultation, read from the dashboard counters. */
import type { AppContext } from '../context';
import { participantsOf } from '../store/dashboard-store';
import type { Principal } from './auth';
import { requireConsultation } from './consultations';

export interface ThemeStats {
  totals: { items: number; participants: number; untagged: number; pending: number; undecided: number; none: number };
  themes: {
    key: string;
    label: string;
    items: number;
    participants: number;
    byContext: Record<string, number>;
    byChannel: Record<string, number>;
    byLanguage: Record<string, number>;
    /**
     * Machine–human agreement over items with both a reviewer's and the machine's tags: agreed = both chose
     * the theme, machineOnly / humanOnly = one of them did; rate = agreed / reviewed (null when none).
     */
    agreement: { reviewed: number; agreed: number; machineOnly: number; humanOnly: number; rate: number | null };
  }[];
}

export async function getThemeStats(ctx: AppContext, by: Principal | null, slug: string): Promise<ThemeStats> {
  const c = await requireConsultation(ctx, by, slug, 'read');
  const [themes, counts] = await Promise.all([ctx.store.themesOf(c.id), ctx.store.dashboard.counts(c.id)]);
  const participants = participantsOf(counts);
  const pick = (theme: string, dim: string, value: string) =>
    counts.find((r) => r.theme === theme && r.dim === dim && r.value === value)?.items ?? 0;
  const total = (theme: string) => pick(theme, 'all', '');
  const breakdown = (theme: string, dim: string) =>
    Object.fromEntries(counts.filter((r) => r.theme === theme && r.dim === dim).map((r) => [r.value, r.items]));
  const agreement = (theme: string) => {
    const agreed = pick(theme, 'agreement', 'agreed');
    const machineOnly = pick(theme, 'agreement', 'machine-only');
    const humanOnly = pick(theme, 'agreement', 'human-only');
    const reviewed = agreed + machineOnly + humanOnly;
    return { reviewed, agreed, machineOnly, humanOnly, rate: reviewed > 0 ? agreed / reviewed : null };
  };
  return {
    totals: {
      items: total('*'),
      participants: participants.get('*') ?? 0,
      untagged: total('#pending') + total('#undecided'),
      pending: total('#pending'),
      undecided: total('#undecided'),
      none: total('#none'),
    },
    themes: themes.map((t) => ({
      key: t.key,
      label: t.label,
      items: total(t.key),
      participants: participants.get(t.key) ?? 0,
      byContext: breakdown(t.key, 'context'),
      byChannel: breakdown(t.key, 'channel'),
      byLanguage: breakdown(t.key, 'language'),
      agreement: agreement(t.key),
    })),
  };
}
