/**
 * Retries with exponential backoff and jitter, `retry-after` handling and a concurrency limiter, free of
 * any SDK: src/llm/openai.ts says which failures are worth another try. Sleep, clock and randomness are
 * injected so tests run without waiting.
 */
import { LlmUnavailableError } from './types';

export interface RetryPolicy {
  /** Attempts after the first one. */
  maxRetries: number;
  baseMs: number;
  capMs: number;
  /** A server asking for a longer pause than this is treated as down now, not waited for. */
  maxRetryAfterMs: number;
  sleep: (ms: number) => Promise<void>;
  /** In [0, 1). */
  random: () => number;
}

export const DEFAULT_RETRY: Omit<RetryPolicy, 'sleep' | 'random'> = {
  maxRetries: 4,
  baseMs: 500,
  capMs: 30_000,
  maxRetryAfterMs: 120_000,
};

/** How one failed attempt should be handled. */
export type Failure =
  /** Transient (429, 5xx, timeout, connection): try again, after `retryAfterMs` when the server said so. */
  | { retry: true; reason: string; retryAfterMs?: number }
  /** Permanent: give up at once with this error. */
  | { retry: false; error: unknown };

/** Delay before retry number `attempt` (0-based): half the exponential step fixed, half random ("equal jitter"). */
export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, 'baseMs' | 'capMs' | 'random'>): number {
  const step = Math.min(policy.capMs, policy.baseMs * 2 ** attempt);
  return Math.round(step / 2 + policy.random() * (step / 2));
}

/**
 * The pause a 429/503 asks for, in ms: `retry-after-ms`, else `retry-after` as seconds or an HTTP date.
 * `retryAfterMs(new Headers({ 'retry-after': '7' }), Date.now())` → 7000. Undefined when absent or unreadable.
 */
export function retryAfterMs(headers: { get(name: string): string | null } | undefined, nowMs: number): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms);
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * Runs `attempt` until it succeeds, a failure is permanent, or the retries run out (then LlmUnavailableError).
 * `attempt` gets the 0-based attempt number.
 */
export async function withRetries<T>(attempt: (n: number) => Promise<T>, classify: (error: unknown) => Failure, policy: RetryPolicy): Promise<T> {
  for (let n = 0; ; n++) {
    let failure: Failure;
    try {
      return await attempt(n);
    } catch (error) {
      failure = classify(error);
    }
    if (!failure.retry) throw failure.error;
    if (n >= policy.maxRetries) {
      throw new LlmUnavailableError(`LLM endpoint unavailable after ${n + 1} attempts: ${failure.reason}`);
    }
    if (failure.retryAfterMs !== undefined && failure.retryAfterMs > policy.maxRetryAfterMs) {
      throw new LlmUnavailableError(`LLM endpoint asked to wait ${Math.round(failure.retryAfterMs / 1000)} s: ${failure.reason}`);
    }
    // The server's own pause wins over our schedule; a "retry-after: 0" falls back to the schedule so a
    // struggling server cannot turn us into a tight loop.
    await policy.sleep(failure.retryAfterMs || backoffDelay(n, policy));
  }
}

/** At most `n` calls of the returned wrapper in flight; the rest wait in order: `const limit = createLimiter(4)`. */
export function createLimiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`concurrency must be a whole number ≥ 1 (got ${n})`);
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // A finishing task hands its slot straight to the next waiter, so a newcomer cannot slip in between.
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
