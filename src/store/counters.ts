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
  return status === 'tagged' && themes.length > 0 ? [...themes] : [statusBucket(status)];
}

/** The bucket of an item without themes: `#pending`, `#none`, `#undecided` (one string each, not one per item). */
function statusBucket(status: string): string {
  return STATUS_BUCKETS.get(status) ?? `#${status}`;
}

const STATUS_BUCKETS = new Map([
  ['tagged', '#pending'],
  ['pending', '#pending'],
  ['none', '#none'],
  ['undecided', '#undecided'],
]);

/** `['*', bucket]` per status: the themes of an item without any, one array each, not one per item. */
const UNTAGGED_THEMES = new Map<string, readonly string[]>();

function untaggedThemes(status: string): readonly string[] {
  let themes = UNTAGGED_THEMES.get(status);
  if (themes === undefined) {
    themes = ['*', statusBucket(status)];
    UNTAGGED_THEMES.set(status, themes);
  }
  return themes;
}

/** The map `outer` holds under `key`, made empty the first time: the counters are kept in maps of maps. */
function innerMap<K, V>(outer: Map<K, Map<string, V>>, key: K): Map<string, V> {
  let inner = outer.get(key);
  if (inner === undefined) {
    inner = new Map();
    outer.set(key, inner);
  }
  return inner;
}

/** Items in one (context, channel, language, day), by theme. */
interface Tail {
  context: string;
  channel: string;
  language: string;
  day: string;
  byTheme: Map<string, Combo>;
  /** `dim\u0000value` of each counter row its items add to: all, context, channel, language, day. */
  suffixes: readonly string[];
}

/** A counter row as `counts` builds it: its key (`theme\u0000dim\u0000value`) and its delta. */
interface Row {
  key: string;
  n: number;
}

/** Items in one (theme, context, channel, language, day). */
interface Combo {
  theme: string;
  tail: Tail;
  n: number;
}

/** Items of one participant under one theme. */
interface ParticipantCount {
  theme: string;
  participant: string;
  n: number;
}

export class CounterDeltas {
  /**
   * Items per (theme, context, channel, language, day): few combinations, so one small update an item.
   * They are found through maps keyed by the fields themselves, not by one string joining them: building
   * and hashing that string for every item and theme was most of the cost of counting a 100k-item
   * upload. Maps: context → channel → language → day → Tail, then theme → Combo.
   */
  private readonly tails = new Map<string, Map<string, Map<string, Map<string, Tail>>>>();
  /** Every Combo in the order first seen, which `counts` (so the statements) follow. */
  private readonly combos: Combo[] = [];
  /** Items per (theme, participant), by theme then participant, and in first-seen order. */
  private readonly byParticipant = new Map<string, Map<string, ParticipantCount>>();
  private readonly participantCounts: ParticipantCount[] = [];
  /** Counter rows changed directly: (theme, dim, value) → delta. */
  private readonly direct = new Map<string, number>();
  /**
   * Whether no theme or field counted so far holds \u0000: then a row's key splits back into the fields it
   * was made of, and `counts` builds each key once instead of joining and splitting one per combination
   * (~45 ms of a 100k-item upload's tail, where an upload spanning years has ~30k combinations).
   */
  private plain = true;
  /** `dim\u0000value` by dim, then value: one string per distinct suffix (see Tail.suffixes). */
  private readonly suffixOf = new Map<string, Map<string, string>>();

  /** Adds (sign 1) or removes (sign -1) one item under the given themes; `*` is always counted by `addItem`. */
  add(facts: ItemFacts, themes: readonly string[], sign: 1 | -1): void {
    if (themes.length === 0) return;
    const tail = this.tailOf(facts);
    for (const theme of themes) {
      let combo = tail.byTheme.get(theme);
      if (combo === undefined) {
        if (theme.includes('\u0000')) this.plain = false;
        combo = { theme, tail, n: 0 };
        tail.byTheme.set(theme, combo);
        this.combos.push(combo);
      }
      combo.n += sign;
      if (facts.participant) this.countParticipant(theme, facts.participant, sign);
    }
  }

  /**
   * The Tail found last for each language: an upload's items come in time order, so most share the Tail of
   * the previous item in their language (in a chat of several languages, the previous item's is often another's).
   */
  private readonly lastTails = new Map<string, Tail>();

  private tailOf(facts: ItemFacts): Tail {
    const context = facts.context ?? '';
    const { channel } = facts;
    const language = facts.language ?? '';
    const last = this.lastTails.get(language);
    if (last !== undefined && last.context === context && last.channel === channel && sameDay(facts.at, last.day)) return last;
    const tail = this.findTail(context, channel, language, facts.at ? facts.at.slice(0, 10) : '');
    this.lastTails.set(language, tail);
    return tail;
  }

