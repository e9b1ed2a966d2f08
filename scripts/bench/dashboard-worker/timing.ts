/** Small timing helpers shared by the dashboard benchmark's Node and workerd parts. */

export interface Percentiles {
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

/** `percentiles([3, 1, 2])` → `{ p50: 2, p95: 3, max: 3, mean: 2 }` (nearest rank). */
export function percentiles(times: number[]): Percentiles {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
  const mean = sorted.length > 0 ? sorted.reduce((sum, t) => sum + t, 0) / sorted.length : Number.NaN;
  return { p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? Number.NaN, mean };
}

/**
 * How many requests to time: `wanted`, unless the warm-up ones say that many would overrun `budgetMs`;
 * never fewer than 20. `affordable(300, [100, 100], 10_000)` → `100`.
 */
export function affordable(wanted: number, warm: number[], budgetMs: number): number {
  if (warm.length === 0) return wanted;
  const mean = warm.reduce((s, t) => s + t, 0) / warm.length;
  return Math.max(Math.min(wanted, 20), Math.min(wanted, Math.floor(budgetMs / Math.max(mean, 0.001))));
}

/** `ms(1.234)` → `"1.23 ms"`, `ms(12.34)` → `"12.3 ms"`, `ms(1234)` → `"1.23 s"`. */
export function ms(v: number): string {
  return v >= 1000 ? `${(v / 1000).toFixed(2)} s` : v >= 10 ? `${v.toFixed(1)} ms` : `${v.toFixed(2)} ms`;
}

export interface SeriesOptions {
  requests: number;
  warmup: number;
  /** Most time the timed requests may take together; see `affordable`. */
  budgetMs: number;
  /** Called once between the warm-up and the timed requests (e.g. to read a CPU counter). */
  beforeTimed?: () => void;
}

/**
 * Sends `warmup` untimed requests (fewer once they pass a fifth of the budget, at least 3), then times
 * sequential ones: `times` in ms as seen by the caller, `results` what each send returned.
 */
export async function timeSeries<T>(send: () => Promise<T>, o: SeriesOptions): Promise<{ times: number[]; results: T[]; capped: boolean }> {
  const warm: number[] = [];
  const warmStart = performance.now();
  for (let i = 0; i < o.warmup && (i < 3 || performance.now() - warmStart < o.budgetMs / 5); i++) {
    const t0 = performance.now();
    await send();
    warm.push(performance.now() - t0);
  }
  const n = affordable(o.requests, warm, o.budgetMs);
  o.beforeTimed?.();
  const times: number[] = [];
  const results: T[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    results.push(await send());
    times.push(performance.now() - t0);
  }
  return { times, results, capped: n < o.requests };
}
