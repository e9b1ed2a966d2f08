/** Storage for key-point summaries: the items under a theme, and the cached summaries. */
import { and, eq } from 'drizzle-orm';
import * as t from '../../schema';
import type { Database } from './db';

export interface StoredSummary {
  generator: string;
  points: string;
  fingerprint: string;
  createdAt: string;
}

export class SummaryStore {
  constructor(private readonly database: Database) {}

  /** Items whose effective tags (a reviewer's when there are any) include the theme, oldest first. */
  async itemsUnderTheme(consultationId: string, themeKey: string, context: string | null) {
    const rows = await this.database.all<{ id: number; text: string; language: string | null; participant: string | null; context: string | null }>({
      sql: `select i.id, i.text, i.language, i.participant, i.context from items i
            where i.consultation_id = ? and i.status = 'tagged' ${context !== null ? 'and i.context = ?' : ''}
              and exists (
                select 1 from item_themes x where x.item_id = i.id and x.theme_key = ?
                  and (x.source = 'human' or not exists (select 1 from item_themes h where h.item_id = i.id and h.source = 'human'))
              )
            order by i.id`,
      args: context !== null ? [consultationId, context, themeKey] : [consultationId, themeKey],
    });
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  async get(consultationId: string, themeKey: string, context: string): Promise<StoredSummary | undefined> {
    return this.database.db
      .select({ generator: t.summaries.generator, points: t.summaries.points, fingerprint: t.summaries.fingerprint, createdAt: t.summaries.createdAt })
      .from(t.summaries)
      .where(and(eq(t.summaries.consultationId, consultationId), eq(t.summaries.themeKey, themeKey), eq(t.summaries.context, context)))
      .get();
  }

  async put(consultationId: string, themeKey: string, context: string, s: StoredSummary): Promise<void> {
    const row = { consultationId, themeKey, context, ...s };
    await this.database.db
      .insert(t.summaries)
      .values(row)
      .onConflictDoUpdate({ target: [t.summaries.consultationId, t.summaries.themeKey, t.summaries.context], set: s });
  }
}
