import { describe, expect, test } from 'vitest';
import { groupItems, pointFromText, summariseExtractive } from '../../src/summaries/extractive';
import { quoteMatches } from '../../src/summaries/quote';
import type { SummaryItem } from '../../src/summaries/types';

const RLM = '\u200F';

function items(rows: [text: string, participant?: string | null][]): SummaryItem[] {
  return rows.map(([text, participant], i) => ({
    id: i + 1,
    text,
    language: null,
    participant: participant === undefined ? `P-${String(i + 1).padStart(6, '0')}` : participant,
    context: null,
  }));
}

const groupsOf = (list: SummaryItem[]) =>
  groupItems(list)
    .map((g) => [...g.members].sort((a, b) => a - b))
    .filter((m) => m.length > 1);

describe('extractive: grouping', () => {
  test.each([
    [
      'exact duplicates differing in case and punctuation',
      items([['We need more training for new editors!'], ['we need more training for new editors'], ['The mobile app crashes on upload']]),
      [[1, 2]],
    ],
    [
      'English near-duplicates (plural, extra words)',
      items([
        ['The grants always arrive too late for small groups'],
        ['Grants arrive too late for small user groups'],
        ['Harassment on talk pages drives women away'],
      ]),
      [[1, 2]],
    ],
    [
      'French near-duplicates with and without accents',
      items([
        ['Les subventions arrivent toujours en retard dans les régions'],
        ['les subventions arrivent en retard dans les regions'],
        ['Il faut traduire les guides en wolof'],
      ]),
      [[1, 2]],
    ],
    [
      'Arabic near-duplicates: RLM marks, hamza and article variants',
      items([
        [`${RLM}المنح لا تصل إلى المجموعات الصغيرة`],
        ['المنح لا تصل الى مجموعات صغيرة ابدا'],
        ['التحرش في صفحات النقاش يجعل المحررات يغادرن'],
      ]),
      [[1, 2]],
    ],
    [
      'Japanese near-duplicates without spaces',
      items([['スマホのアプリが使いにくいです'], ['スマホのアプリはとても使いにくいです'], ['女性編集者が少なく、ジェンダーの偏りがあります']]),
      [[1, 2]],
    ],
    [
      'Thai near-duplicates segmented into words',
      items([['ภาษาไทยง่ายนิดเดียว'], ['ภาษาไทยง่ายนิดเดียวครับ'], ['แอปมือถือใช้งานยากมาก']]),
      [[1, 2]],
    ],
    [
      'unrelated items sharing only function words stay apart',
      items([['We need more money for the chapter'], ['We need more photos of the museum'], ['We need a new logo for the event']]),
      [],
    ],
  ])('%s', (_name, list, expected) => {
    expect(groupsOf(list)).toEqual(expected);
  });

  test('the representative is the most central member', () => {
    const list = items([
      ['Grants arrive too late for small groups and nobody explains why'],
      ['Grants arrive too late for small groups'],
      ['grants arrive too late for the small groups in our country'],
    ]);
    const [group] = groupItems(list);
    expect(group?.representative).toBe(2);
    expect(group?.members).toEqual([2, 1, 3]);
  });

  test('a tie goes to the shorter text, then the lower id', () => {
    const twoEqual = items([['Training for new editors please!!'], ['Training for new editors please']]);
    expect(groupItems(twoEqual)[0]?.representative).toBe(2);
    const sameText = items([['Training for new editors'], ['Training for new editors']]);
    expect(groupItems(sameText)[0]?.representative).toBe(1);
  });

  test('groups rank by distinct participants, then items', () => {
    const list = items([
      ['The visual editor crashes on my phone', 'P-AAAAAA'],
      ['The visual editor crashes on my phone again', 'P-AAAAAA'],
      ['the visual editor crashes on my phone!!', 'P-AAAAAA'],
      ['We want a partnership with the national library', 'P-BBBBBB'],
      ['a partnership with the national library would help', 'P-CCCCCC'],
      ['Please add offline reading to the app', null],
    ]);
    const groups = groupItems(list);
    expect(groups.map((g) => [g.representative, g.participants, g.members.length])).toEqual([
      [4, 2, 2],
      [1, 1, 3],
      [6, 1, 1],
    ]);
  });

  test('items without an author count one voice each', () => {
    const list = items([
      ['Offline reading in the app, please', null],
      ['offline reading in the app please!', null],
      ['The mobile app needs dark mode', 'P-AAAAAA'],
      ['the mobile app needs a dark mode', 'P-AAAAAA'],
      ['The mobile app needs dark mode now', 'P-AAAAAA'],
    ]);
    expect(groupItems(list)[0]?.members).toEqual([1, 2]);
  });

  test('content-free items rank last and symbol-only items are left out', () => {
    const list = items([['+1', 'P-A'], ['+1', 'P-B'], ['+1', 'P-C'], ['ok agreed', 'P-D'], ['ok agreed', 'P-E'], ['👍👍'], ['Translate the help pages into Hausa']]);
    const groups = groupItems(list);
    expect(groups.map((g) => g.representative)).toEqual([7, 4]);
    expect(groups.map((g) => g.informative)).toEqual([true, false]);
  });
});

