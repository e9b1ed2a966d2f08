/**
 * Dashboard counters as deltas: what an item adds to (or takes from) theme_counts and theme_participants.
 * Pure; the store turns the deltas into upserts inside the same batch as the change they count.
 */
import type { RawStatement, SqlValue } from './db';
import { repeat } from './sql';

/** What an item is counted by. */
export interface ItemFacts {
  context: string | null;
  channel: string;
  language: string | null;
  at: string | null;
  participant: string | null;
}

/** The buckets an item sits in: its effective theme keys when tagged, else `#pending`/`#none`/`#undecided`. */
export function countedThemes(status: string, themes: readonly string[]): string[] {
  return status === 'tagged' && themes.length > 0 ? [...themes] : [`#${status === 'tagged' ? 'pending' : status}`];
}

export class CounterDeltas {
  /** Items per (theme, context, channel, language, day): few combinations, so one map update an item. */
  private readonly combos = new Map<string, number>();
  /** Counter rows changed directly: (theme, dim, value) → delta. */
  private readonly direct = new Map<string, number>();
  readonly participants = new Map<string, number>();

  /** Adds (sign 1) or removes (sign -1) one item under the given themes; `*` is always counted by `addItem`. */
  add(facts: ItemFacts, themes: readonly string[], sign: 1 | -1): void {
    if (themes.length === 0) return;
    const tail = `\u0000${facts.context ?? ''}\u0000${facts.channel}\u0000${facts.language ?? ''}\u0000${facts.at ? facts.at.slice(0, 10) : ''}`;
    for (const theme of themes) {
      const k = theme + tail;
      this.combos.set(k, (this.combos.get(k) ?? 0) + sign);
      if (facts.participant) {
        const pk = `${theme}\u0000${facts.participant}`;
        this.participants.set(pk, (this.participants.get(pk) ?? 0) + sign);
      }
    }
  }

  /**
   * An item's part in machine–human agreement (dim `agreement`): counted only when it has both a reviewer's
   * tags (`human`, possibly the empty "no theme") and machine tags. Sign -1 takes an earlier part back.
   */
  agreement(machine: readonly string[], human: readonly string[] | null, sign: 1 | -1): void {
    if (human === null || machine.length === 0) return;
    const m = new Set(machine);
    const h = new Set(human);
    for (const k of new Set([...m, ...h])) {
      const kind = m.has(k) && h.has(k) ? 'agreed' : m.has(k) ? 'machine-only' : 'human-only';
      const key = `${k}\u0000agreement\u0000${kind}`;
      this.direct.set(key, (this.direct.get(key) ?? 0) + sign);
    }
  }

  /** Counter deltas per (theme, dim, value), expanded from the combinations. */
  get counts(): Map<string, number> {
    const out = new Map<string, number>(this.direct);
    const bump = (k: string, n: number) => out.set(k, (out.get(k) ?? 0) + n);
    for (const [k, n] of this.combos) {
      const [theme = '', context = '', channel = '', language = '', day = ''] = k.split('\u0000');
      bump(`${theme}\u0000all\u0000`, n);
      bump(`${theme}\u0000context\u0000${context}`, n);
      bump(`${theme}\u0000channel\u0000${channel}`, n);
      bump(`${theme}\u0000language\u0000${language}`, n);
      bump(`${theme}\u0000day\u0000${day}`, n);
    }
    return out;
  }

  /** A new or removed item: counted under `*` and its status or themes. */
  addItem(facts: ItemFacts, status: string, themes: readonly string[], sign: 1 | -1): void {
    this.add(facts, ['*', ...countedThemes(status, themes)], sign);
  }

  /** An item whose themes or status changed. */
  change(facts: ItemFacts, before: readonly string[], after: readonly string[]): void {
    const b = new Set(before);
    const a = new Set(after);
    this.add(
      facts,
      before.filter((t) => !a.has(t)),
      -1,
    );
    this.add(
      facts,
      after.filter((t) => !b.has(t)),
      1,
    );
  }

  /** Upserts adding the deltas, chunked to the driver's parameter limit. */
  statements(consultationId: string, maxParams: number): RawStatement[] {
    const out: RawStatement[] = [];
    const counts = [...this.counts].filter(([, n]) => n !== 0);
    const perRow = 5;
    for (let i = 0; i < counts.length; i += Math.floor(maxParams / perRow)) {
      const rows = counts.slice(i, i + Math.floor(maxParams / perRow));
      const args: SqlValue[] = [];
      for (const [k, n] of rows) {
        const [theme = '', dim = '', value = ''] = k.split('\u0000');
        args.push(consultationId, theme, dim, value, n);
      }
      out.push({
        sql: `insert into theme_counts (consultation_id, theme, dim, value, items) values ${repeat('(?, ?, ?, ?, ?)', rows.length)}
              on conflict (consultation_id, theme, dim, value) do update set items = items + excluded.items`,
        args,
      });
    }
    const parts = [...this.participants].filter(([, n]) => n !== 0);
    for (let i = 0; i < parts.length; i += Math.floor(maxParams / 4)) {
      const rows = parts.slice(i, i + Math.floor(maxParams / 4));
      const args: SqlValue[] = [];
      for (const [k, n] of rows) {
        const [theme = '', participant = ''] = k.split('\u0000');
        args.push(consultationId, theme, participant, n);
      }
      out.push({
        sql: `insert into theme_participants (consultation_id, theme, participant, items) values ${repeat('(?, ?, ?, ?)', rows.length)}
              on conflict (consultation_id, theme, participant) do update set items = items + excluded.items`,
        args,
      });
    }
    return out;
  }
}
