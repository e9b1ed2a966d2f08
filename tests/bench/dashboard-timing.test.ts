import { describe, expect, test } from 'vitest';
import { affordable, ms, percentiles, timeSeries } from '../../scripts/bench/dashboard-worker/timing';

describe('percentiles', () => {
  test.each([
    { name: 'one value is every percentile', times: [7], want: { p50: 7, p95: 7, max: 7, mean: 7 } },
    { name: 'nearest rank, unsorted input', times: [3, 1, 2], want: { p50: 2, p95: 3, max: 3, mean: 2 } },
    { name: 'p95 of 20 values is the 19th', times: Array.from({ length: 20 }, (_, i) => i + 1), want: { p50: 10, p95: 19, max: 20, mean: 10.5 } },
  ])('$name', ({ times, want }) => {
    expect(percentiles(times)).toEqual(want);
  });

  test('no values give NaN, not a crash', () => {
    expect(Number.isNaN(percentiles([]).p50)).toBe(true);
  });
});

describe('affordable', () => {
  test.each([
    { name: 'fast requests: all wanted', wanted: 300, warm: [1, 1], budget: 10_000, want: 300 },
    { name: 'slow requests: as many as fit the budget', wanted: 300, warm: [100, 100], budget: 10_000, want: 100 },
    { name: 'very slow requests: still at least 20', wanted: 300, warm: [2_000], budget: 10_000, want: 20 },
    { name: 'fewer wanted than the floor: what was wanted', wanted: 5, warm: [2_000], budget: 10_000, want: 5 },
    { name: 'no warm-up: all wanted', wanted: 300, warm: [], budget: 1, want: 300 },
  ])('$name', ({ wanted, warm, budget, want }) => {
    expect(affordable(wanted, warm, budget)).toBe(want);
  });
});

describe('ms', () => {
  test.each([
    { v: 1.234, want: '1.23 ms' },
    { v: 12.34, want: '12.3 ms' },
    { v: 1234, want: '1.23 s' },
  ])('$v → $want', ({ v, want }) => {
    expect(ms(v)).toBe(want);
  });
});

describe('timeSeries', () => {
  test('warms up, then times the wanted requests and calls beforeTimed once in between', async () => {
    const calls: string[] = [];
    let i = 0;
    const out = await timeSeries(async () => ++i, { requests: 4, warmup: 2, budgetMs: 60_000, beforeTimed: () => calls.push(`before@${i}`) });
    expect(calls).toEqual(['before@2']);
    expect(out.results).toEqual([3, 4, 5, 6]);
    expect(out.times).toHaveLength(4);
    expect(out.capped).toBe(false);
  });
});