describe('extractive: points', () => {
  const list = items([
    ['We need more training for new editors in our region.', 'P-A'],
    ['we need more training for new editors', 'P-B'],
    ['More training for new editors in the region please', 'P-C'],
    ['The grants always arrive too late for small groups.', 'P-D'],
    ['Grants arrive too late for small user groups', 'P-E'],
    [`${RLM}المنح لا تصل إلى المجموعات الصغيرة`, 'P-F'],
    ['スマホのアプリが使いにくいです', 'P-G'],
  ]);

  test('every point quotes its first citation and cites its whole group', () => {
    const summary = summariseExtractive(list);
    expect(summary.generator).toBe('extractive');
    expect(summary.points.map((p) => p.citations)).toEqual([[1, 2, 3], [5, 4], [6], [7]]);
    for (const p of summary.points) {
      const first = list.find((i) => i.id === p.citations[0]);
      expect(quoteMatches(p.quote, first?.text ?? '')).toBe(true);
      expect(p.text).toBe(p.quote);
    }
    expect(summary.points[2]?.text).toBe('المنح لا تصل إلى المجموعات الصغيرة');
  });

  test('maxPoints caps the list', () => {
    expect(summariseExtractive(list, { maxPoints: 2 }).points).toHaveLength(2);
  });

  test('the same items in any order give the same summary', () => {
    const reversed = [...list].reverse();
    const shuffled = [list[3], list[0], list[6], list[1], list[5], list[2], list[4]].flatMap((i) => (i ? [i] : []));
    expect(summariseExtractive(reversed)).toEqual(summariseExtractive(list));
    expect(summariseExtractive(shuffled)).toEqual(summariseExtractive(list));
  });

  test('no items, empty items', () => {
    expect(summariseExtractive([]).points).toEqual([]);
    expect(summariseExtractive(items([['   '], [`${RLM}`]])).points).toEqual([]);
  });
});

describe('pointFromText', () => {
  const long = `Our chapter has asked for a grant three times. ${'Every time the answer came months after the event had already happened, so we paid for the venue ourselves and the volunteers lost faith in the process. '.repeat(3)}`;
  test.each([
    ['a short text is its own point', 'Grants are late.\nVery late.', { text: 'Grants are late. Very late.', quote: 'Grants are late. Very late.' }],
    ['a long text is cut to its first sentence', long, { text: 'Our chapter has asked for a grant three times. …', quote: 'Our chapter has asked for a grant three times.' }],
    [
      'a too-short first sentence takes the next one too',
      `Hi. ${'The budget for small affiliates should be decided by the affiliates themselves, not by a committee far away. '.repeat(4)}`,
      {
        text: 'Hi. The budget for small affiliates should be decided by the affiliates themselves, not by a committee far away. …',
        quote: 'Hi. The budget for small affiliates should be decided by the affiliates themselves, not by a committee far away.',
      },
    ],
    ['Japanese sentences end without spaces', `${'アプリが使いにくいです。'.repeat(30)}`, { text: 'アプリが使いにくいです。 …', quote: 'アプリが使いにくいです。' }],
  ])('%s', (_name, raw, expected) => {
    const point = pointFromText(raw);
    expect(point).toEqual(expected);
    expect(quoteMatches(point?.quote ?? '', raw)).toBe(true);
  });

  test('a long text without sentence ends is cut at a word', () => {
    const raw = 'word '.repeat(200);
    const point = pointFromText(raw);
    expect(point?.quote.length).toBeLessThanOrEqual(300);
    expect(point?.quote.endsWith('word')).toBe(true);
    expect(quoteMatches(point?.quote ?? '', raw)).toBe(true);
  });
});

