/** Storage for tagging: the items to tag, machine tags with their counters, runs, and the answer cache. */
import { and, eq, inArray } from 'drizzle-orm';
import * as t from '../../schema';
import type { ItemStatus } from '../../schema';
import { CounterDeltas, type ItemFacts, countedThemes } from './counters';
import type { Database, RawStatement } from './db';
import { chunks, placeholders, repeat } from './sql';

export interface ItemToTag extends ItemFacts {
  id: number;
  text: string;
  status: ItemStatus;
}

export type MachineOutcome =
  | { outcome: 'themes'; themes: { key: string; confidence: number }[] }
  | { outcome: 'none' }
  | { outcome: 'undecided' };

export interface TaggingRun {
  id: string;
  consultationId: string;
  generator: 'llm' | 'offline';
  model: string | null;
  startedAt: string;
  finishedAt: string | null;
  tagged: number;
  undecided: number;
  pending: number;
  requests: number;
  cacheHits: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  errors: string[];
}

export class TaggingStore {
  constructor(private readonly database: Database) {}

  /** Pending items, oldest first, after `afterId`. */
  async pendingItems(consultationId: string, limit: number, afterId = 0): Promise<ItemToTag[]> {
    return this.itemsWhere('i.consultation_id = ? and i.status = ? and i.id > ?', [consultationId, 'pending', afterId], limit);
  }

  /** Pending items among the given ids (a queue message's chunk): redelivered work finds nothing left to do. */
  async pendingItemsByIds(consultationId: string, ids: number[]): Promise<ItemToTag[]> {
    const out: ItemToTag[] = [];
    // D1 binds at most 100 values a statement; the query itself binds 2 more than its ids.
    for (const part of chunks(ids, this.database.maxParams - 2)) {
      out.push(...(await this.itemsWhere(`i.consultation_id = ? and i.status = 'pending' and i.id in (${placeholders(part.length)})`, [consultationId, ...part], part.length)));
    }
    return out.sort((a, b) => a.id - b.id);
  }

  async countPending(consultationId: string): Promise<number> {
    const rows = await this.database.all<{ n: number }>({
      sql: "select count(*) as n from items where consultation_id = ? and status = 'pending'",
      args: [consultationId],
    });
    return Number(rows[0]?.n ?? 0);
  }

  async pendingIds(consultationId: string): Promise<number[]> {
    const rows = await this.database.all<{ id: number }>({
      sql: "select id from items where consultation_id = ? and status = 'pending' order by id",
      args: [consultationId],
    });
    return rows.map((r) => Number(r.id));
  }

  private async itemsWhere(where: string, args: (string | number)[], limit: number): Promise<ItemToTag[]> {
    const rows = await this.database.all<ItemToTag>({
      sql: `select i.id, i.text, i.status, i.context, i.channel, i.language, i.at, i.participant from items i where ${where} order by i.id limit ?`,
      args: [...args, limit],
    });
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  /**
   * Stores machine outcomes for pending items with the counters they move, in one batch. Items no longer
   * pending when the answers come back (a reviewer tagged them, an admin erased them while the model was
   * being asked, which takes seconds) are left alone and not counted: they are read again first. The
   * status guard on the update still holds for a change that lands in the few milliseconds between.
   */
  async writeMachineTags(
    consultationId: string,
    source: 'llm' | 'offline',
    answered: { item: ItemToTag; result: MachineOutcome }[],
  ): Promise<void> {
    const still = new Set((await this.pendingItemsByIds(consultationId, answered.map((r) => r.item.id))).map((i) => i.id));
    const results = answered.filter((r) => still.has(r.item.id));
    if (results.length === 0) return;
    const statements: RawStatement[] = [];
    const deltas = new CounterDeltas();
    for (const ids of chunks(
      results.map((r) => r.item.id),
      this.database.maxParams - 1,
    )) {
      statements.push({ sql: `delete from item_themes where source = ? and item_id in (${placeholders(ids.length)})`, args: [source, ...ids] });
    }
    const tagRows: (string | number)[] = [];
    for (const { item, result } of results) {
      const status: ItemStatus = result.outcome === 'themes' ? (result.themes.length > 0 ? 'tagged' : 'undecided') : result.outcome;
      const keys = result.outcome === 'themes' ? result.themes.map((x) => x.key) : [];
      if (result.outcome === 'themes') for (const th of result.themes) tagRows.push(item.id, th.key, th.confidence, source);
      statements.push({ sql: "update items set status = ? where id = ? and status = 'pending'", args: [status, item.id] });
      deltas.change(item, countedThemes(item.status, []), countedThemes(status, keys));
    }
    const perRow = 4;
    const rowsPerStatement = Math.floor(this.database.maxParams / perRow);
    for (let i = 0; i < tagRows.length; i += rowsPerStatement * perRow) {
      const part = tagRows.slice(i, i + rowsPerStatement * perRow);
      statements.push({
        sql: `insert into item_themes (item_id, theme_key, confidence, source) values ${repeat('(?, ?, ?, ?)', part.length / perRow)} on conflict do nothing`,
        args: part,
      });
    }
    statements.push(...deltas.statements(consultationId, this.database.maxParams));
    await this.database.batch(statements);
  }

  async saveRun(run: TaggingRun): Promise<void> {
    const values = { ...run, errors: JSON.stringify(run.errors) };
    await this.database.db
      .insert(t.taggingRuns)
      .values(values)
      .onConflictDoUpdate({ target: t.taggingRuns.id, set: values });
  }

  async cacheGet(kind: string, keys: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const size = Math.max(1, this.database.maxParams - 1);
    for (let i = 0; i < keys.length; i += size) {
      const part = keys.slice(i, i + size);
      const rows = await this.database.db
        .select({ key: t.llmCache.key, value: t.llmCache.value })
        .from(t.llmCache)
        .where(and(eq(t.llmCache.kind, kind), inArray(t.llmCache.key, part)));
      for (const r of rows) out.set(r.key, r.value);
    }
    return out;
  }

  async cachePut(kind: string, entries: [string, string][], at: string): Promise<void> {
    const size = Math.max(1, Math.floor(this.database.maxParams / 4));
    for (let i = 0; i < entries.length; i += size) {
      const part = entries.slice(i, i + size);
      await this.database.db
        .insert(t.llmCache)
        .values(part.map(([key, value]) => ({ key, kind, value, createdAt: at })))
        .onConflictDoNothing();
    }
  }
}
