import { describe, expect, test } from 'vitest';
import { chatTokens, loadTokenCounter } from '../../src/llm/tokens';

describe('o200k_base token counts', async () => {
  const tokens = await loadTokenCounter();

  test.each([
    ['English', 'Hello world', 2],
    ['empty', '', 0],
    ['special-token text counted as text, not refused', '<|endoftext|>', 7],
  ])('%s', (_name, text, expected) => {
    expect(tokens.count(text)).toBe(expected);
  });

  test.each([
    ['Arabic', 'نحتاج إلى مزيد من التدريب للمتطوعين الجدد'],
    ['Japanese', '新しいボランティアのための研修がもっと必要です'],
    ['French', 'Nous avons besoin de plus de formations pour les nouveaux bénévoles'],
  ])('%s: fewer tokens than characters', (_name, text) => {
    const n = tokens.count(text);
    expect(n).toBeGreaterThan(3);
    expect(n).toBeLessThan(text.length);
  });

  test('clip keeps at most n tokens and leaves short texts alone', () => {
    const text = 'We need more training for new volunteers in small towns.';
    expect(tokens.clip(text, 100)).toBe(text);
    const clipped = tokens.clip(text, 4);
    expect(tokens.count(clipped)).toBeLessThanOrEqual(4);
    expect(text.startsWith(clipped)).toBe(true);
  });

  test('chatTokens adds 3 per message and 3 for the reply', () => {
    const messages = [
      { role: 'system' as const, content: 'Hello world' },
      { role: 'user' as const, content: 'Hello world' },
    ];
    expect(chatTokens(tokens, messages)).toBe(3 + (3 + 2) * 2);
  });

  test('the counter is loaded once', async () => {
    expect(await loadTokenCounter()).toBe(tokens);
  });
});
