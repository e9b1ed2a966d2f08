/**
 * Failed-attempt limiter for voter codes: after `maxFailures` bad codes from one client within
 * `windowMs`, that client is told to wait until the window ends. Successes never reset the count, or one
 * valid code would let a guesser carry on. Time is passed in, so tests need no sleeps.
 *
 * In memory: on Node one limiter serves the process; on Workers each isolate keeps its own, so a client
 * spread over several isolates gets a few more tries — a brake on guessing, not a hard global cap (the
 * 140-bit codes are what make guessing hopeless).
 */

export interface Limiter {
  /** Whole seconds this client must wait before trying again; 0 when it may go ahead. */
  retryAfter(client: string, nowMs: number): number;
  /** Records one failed attempt by this client. */
  fail(client: string, nowMs: number): void;
}

export interface LimiterOptions {
  maxFailures: number;
  windowMs: number;
  /** Most clients remembered at once; the oldest are forgotten first, so memory stays bounded. */
  maxClients: number;
}

/** 20 bad codes per 15 minutes: room for a meeting hall behind one address to make typos, not for guessing. */
export const DEFAULT_LIMITS: LimiterOptions = { maxFailures: 20, windowMs: 15 * 60_000, maxClients: 10_000 };

/** `new MemoryLimiter({ maxFailures: 3, windowMs: 60_000, maxClients: 100 })`: counts failures per client in fixed windows. */
export class MemoryLimiter implements Limiter {
  private readonly clients = new Map<string, { failures: number; until: number }>();
  constructor(private readonly options: LimiterOptions = DEFAULT_LIMITS) {}

  retryAfter(client: string, nowMs: number): number {
    const entry = this.clients.get(client);
    if (!entry) return 0;
    if (nowMs >= entry.until) {
      this.clients.delete(client);
      return 0;
    }
    return entry.failures >= this.options.maxFailures ? Math.max(1, Math.ceil((entry.until - nowMs) / 1000)) : 0;
  }

  fail(client: string, nowMs: number): void {
    const entry = this.clients.get(client);
    if (entry && nowMs < entry.until) {
      entry.failures++;
      return;
    }
    this.clients.delete(client);
    if (this.clients.size >= this.options.maxClients) this.evict(nowMs);
    this.clients.set(client, { failures: 1, until: nowMs + this.options.windowMs });
  }

  /**
   * Entries go in when their window starts and all windows are equally long, so Map order is expiry order:
   * drop from the front while entries are expired or there is no room.
   */
  private evict(nowMs: number): void {
    for (const [k, e] of this.clients) {
      if (nowMs < e.until && this.clients.size < this.options.maxClients) break;
      this.clients.delete(k);
    }
  }
}