  private suffix(dim: string, value: string): string {
    const ofDim = innerMap(this.suffixOf, dim);
    let s = ofDim.get(value);
    if (s === undefined) {
      s = `${dim}\u0000${value}`;
      ofDim.set(value, s);
    }
    return s;
  }

  private findTail(context: string, channel: string, language: string, day: string): Tail {
    const byChannel = innerMap(this.tails, context);
    const byLanguage = innerMap(byChannel, channel);
    const byDay = innerMap(byLanguage, language);
    let tail = byDay.get(day);
    if (tail === undefined) {
      if (context.includes('\u0000') || channel.includes('\u0000') || language.includes('\u0000') || day.includes('\u0000')) this.plain = false;
      const suffixes = [this.suffix('all', ''), this.suffix('context', context), this.suffix('channel', channel), this.suffix('language', language), this.suffix('day', day)];
      tail = { context, channel, language, day, byTheme: new Map(), suffixes };
      byDay.set(day, tail);
    }
    return tail;
  }

  private countParticipant(theme: string, participant: string, sign: 1 | -1): void {
    // innerMap spelled out: called for every item and theme, the shared helper made counting ~30 % slower.
    let counts = this.byParticipant.get(theme);
    if (counts === undefined) {
      counts = new Map();
      this.byParticipant.set(theme, counts);
    }
    let c = counts.get(participant);
    if (c === undefined) {
      c = { theme, participant, n: 0 };
      counts.set(participant, c);
      this.participantCounts.push(c);
    }
    c.n += sign;
  }

  /** Deltas per `theme\u0000participant`, in first-seen order; pairs that join to the same key add up,
   *  as when this map was kept directly. */
  get participants(): Map<string, number> {
    const out = new Map<string, number>();
    for (const { theme, participant, n } of this.participantCounts) {
      const k = `${theme}\u0000${participant}`;
      out.set(k, (out.get(k) ?? 0) + n);
    }
    return out;
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
      if (k.includes('\u0000')) this.plain = false;
      const kind = m.has(k) && h.has(k) ? 'agreed' : m.has(k) ? 'machine-only' : 'human-only';
      const key = `${k}\u0000agreement\u0000${kind}`;
      this.direct.set(key, (this.direct.get(key) ?? 0) + sign);
    }
  }

  /** Counter deltas per (theme, dim, value), expanded from the combinations. */
  get counts(): Map<string, number> {
    if (!this.plain) return this.joinedCounts();
    // The same rows in the same order as joinedCounts gives: the direct ones, then each combination's five
    // in first-seen order. With no \u0000 anywhere no key of a combination is a direct one (their dims
    // differ), and each key is built once, through its theme and its suffix.
    const byTheme = new Map<string, Map<string, Row>>();
    const rows: Row[] = [];
    for (const { theme, tail, n } of this.combos) {
      const ofTheme = innerMap(byTheme, theme);
      for (const suffix of tail.suffixes) {
        let row = ofTheme.get(suffix);
        if (row === undefined) {
          row = { key: `${theme}\u0000${suffix}`, n: 0 };
          ofTheme.set(suffix, row);
          rows.push(row);
        }
        row.n += n;
      }
    }
    const out = new Map<string, number>(this.direct);
    for (const { key, n } of rows) out.set(key, n);
    return out;
  }

  /** `counts` when a theme or a field holds \u0000: keys are joined and split again, as they always were. */
  private joinedCounts(): Map<string, number> {
    const out = new Map<string, number>(this.direct);
    const bump = (k: string, n: number) => out.set(k, (out.get(k) ?? 0) + n);
    for (const { theme: t, tail, n } of this.combos) {
      // Joined and split again as when combinations were keyed by this string, so a field holding
      // \u0000 splits the same way.
      const k = `${t}\u0000${tail.context}\u0000${tail.channel}\u0000${tail.language}\u0000${tail.day}`;
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
    // Most items have no themes yet: their two buckets come without building an array per item.
    if (status !== 'tagged' || themes.length === 0) this.add(facts, untaggedThemes(status), sign);
    else this.add(facts, ['*', ...themes], sign);
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

/** Whether `at` falls on `day` (its first ten characters, as tailOf cuts them), without cutting it. */
function sameDay(at: string | null, day: string): boolean {
  if (!at) return day === '';
  return at.length >= 10 ? day.length === 10 && at.startsWith(day) : at === day;
}
