/** Per-theme figures for a consultation, read from the dashboard counters. */
import type { AppContext } from '../context';
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
    /** Machine–human agreement on reviewed items (null when none were reviewed). */
    agreement: { reviewed: number; agreed: number; machineOnly: number; humanOnly: number; rate: number | null };
  }[];
}

export async function getThemeStats(ctx: AppContext, by: Principal | null, slug: string): Promise<ThemeStats> {
  const c = await requireConsultation(ctx, by, slug, 'read');
  const [themes, counts, participants, reviewed] = await Promise.all([
    ctx.store.themesOf(c.id),
    ctx.store.tagging.themeCounts(c.id, ['all', 'context', 'channel', 'language']),
    ctx.store.tagging.themeParticipants(c.id),
    ctx.store.tagging.reviewedTags(c.id),
  ]);
  const total = (theme: string) => counts.find((r) => r.theme === theme && r.dim === 'all')?.items ?? 0;
  const breakdown = (theme: string, dim: string) =>
    Object.fromEntries(counts.filter((r) => r.theme === theme && r.dim === dim).map((r) => [r.value, r.items]));
  const agreement = agreementByTheme(reviewed);
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
      agreement: agreement.get(t.key) ?? { reviewed: 0, agreed: 0, machineOnly: 0, humanOnly: 0, rate: null },
    })),
  };
}

/**
 * Per theme, over items that have both a reviewer's and the machine's tags: agreed = both chose the theme,
 * machineOnly / humanOnly = one of them did; rate = agreed / (agreed + machineOnly + humanOnly).
 */
export function agreementByTheme(rows: { itemId: number; themeKey: string; source: string }[]): Map<string, ThemeStats['themes'][number]['agreement']> {
  const human = new Map<number, Set<string>>();
  const machine = new Map<number, Set<string>>();
  for (const r of rows) {
    const target = r.source === 'human' ? human : machine;
    const set = target.get(r.itemId) ?? new Set<string>();
    if (r.themeKey !== '') set.add(r.themeKey);
    target.set(r.itemId, set);
  }
  const out = new Map<string, { reviewed: number; agreed: number; machineOnly: number; humanOnly: number; rate: number | null }>();
  const slot = (k: string) => {
    let v = out.get(k);
    if (!v) {
      v = { reviewed: 0, agreed: 0, machineOnly: 0, humanOnly: 0, rate: null };
      out.set(k, v);
    }
    return v;
  };
  for (const [item, h] of human) {
    const m = machine.get(item) ?? new Set<string>();
    for (const k of new Set([...h, ...m])) {
      const v = slot(k);
      v.reviewed++;
      if (h.has(k) && m.has(k)) v.agreed++;
      else if (m.has(k)) v.machineOnly++;
      else v.humanOnly++;
    }
  }
  for (const v of out.values()) v.rate = v.reviewed > 0 ? v.agreed / v.reviewed : null;
  return out;
}
