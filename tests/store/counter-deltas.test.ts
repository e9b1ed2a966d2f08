import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CounterDeltas, type ItemFacts } from '../../src/store/counters';

function facts(over: Partial<ItemFacts>): ItemFacts {
  return { context: 'chat', channel: 'whatsapp', language: 'en', at: '2024-03-18T14:56:00', participant: 'p1', ...over };
}

interface Rows {
  /** theme_counts rows without the consultation: theme, dim, value, items. */
  counts: (string | number)[][];
  /** theme_participants rows without the consultation: theme, participant, items. */
  participants: (string | number)[][];
  /** Rows per statement. */
  chunks: number[];
}

function rowsOf(deltas: CounterDeltas, maxParams: number): Rows {
  const out: Rows = { counts: [], participants: [], chunks: [] };
  for (const s of deltas.statements('c1', maxParams)) {
    const perRow = s.sql.includes('theme_participants') ? 4 : 5;
    out.chunks.push(s.args.length / perRow);
    for (let i = 0; i < s.args.length; i += perRow) {
      const row = s.args.slice(i + 1, i + perRow).map((v) => (typeof v === 'number' ? v : String(v)));
      (perRow === 4 ? out.participants : out.counts).push(row);
    }
  }
  return out;
}

// The rows, their order and their chunking are those the implementation keyed by joined strings gave
// (the counters are kept by nested maps since); 12 parameters make chunks of 2 and 3 rows.
describe('CounterDeltas.statements', () => {
  test.each<[string, (d: CounterDeltas) => void, Rows]>([
  [
    "two items on one day",
    (d) => {
      d.addItem(facts({}), 'pending', [], 1);
      d.addItem(facts({ participant: 'p2', language: 'fr' }), 'pending', [], 1);
    },
    {"counts": [["*", "all", "", 2], ["*", "context", "chat", 2], ["*", "channel", "whatsapp", 2], ["*", "language", "en", 1], ["*", "day", "2024-03-18", 2], ["#pending", "all", "", 2], ["#pending", "context", "chat", 2], ["#pending", "channel", "whatsapp", 2], ["#pending", "language", "en", 1], ["#pending", "day", "2024-03-18", 2], ["*", "language", "fr", 1], ["#pending", "language", "fr", 1]], "participants": [["*", "p1", 1], ["#pending", "p1", 1], ["*", "p2", 1], ["#pending", "p2", 1]], "chunks": [2, 2, 2, 2, 2, 2, 3, 1]},
  ],
  [
    "an item added then removed leaves no row",
    (d) => {
      d.addItem(facts({}), 'tagged', ['access'], 1);
      d.addItem(facts({}), 'tagged', ['access'], -1);
    },
    {"counts": [], "participants": [], "chunks": []},
  ],
  [
    "rows in first-seen order across themes, days and missing facts",
    (d) => {
      d.addItem(facts({ at: '2024-03-19T09:00' }), 'tagged', ['skills', 'access'], 1);
      d.addItem(facts({}), 'tagged', ['access'], 1);
      d.addItem(facts({ at: null, language: null, context: null }), 'none', [], 1);
    },
    {"counts": [["*", "all", "", 3], ["*", "context", "chat", 2], ["*", "channel", "whatsapp", 3], ["*", "language", "en", 2], ["*", "day", "2024-03-19", 1], ["skills", "all", "", 1], ["skills", "context", "chat", 1], ["skills", "channel", "whatsapp", 1], ["skills", "language", "en", 1], ["skills", "day", "2024-03-19", 1], ["access", "all", "", 2], ["access", "context", "chat", 2], ["access", "channel", "whatsapp", 2], ["access", "language", "en", 2], ["access", "day", "2024-03-19", 1], ["*", "day", "2024-03-18", 1], ["access", "day", "2024-03-18", 1], ["*", "context", "", 1], ["*", "language", "", 1], ["*", "day", "", 1], ["#none", "all", "", 1], ["#none", "context", "", 1], ["#none", "channel", "whatsapp", 1], ["#none", "language", "", 1], ["#none", "day", "", 1]], "participants": [["*", "p1", 3], ["skills", "p1", 1], ["access", "p1", 2], ["#none", "p1", 1]], "chunks": [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 3, 1]},
  ],
  [
    "no participant or an empty one is not counted per participant",
    (d) => {
      d.addItem(facts({ participant: null }), 'pending', [], 1);
      d.addItem(facts({ participant: '' }), 'pending', [], 1);
    },
    {"counts": [["*", "all", "", 2], ["*", "context", "chat", 2], ["*", "channel", "whatsapp", 2], ["*", "language", "en", 2], ["*", "day", "2024-03-18", 2], ["#pending", "all", "", 2], ["#pending", "context", "chat", 2], ["#pending", "channel", "whatsapp", 2], ["#pending", "language", "en", 2], ["#pending", "day", "2024-03-18", 2]], "participants": [], "chunks": [2, 2, 2, 2, 2]},
  ],
  [
    "a field holding \\u0000 splits as it always did",
    (d) => {
      d.addItem(facts({ context: 'a\u0000b' }), 'pending', [], 1);
      d.addItem(facts({ participant: 'x\u0000y' }), 'tagged', ['t\u0000u'], 1);
      d.add(facts({ participant: 'u\u0000x' }), ['t'], 1);
    },
    {"counts": [["*", "all", "", 2], ["*", "context", "a", 1], ["*", "channel", "b", 1], ["*", "language", "whatsapp", 1], ["*", "day", "en", 1], ["#pending", "all", "", 1], ["#pending", "context", "a", 1], ["#pending", "channel", "b", 1], ["#pending", "language", "whatsapp", 1], ["#pending", "day", "en", 1], ["*", "context", "chat", 1], ["*", "channel", "whatsapp", 1], ["*", "language", "en", 1], ["*", "day", "2024-03-18", 1], ["t", "all", "", 2], ["t", "context", "u", 1], ["t", "channel", "chat", 1], ["t", "language", "whatsapp", 1], ["t", "day", "en", 1], ["t", "context", "chat", 1], ["t", "channel", "whatsapp", 1], ["t", "language", "en", 1], ["t", "day", "2024-03-18", 1]], "participants": [["*", "p1", 1], ["#pending", "p1", 1], ["*", "x", 1], ["t", "u", 1], ["t", "u", 1]], "chunks": [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 3, 2]},
  ],
  [
    "a \\u0000 met after plain items: every row is keyed as it always was",
    (d) => {
      d.addItem(facts({}), 'pending', [], 1);
      d.addItem(facts({ language: 'fr', at: '2024-03-19T10:00' }), 'tagged', ['access'], 1);
      d.addItem(facts({ context: 'a\u0000b' }), 'pending', [], 1);
    },
    {"counts": [["*", "all", "", 3], ["*", "context", "chat", 2], ["*", "channel", "whatsapp", 2], ["*", "language", "en", 1], ["*", "day", "2024-03-18", 1], ["#pending", "all", "", 2], ["#pending", "context", "chat", 1], ["#pending", "channel", "whatsapp", 1], ["#pending", "language", "en", 1], ["#pending", "day", "2024-03-18", 1], ["*", "language", "fr", 1], ["*", "day", "2024-03-19", 1], ["access", "all", "", 1], ["access", "context", "chat", 1], ["access", "channel", "whatsapp", 1], ["access", "language", "fr", 1], ["access", "day", "2024-03-19", 1], ["*", "context", "a", 1], ["*", "channel", "b", 1], ["*", "language", "whatsapp", 1], ["*", "day", "en", 1], ["#pending", "context", "a", 1], ["#pending", "channel", "b", 1], ["#pending", "language", "whatsapp", 1], ["#pending", "day", "en", 1]], "participants": [["*", "p1", 3], ["#pending", "p1", 2], ["access", "p1", 1]], "chunks": [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 3]},
  ],
  [
    "a change and agreement",
    (d) => {
      d.change(facts({}), ['a', 'b'], ['b', 'c']);
      d.agreement(['a', 'b'], ['b', 'c'], 1);
      d.agreement(['a'], null, 1);
    },
    {"counts": [["a", "agreement", "machine-only", 1], ["b", "agreement", "agreed", 1], ["c", "agreement", "human-only", 1], ["a", "all", "", -1], ["a", "context", "chat", -1], ["a", "channel", "whatsapp", -1], ["a", "language", "en", -1], ["a", "day", "2024-03-18", -1], ["c", "all", "", 1], ["c", "context", "chat", 1], ["c", "channel", "whatsapp", 1], ["c", "language", "en", 1], ["c", "day", "2024-03-18", 1]], "participants": [["a", "p1", -1], ["c", "p1", 1]], "chunks": [2, 2, 2, 2, 2, 2, 1, 2]},
  ],
  ])('%s', (_name, run, expected) => {
    const d = new CounterDeltas();
    run(d);
    expect(rowsOf(d, 12)).toEqual(expected);
  });
});