describe('extractive: large sets', () => {
  /** A seeded multilingual set: families of paraphrases with names and numbers mixed in. */
  function generated(n: number, seed: number): SummaryItem[] {
    let s = seed;
    const rnd = () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s / 2 ** 32;
    };
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)] as T;
    const templates = [
      'We need more training for new editors in {c}',
      'The grants arrive too late for small groups in {c}',
      'Harassment on talk pages drives {w} away',
      'The mobile app keeps crashing when I upload {w}',
      'Our chapter in {c} should partner with the national library',
      'Nous voulons une formation pour les nouveaux {w} à {c}',
      'Les subventions arrivent toujours en retard à {c}',
      'نحتاج إلى تدريب المتطوعين في {c} على تحرير المقالات',
      'المنح لا تصل إلى المجموعات الصغيرة في {c}',
      '{c}でスマホのアプリが使いにくいです',
      '{c}の図書館と協力するべきです',
    ];
    const words = ['photos', 'women', 'students', 'teachers', 'volunteers', 'newcomers', 'librarians', 'elders'];
    const cities = ['Lagos', 'Cairo', 'Lyon', 'Osaka', 'Dhaka', 'Lima', 'Accra', 'Tunis', 'Quito', 'Pune'];
    return Array.from({ length: n }, (_, i) => ({
      id: i + 1,
      text:
        pick(templates).replace('{c}', pick(cities)).replace('{w}', pick(words)) +
        (rnd() < 0.3 ? ` ${pick(words)} ${Math.floor(rnd() * 1000)}` : ''),
      language: null,
      participant: `P-${Math.floor(rnd() * (n / 3))}`,
      context: null,
    }));
  }

  /**
   * Diverse text: families of sentences over a Zipf-like synthetic vocabulary (a few very common words,
   * a long tail), each variant dropping, swapping or adding words, so groups are neither trivial nor all one.
   */
  function families(n: number, seed: number): SummaryItem[] {
    let s = seed;
    const rnd = () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s / 2 ** 32;
    };
    const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'be', 'do', 'fu', 'gi'];
    const vocab = Array.from({ length: 3000 }, (_, i) => {
      let w = '';
      for (let x = i + 1; x > 0; x = Math.floor(x / 12)) w += syllables[x % 12];
      return w.length < 3 ? `${w}xa` : w;
    });
    const word = () => vocab[Math.floor(vocab.length * rnd() ** 3)] ?? 'ka';
    const bases = Array.from({ length: Math.ceil(n / 4) }, () => Array.from({ length: 6 + Math.floor(rnd() * 8) }, word));
    return Array.from({ length: n }, (_, i) => {
      const words = [...(bases[Math.floor(rnd() * bases.length)] ?? [])];
      const edits = Math.floor(rnd() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rnd() * words.length);
        if (rnd() < 0.5) words.splice(at, 1);
        else words.splice(at, 0, word());
      }
      return { id: i + 1, text: words.join(' '), language: null, participant: `P-${Math.floor(rnd() * n)}`, context: null };
    });
  }

  test('LSH candidate pairs group like the exact all-pairs scan', () => {
    const list = families(1400, 7);
    const exact = groupItems(list);
    const lsh = groupItems(list, { allPairsLimit: 0 });
    const groupOf = (groups: typeof exact) => {
      const m = new Map<number, number>();
      groups.forEach((g, gi) => {
        for (const id of g.members) m.set(id, gi);
      });
      return m;
    };
    const a = groupOf(exact);
    const b = groupOf(lsh);
    // Agreement over all pairs that either scan puts together: same group in one ⇔ same group in the other.
    const together = new Set<string>();
    for (const groups of [exact, lsh]) {
      for (const g of groups) for (const x of g.members) for (const y of g.members) if (x < y) together.add(`${x},${y}`);
    }
    let agree = 0;
    for (const pair of together) {
      const [x, y] = pair.split(',').map(Number);
      if ((a.get(x ?? 0) === a.get(y ?? 0)) === (b.get(x ?? 0) === b.get(y ?? 0))) agree++;
    }
    const share = agree / together.size;
    console.info(`LSH vs exact: ${(100 * share).toFixed(1)}% of ${together.size} grouped pairs agree; ${lsh.length} vs ${exact.length} groups`);
    expect(share).toBeGreaterThan(0.9);
    expect(Math.abs(exact.length - lsh.length) / exact.length).toBeLessThan(0.05);
  });

  test.each([
    ['templated, many near-copies', () => generated(10_000, 11)],
    ['diverse families', () => families(10_000, 13)],
  ])('10,000 items summarise quickly: %s', (name, make) => {
    const list = make();
    const started = performance.now();
    const cpu = process.cpuUsage();
    const summary = summariseExtractive(list);
    const used = process.cpuUsage(cpu);
    const ms = performance.now() - started;
    console.info(`extractive (${name}): 10,000 items in ${ms.toFixed(0)} ms (${((used.user + used.system) / 1000).toFixed(0)} ms CPU)`);
    expect(summary.points).toHaveLength(8);
    for (const p of summary.points) expect(quoteMatches(p.quote, list[(p.citations[0] ?? 0) - 1]?.text ?? '')).toBe(true);
    // Generous: the shared test machine is often busy; alone it takes a few hundred ms.
    expect(ms).toBeLessThan(5000);
  });
});
