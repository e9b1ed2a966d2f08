import { describe, expect, test } from 'vitest';
import { backoffDelay, createLimiter, type Failure, type RetryPolicy, retryAfterMs, withRetries } from '../../src/llm/retry';
import { LlmUnavailableError } from '../../src/llm/types';

const NOW = Date.parse('2026-11-21T10:00:00Z');
const headers = (h: Record<string, string>) => new Headers(h);

describe('backoffDelay: equal jitter over an exponential step from 500 ms, capped at 30 s', () => {
  test.each([
    ['first retry, no jitter', 0, 0, 250],
    ['first retry, full jitter', 0, 0.999999, 500],
    ['third retry, half jitter', 2, 0.5, 1500],
    ['seventh retry reaches the cap', 6, 0, 15_000],
    ['far past the cap stays capped', 20, 0.999999, 30_000],
  ])('%s', (_name, attempt, random, expected) => {
    expect(backoffDelay(attempt, { baseMs: 500, capMs: 30_000, random: () => random })).toBe(expected);
  });
});

describe('retryAfterMs', () => {
  test.each([
    ['seconds', { 'retry-after': '7' }, 7000],
    ['fractional seconds', { 'retry-after': '1.5' }, 1500],
    ['milliseconds header first', { 'retry-after-ms': '250', 'retry-after': '7' }, 250],
    ['HTTP date', { 'retry-after': 'Sat, 21 Nov 2026 10:00:30 GMT' }, 30_000],
    ['HTTP date in the past', { 'retry-after': 'Sat, 21 Nov 2026 09:00:00 GMT' }, 0],
    ['garbage', { 'retry-after': 'soon' }, undefined],
    ['absent', {}, undefined],
  ])('%s', (_name, h, expected) => {
    expect(retryAfterMs(headers(h), NOW)).toBe(expected);
  });
});

function policy(sleeps: number[], maxRetries = 3): RetryPolicy {
  return {
    maxRetries,
    baseMs: 500,
    capMs: 30_000,
    maxRetryAfterMs: 120_000,
    random: () => 0,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
}

const transient = (retryAfterMs?: number): Failure => ({ retry: true, reason: 'HTTP 503', retryAfterMs });

describe('withRetries', () => {
  test('transient failures then success: backoff between attempts', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const value = await withRetries(
      async () => {
        if (++calls < 3) throw new Error('503');
        return 'ok';
      },
      () => transient(),
      policy(sleeps),
    );
    expect(value).toBe('ok');
    expect(sleeps).toEqual([250, 500]);
  });

  test('the server pause replaces the schedule; a pause of 0 falls back to it', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const pauses = [4000, 0];
    await withRetries(
      async () => {
        if (++calls < 3) throw new Error('429');
        return 'ok';
      },
      () => transient(pauses[calls - 1]),
      policy(sleeps),
    );
    expect(sleeps).toEqual([4000, 500]);
  });

  test('retries run out → LlmUnavailableError naming the attempts and the last reason', async () => {
    const sleeps: number[] = [];
    const run = withRetries(
      async () => {
        throw new Error('down');
      },
      () => transient(),
      policy(sleeps, 2),
    );
    await expect(run).rejects.toThrow(new LlmUnavailableError('LLM endpoint unavailable after 3 attempts: HTTP 503'));
    expect(sleeps).toHaveLength(2);
  });

  test('a permanent failure is thrown as classified, at once', async () => {
    const sleeps: number[] = [];
    const permanent = new Error('401');
    await expect(
      withRetries(
        async () => {
          throw permanent;
        },
        (error) => ({ retry: false, error }),
        policy(sleeps),
      ),
    ).rejects.toBe(permanent);
    expect(sleeps).toEqual([]);
  });
});

test('createLimiter: never more than n tasks in flight, all tasks run, in order of arrival', async () => {
  const limit = createLimiter(3);
  let active = 0;
  let peak = 0;
  const started: number[] = [];
  const task = (i: number) =>
    limit(async () => {
      started.push(i);
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 1 + (i % 3)));
      active--;
      return i;
    });
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => task(i)));
  expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
  expect(peak).toBe(3);
  expect(started).toEqual(results);
});

test.each([0, -1, 1.5])('createLimiter(%d) is refused', (n) => {
  expect(() => createLimiter(n)).toThrow(RangeError);
});