/** The counters as plainly as they can be kept: one total per (theme, dim, value), from the item's fields. */
function naive(items: { facts: ItemFacts; status: string; themes: string[]; sign: 1 | -1 }[]): string[] {
  const totals = new Map<string, number>();
  const bump = (k: string, n: number) => totals.set(k, (totals.get(k) ?? 0) + n);
  for (const { facts: f, status, themes, sign } of items) {
    const buckets = ['*', ...(status === 'tagged' && themes.length > 0 ? themes : [`#${status === 'tagged' ? 'pending' : status}`])];
    for (const t of buckets) {
      bump(`${t}|all|`, sign);
      bump(`${t}|context|${f.context ?? ''}`, sign);
      bump(`${t}|channel|${f.channel}`, sign);
      bump(`${t}|language|${f.language ?? ''}`, sign);
      bump(`${t}|day|${f.at ? f.at.slice(0, 10) : ''}`, sign);
      if (f.participant) bump(`${t}|p|${f.participant}`, sign);
    }
  }
  return [...totals].filter(([, n]) => n !== 0).map(([k, n]) => `${k}=${n}`).sort();
}

describe('CounterDeltas against plain totals', () => {
  test('any sequence of items (times in every shape, repeated and changing facts) gives the plain totals', () => {
    const item = fc.record({
      facts: fc.record({
        context: fc.constantFrom(null, '', 'chat', 'Survey'),
        channel: fc.constantFrom('whatsapp', 'telegram'),
        language: fc.constantFrom(null, 'en', 'ar'),
        at: fc.constantFrom(null, '', '2024-03', '2024-03-18', '2024-03-18T10:00', '2024-03-18T23:59:59', '2024-03-19T00:00', '2024-03-1', '2024-03-189'),
        participant: fc.constantFrom(null, '', 'p1', 'p2'),
      }),
      status: fc.constantFrom('pending', 'tagged', 'none', 'undecided'),
      themes: fc.subarray(['access', 'skills']),
      sign: fc.constantFrom<1 | -1>(1, -1),
    });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 40 }), (items) => {
        const d = new CounterDeltas();
        for (const it of items) d.addItem(it.facts, it.status, it.themes, it.sign);
        const rows = rowsOf(d, 30_000);
        const got = [
          ...rows.counts.map(([t, dim, v, n]) => `${t}|${dim}|${v}=${n}`),
          ...rows.participants.map(([t, p, n]) => `${t}|p|${p}=${n}`),
        ].sort();
        expect(got).toEqual(naive(items));
      }),
      { numRuns: 2000 },
    );
  });
});
