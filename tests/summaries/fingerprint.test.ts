import { describe, expect, test } from 'vitest';
import { chunkItems, diffChunks, estimateTokens, summaryCacheKey, summaryFingerprint } from '../../src/summaries/fingerprint';

const items = (n: number, from = 1) => Array.from({ length: n }, (_, k) => ({ id: from + k, text: `feedback number ${from + k}` }));

describe('summaryFingerprint', () => {
  const base = [
    { id: 1, text: 'Grants are late' },
    { id: 2, text: 'المنح متأخرة' },
  ];
  test.each([
    ['another order', [base[1], base[0]], true],
    ['a changed text', [base[0], { id: 2, text: 'المنح متأخرة جدا' }], false],
    ['a changed id', [base[0], { id: 3, text: 'المنح متأخرة' }], false],
    ['an added item', [...base, { id: 3, text: '' }], false],
    ['a removed item', [base[0]], false],
    ['whitespace changes', [base[0], { id: 2, text: 'المنح  متأخرة' }], false],
  ])('%s → same fingerprint: %s', (_name, other, same) => {
    const list = other.flatMap((i) => (i ? [i] : []));
    expect(summaryFingerprint(list) === summaryFingerprint(base)).toBe(same);
  });

  test('fields cannot be shifted into one another', () => {
    expect(summaryFingerprint([{ id: 1, text: '2:ab' }])).not.toBe(summaryFingerprint([{ id: 12, text: 'ab' }]));
    expect(summaryFingerprint([{ id: 1, text: 'a' }, { id: 2, text: 'b' }])).not.toBe(summaryFingerprint([{ id: 1, text: 'a2:1:b' }]));
    expect(summaryFingerprint([])).toMatch(/^[0-9a-f]{64}$/);
  });

  test('cache keys depend on every part', () => {
    expect(summaryCacheKey(['map', 'v1', 'm', 'en'])).toBe(summaryCacheKey(['map', 'v1', 'm', 'en']));
    expect(summaryCacheKey(['map', 'v1', 'm', 'en'])).not.toBe(summaryCacheKey(['map', 'v1', 'm', 'fr']));
    expect(summaryCacheKey(['a', 'bc'])).not.toBe(summaryCacheKey(['ab', 'c']));
  });
});

describe('estimateTokens', () => {
  test.each([
    ['', 0],
    ['grants are late', 4],
    ['アプリが使いにくい', 9],
    ['مرحبا بكم', 3],
  ])('%s → %i', (text, tokens) => {
    expect(estimateTokens(text)).toBe(tokens);
  });
});

describe('chunkItems', () => {
  test('chunks keep every item once, in id order, within the item cap', () => {
    const list = items(1000).reverse();
    const chunks = chunkItems(list, { chunkSize: 60 });
    expect(chunks.flatMap((c) => c.items.map((i) => i.id))).toEqual(items(1000).map((i) => i.id));
    for (const c of chunks) expect(c.items.length).toBeLessThanOrEqual(60);
    const sizes = chunks.slice(0, -1).map((c) => c.items.length);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(26);
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    expect(mean).toBeGreaterThan(35);
    expect(mean).toBeLessThan(55);
    expect(chunks[0]?.fingerprint).toBe(summaryFingerprint(chunks[0]?.items ?? []));
  });

  test('the token budget cuts chunks; an item larger than the budget is a chunk of its own', () => {
    const list = [{ id: 1, text: 'x'.repeat(400) }, { id: 2, text: 'y'.repeat(4000) }, ...items(20, 3)];
    const chunks = chunkItems(list, { chunkSize: 60, chunkTokens: 500 });
    expect(chunks.slice(0, 3).map((c) => c.items[0]?.id)).toEqual([1, 2, 3]);
    expect(chunks[1]?.items).toHaveLength(1);
    expect(chunks.flatMap((c) => c.items)).toHaveLength(22);
    for (const c of chunks) if (c.items.length > 1) expect(c.tokens).toBeLessThanOrEqual(500);
  });

  test('appending items changes only the last chunk or adds new ones', () => {
    const before = chunkItems(items(500));
    for (const extra of [1, 5, 40, 200]) {
      const after = chunkItems(items(500 + extra));
      const { changed } = diffChunks(
        before.map((c) => c.fingerprint),
        after,
      );
      expect(changed[0]).toBeGreaterThanOrEqual(before.length - 1);
    }
  });

  test.each([
    ['short items, cut by count', items(3000), {}],
    ['long items, cut by the token budget', items(3000).map((i) => ({ ...i, text: `${i.text} ${'words '.repeat(40)}` })), { chunkTokens: 2000 }],
  ])('erasing items in the middle changes only the chunks around them: %s', (_name, all, opts) => {
    const before = chunkItems(all, opts);
    for (const [from, to] of [
      [1000, 1004],
      [1500, 1500],
      [2200, 2230],
    ] as const) {
      const after = chunkItems(
        all.filter((i) => i.id < from || i.id > to),
        opts,
      );
      const { changed, reused } = diffChunks(
        before.map((c) => c.fingerprint),
        after,
      );
      expect(changed.length).toBeLessThanOrEqual(3);
      expect(reused.length).toBeGreaterThanOrEqual(after.length - 3);
    }
  });
});
