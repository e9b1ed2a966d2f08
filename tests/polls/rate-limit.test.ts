import { describe, expect, test } from 'vitest';
import { MemoryLimiter } from '../../src/polls/rate-limit';

const opts = { maxFailures: 3, windowMs: 60_000, maxClients: 100 };

describe('MemoryLimiter', () => {
  test.each([
    { name: 'a new client may go ahead', failures: 0, at: 0, wait: 0 },
    { name: 'fewer failures than the limit: go ahead', failures: 2, at: 1000, wait: 0 },
    { name: 'at the limit: wait for the rest of the window', failures: 3, at: 1000, wait: 59 },
    { name: 'at the limit near the end: at least one second', failures: 3, at: 59_999, wait: 1 },
    { name: 'the window over: go ahead again', failures: 10, at: 60_000, wait: 0 },
  ])('$name', ({ failures, at, wait }) => {
    const l = new MemoryLimiter(opts);
    for (let i = 0; i < failures; i++) l.fail('198.51.100.7', 0);
    expect(l.retryAfter('198.51.100.7', at)).toBe(wait);
  });

  test('clients are counted apart', () => {
    const l = new MemoryLimiter(opts);
    for (let i = 0; i < 3; i++) l.fail('198.51.100.7', 0);
    expect(l.retryAfter('198.51.100.7', 10)).toBeGreaterThan(0);
    expect(l.retryAfter('198.51.100.8', 10)).toBe(0);
  });

  test('a new window starts after the old one ends', () => {
    const l = new MemoryLimiter(opts);
    for (let i = 0; i < 3; i++) l.fail('c', 0);
    l.fail('c', 60_000);
    expect(l.retryAfter('c', 60_001)).toBe(0);
  });

  test('memory stays bounded: the oldest clients are forgotten first', () => {
    const l = new MemoryLimiter({ ...opts, maxClients: 10 });
    for (let i = 0; i < 3; i++) l.fail('first', 0);
    for (let c = 0; c < 20; c++) l.fail(`client-${c}`, 1 + c);
    expect(l.retryAfter('first', 100)).toBe(0);
    for (let i = 0; i < 3; i++) l.fail('client-19', 100);
    expect(l.retryAfter('client-19', 100)).toBeGreaterThan(0);
  });
});
