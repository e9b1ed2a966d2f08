/**
 * Dashboard reads: only the counter table theme_counts, kept up to date in the
 * same batch as every item and tag change, so a dashboard over a million items reads a few hundred rows.
 */
import type { Database } from './db';
import { placeholders } from './sql';

export interface CountRow {
  theme: string;
  dim: string;
  value: string;
  items: number;
}

/**
 * Distinct participants per theme key (`*` = any item), from the counter rows triggers keep (migration
 * 0003): `participantsOf(rows).get('advocacy')`.
 */
export function participantsOf(rows: readonly CountRow[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) if (r.dim === 'participants' && r.value === '' && r.items > 0) out.set(r.theme, r.items);
  return out;
}

export class DashboardStore {
  constructor(private readonly database: Database) {}

  /**
   * The counter rows the dashboard shows, except zeroes left behind by retags and erasures. Days only for
   * all items (`*`): the per-theme day rows are most of the table (a year of days for each theme) and no
   * page draws them; at 1M items reading them cost more than the rest of the dashboard's queries.
   */
  async counts(consultationId: string): Promise<CountRow[]> {
    const rows = await this.database.all<CountRow>({
      sql: "select theme, dim, value, items from theme_counts where consultation_id = ? and items <> 0 and (dim <> 'day' or theme = '*')",
      args: [consultationId],
    });
    return rows.map((r) => ({ theme: r.theme, dim: r.dim, value: r.value, items: Number(r.items) }));
  }

  /** Item totals of several consultations at once (for the consultation list). */
  async totalItems(consultationIds: string[]): Promise<Map<string, number>> {
    if (consultationIds.length === 0) return new Map();
    const out = new Map<string, number>();
    const chunk = Math.max(1, this.database.maxParams);
    for (let i = 0; i < consultationIds.length; i += chunk) {
      const part = consultationIds.slice(i, i + chunk);
      const rows = await this.database.all<{ consultation_id: string; items: number }>({
        sql: `select consultation_id, items from theme_counts where theme = '*' and dim = 'all' and value = '' and consultation_id in (${placeholders(part.length)})`,
        args: part,
      });
      for (const r of rows) out.set(r.consultation_id, Number(r.items));
    }
    return out;
  }
}
